package cli_test

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis/corpus"
	"raidtrace/app/cli"
)

// BenchmarkEndToEnd runs what a user runs on a big case, through the command line in this
// process: import of an SMS Backup & Restore file of RAIDTRACE_BENCH_E2E_N messages (default
// 100,000; 1000000 for the 1M run), analyze, export (FR and EN reports), verify. It reports the
// seconds and the peak resident memory (VmHWM, reset between stages) of each stage.
//
//	RAIDTRACE_BENCH_E2E_N=1000000 go test -tags ci -run '^$' -bench EndToEnd -benchtime 1x ./app/cli/
func BenchmarkEndToEnd(b *testing.B) {
	n := 100_000
	if s := os.Getenv("RAIDTRACE_BENCH_E2E_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v <= 0 {
			b.Fatalf("RAIDTRACE_BENCH_E2E_N=%q: want a positive number of messages", s)
		}
		n = v
	}
	cli.LimitMemory(cli.MemoryLimit) // as main does
	dir := b.TempDir()
	xmlPath := filepath.Join(dir, "raid.xml")
	if err := writeBackup(xmlPath, n); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(xmlPath)
	runtime.GC()
	debug.FreeOSMemory()
	env := &cli.Env{Stdout: io.Discard, Stderr: os.Stderr, ConfigDir: filepath.Join(dir, "config")}
	ctx := context.Background()
	for i := range b.N {
		cp := filepath.Join(dir, fmt.Sprintf("case%d.raidcase", i))
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		var bag strings.Builder
		stages := []struct {
			name string
			args []string
			env  *cli.Env
		}{
			{"import", []string{"import", "--case", cp, xmlPath}, env},
			{"analyze", []string{"analyze", "--case", cp}, env},
			{"export", []string{"export", "--case", cp, "--out", out}, &cli.Env{Stdout: &bag, Stderr: os.Stderr, ConfigDir: env.ConfigDir}},
			{"verify", nil, env},
		}
		for _, s := range stages {
			if s.name == "verify" {
				s.args = []string{"verify", strings.TrimSpace(bag.String())}
			}
			runtime.GC()
			debug.FreeOSMemory()
			resetPeakRSS()
			start := time.Now()
			if code := cli.Run(ctx, s.args, s.env); code != cli.ExitOK {
				b.Fatalf("%s: exit %d", s.name, code)
			}
			secs := time.Since(start).Seconds()
			b.ReportMetric(secs, s.name+"-s")
			b.ReportMetric(peakRSSMB(), s.name+"-peak-MB")
			if s.name == "import" {
				b.ReportMetric(float64(n)/secs, "import-msgs/s")
				b.ReportMetric(float64(st.Size())/secs/1e6, "import-MB/s")
			}
		}
	}
	b.ReportMetric(float64(n), "messages")
}

// writeBackup writes n generated messages (raids, hard negatives, background; see
// analysis/corpus) as an SMS Backup & Restore file.
func writeBackup(path string, n int) error {
	c := corpus.Generate(corpus.Config{Seed: 7, N: n, HashtagPart: 0.05})
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintf(w, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"%d\">\n", len(c.Messages))
	for _, m := range c.Messages {
		w.WriteString(`  <sms protocol="0" address="`)
		xml.EscapeText(w, []byte(m.Sender))
		fmt.Fprintf(w, `" date="%d" type="1" subject="null" body="`, m.Time.UnixMilli())
		xml.EscapeText(w, []byte(m.Text))
		w.WriteString(`" read="1" status="-1" />` + "\n")
	}
	w.WriteString("</smses>\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// resetPeakRSS resets the kernel's peak resident set (VmHWM) of this process (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSMB is this process's peak resident set (VmHWM) in MB, 0 when unknown.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}
