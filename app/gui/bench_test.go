package gui

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"raidtrace/app/casefile"
	"raidtrace/importers"
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
	d.msgs = make([]casefile.Message, n)
	for i := range d.msgs {
		d.msgs[i] = casefile.Message{ID: int64(i + 1), SourceID: 1, Record: importers.Record{
			Time:   t0.Add(time.Duration(i) * time.Second),
			Sender: importers.Party{E164: fmt.Sprintf("+336%08d", i%50000)}, Text: benchTexts[i%len(benchTexts)],
			Direction: importers.Incoming}}
	}
	d.build(nil)
	return d
}

// BenchmarkFuzzyFilter100k is one keystroke of the Messages search over 100,000 messages
// (target: under 50 ms per op).
func BenchmarkFuzzyFilter100k(b *testing.B) {
	d := benchData(100_000)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		filterRows(d, msgFilter{}, "ferme")
	}
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
	for b.Loop() {
		filterRows(d, msgFilter{}, "es")
	}
}

// TestOpenBigCase times opening a real case for the GUI (set RAIDTRACE_BIG_CASE to its path):
// reading it through casefile, then building the screens' data.
func TestOpenBigCase(t *testing.T) {
	path := os.Getenv("RAIDTRACE_BIG_CASE")
	if path == "" {
		t.Skip("RAIDTRACE_BIG_CASE not set")
	}
	ctx := context.Background()
	t0 := time.Now()
	c, err := casefile.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	t1 := time.Now()
	msgs, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t2 := time.Now()
	d, err := loadCaseData(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	t3 := time.Now()
	t.Logf("%d messages: open %v, Messages %v, loadCaseData (Messages again + build) %v",
		len(msgs), t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
	_ = d
}
