package gui

import (
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/analysis/corpus"
	"raidtrace/app/casefile"
	"raidtrace/importers"
	"raidtrace/importers/detect"
)

var benchTexts = []string{
	"Ferme ta ligne, personne ne t'écoute #fermezla",
	"Bonjour, est-ce que la permanence est ouverte samedi ?",
	"t'es qu'une connasse, on va tous t'écrire ce soir",
	"Merci pour votre aide hier, ça m'a fait du bien",
	"RDV à 18h devant la mairie avec les documents",
	"Nouveau message vocal de +33612345678, rappelez le 888",
	"on sait où tu habites, 12 rue des Lilas",
	"Votre colis est en cours de livraison https://exemple.fr/suivi",
}

// benchData is n synthetic messages (texts shared, so memory stays that of the structs).
func benchData(n int) *caseData {
	d := &caseData{info: casefile.Info{Name: "bench"}, loc: time.UTC,
		sources: []casefile.Source{{ID: 1, Name: "big.xml"}}}
	d.grow(n)
	for i := range n {
		addMessage(d, casefile.Message{ID: int64(i + 1), SourceID: 1, Record: importers.Record{
			Time:   t0.Add(time.Duration(i) * time.Second),
			Sender: importers.Party{E164: fmt.Sprintf("+336%08d", i%50000)}, Text: benchTexts[i%len(benchTexts)],
			Direction: importers.Incoming}})
	}
	d.build(nil)
	return d
}

// BenchmarkFuzzyFilter100k is one keystroke of the Messages search over 100,000 messages
// (target: under 50 ms per op).
func BenchmarkFuzzyFilter100k(b *testing.B) {
	d := benchData(100_000)
	b.ResetTimer()
	cpu := cpuSeconds()
	for i := 0; b.Loop(); i++ {
		filterRows(d, msgFilter{}, "ferme")
	}
	b.ReportMetric((cpuSeconds()-cpu)*1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkTableRowFetch1M is the cost of filling one table row (every plain column) over a
// 1,000,000-message case, at rows spread over the table.
func BenchmarkTableRowFetch1M(b *testing.B) {
	d := benchData(1_000_000)
	s := &messagesScreen{d: d, view: filterRows(d, msgFilter{}, "")}
	b.ResetTimer()
	row := 0
	for b.Loop() {
		row = (row + 7919) % len(s.view.rows)
		for col := colExhibit; col < colText; col++ {
			_ = s.cell(row, col)
		}
	}
}

// BenchmarkCaseDataBuild1M is what the GUI adds to opening a 1,000,000-message case once the
// messages are read: indexes, senders and search strings.
func BenchmarkCaseDataBuild1M(b *testing.B) {
	d := benchData(1_000_000)
	b.ResetTimer()
	for b.Loop() {
		d.build(nil)
	}
}

// BenchmarkFuzzyFilter100kTwoKeys is the worst keystroke (searching starts at two characters): two common letters, which nearly
// every message matches, so every one is scored and sorted.
func BenchmarkFuzzyFilter100kTwoKeys(b *testing.B) {
	d := benchData(100_000)
	b.ResetTimer()
	cpu := cpuSeconds()
	for b.Loop() {
		filterRows(d, msgFilter{}, "es")
	}
	b.ReportMetric((cpuSeconds()-cpu)*1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkFuzzyFilter100kNarrow is the keystroke after the worst one: "es" then "est", which
// scores only the rows "es" found.
func BenchmarkFuzzyFilter100kNarrow(b *testing.B) {
	d := benchData(100_000)
	prev := filterRows(d, msgFilter{}, "es")
	b.ResetTimer()
	cpu := cpuSeconds()
	for b.Loop() {
		filterWithin(d, msgFilter{}, "est", &prev)
	}
	b.ReportMetric((cpuSeconds()-cpu)*1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkOpenCase is opening a case in the GUI: reading its rows, latest analysis and
// decisions, and building what the screens index (loadCaseData), with the peak resident memory
// it adds. The case is RAIDTRACE_BIG_CASE when set (opened read as is), otherwise one generated
// here of RAIDTRACE_BENCH_OPEN_N messages (default 100,000; 1000000 for the 1M figure), imported
// from an SMS backup and analysed.
//
//	RAIDTRACE_BENCH_OPEN_N=1000000 go test -tags ci -run '^$' -bench OpenCase -benchtime 1x ./app/gui/
func BenchmarkOpenCase(b *testing.B) {
	ctx := context.Background()
	path := os.Getenv("RAIDTRACE_BIG_CASE")
	if path == "" {
		n := 100_000
		if s := os.Getenv("RAIDTRACE_BENCH_OPEN_N"); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil || v <= 0 {
				b.Fatalf("RAIDTRACE_BENCH_OPEN_N=%q: want a positive number of messages", s)
			}
			n = v
		}
		path = benchCase(b, n)
	}
	for b.Loop() {
		c, err := casefile.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		debug.FreeOSMemory()
		base := rssMB("VmRSS:")
		os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // reset the peak (Linux)
		start := time.Now()
		d, err := loadCaseData(ctx, c)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(time.Since(start).Seconds(), "open-s")
		b.ReportMetric(rssMB("VmHWM:")-base, "open-peak-MB")
		debug.FreeOSMemory()
		b.ReportMetric(rssMB("VmRSS:")-base, "open-held-MB")

		b.ReportMetric(float64(len(d.msgs)), "messages")
		runtime.KeepAlive(d)
		c.Close()
	}
}

// benchCase makes a case of n generated messages (raids, hard negatives, background), imported
// from an SMS Backup & Restore file and analysed.
func benchCase(b *testing.B, n int) string {
	dir := b.TempDir()
	xmlPath := filepath.Join(dir, "raid.xml")
	gen := corpus.Generate(corpus.Config{Seed: 7, N: n, HashtagPart: 0.05})
	var w strings.Builder
	fmt.Fprintf(&w, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"%d\">\n", len(gen.Messages))
	for _, m := range gen.Messages {
		w.WriteString(`  <sms protocol="0" address="`)
		xml.EscapeText(&w, []byte(m.Sender))
		fmt.Fprintf(&w, `" date="%d" type="1" subject="null" body="`, m.Time.UnixMilli())
		xml.EscapeText(&w, []byte(m.Text))
		w.WriteString(`" read="1" status="-1" />` + "\n")
	}
	w.WriteString("</smses>\n")
	if err := os.WriteFile(xmlPath, []byte(w.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	path := filepath.Join(dir, "bench.raidcase")
	c, err := casefile.Create(ctx, path, casefile.Info{Name: "bench", TimeZone: "Europe/Paris"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	f, err := detect.Detect(xmlPath)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Import(ctx, xmlPath, f, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Analyze(ctx, analysis.Params{}, nil); err != nil {
		b.Fatal(err)
	}
	return path
}

// rssMB reads a memory line of /proc/self/status ("VmRSS:", "VmHWM:") in MB, 0 when unknown.
func rssMB(field string) float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
