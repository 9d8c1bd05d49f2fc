package cli_test

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis/corpus"
)

// BenchmarkEndToEnd runs what a user runs on a big case, each command in a process of its own
// as from a shell (the test binary as the raidtrace command, see TestMain): import of an SMS
// Backup & Restore file of RAIDTRACE_BENCH_E2E_N messages (default 100,000; 1000000 for the 1M
// run), analyze, export (FR and EN reports), verify. It reports the seconds and the peak
// resident memory (the process's maximum resident set) of each stage. With
// RAIDTRACE_BENCH_E2E_DIR it works in that folder and leaves its files there (the backup, the
// case, the bundle), to run or profile a stage again by hand.
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
	dir := os.Getenv("RAIDTRACE_BENCH_E2E_DIR")
	if dir == "" {
		dir = b.TempDir()
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	xmlPath := filepath.Join(dir, "raid.xml")
	if err := writeBackup(xmlPath, n); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(xmlPath)
	config := filepath.Join(dir, "config")
	for i := range b.N {
		cp := filepath.Join(dir, fmt.Sprintf("case%d.raidcase", i))
		out := filepath.Join(dir, fmt.Sprintf("out%d", i))
		for _, old := range []string{cp, cp + "-wal", cp + "-shm", out} { // a kept folder's last run
			os.RemoveAll(old)
		}
		var bag strings.Builder
		stages := []struct {
			name string
			args []string
		}{
			{"import", []string{"import", "--case", cp, xmlPath}},
			{"analyze", []string{"analyze", "--case", cp}},
			{"export", []string{"export", "--case", cp, "--out", out}},
			{"verify", nil},
		}
		for _, s := range stages {
			if s.name == "verify" {
				s.args = []string{"verify", strings.TrimSpace(bag.String())}
			}
			cmd := exec.Command("raidtrace", s.args...) // on $PATH: testscript.Main puts it there
			peakFile := filepath.Join(dir, "peak")
			cmd.Env = append(os.Environ(), "RAIDTRACE_CONFIG_DIR="+config, "RAIDTRACE_BENCH_PEAK_FILE="+peakFile)
			cmd.Stderr = os.Stderr
			if s.name == "export" {
				cmd.Stdout = &bag // the bundle's path
			}
			os.Remove(peakFile) // not the last stage's
			start := time.Now()
			if err := cmd.Run(); err != nil {
				b.Fatalf("%s: %v", s.name, err)
			}
			secs := time.Since(start).Seconds()
			b.ReportMetric(secs, s.name+"-s")
			// the child's own peak (its rusage would count this process's, which it starts as)
			peak, err := os.ReadFile(peakFile)
			if err != nil {
				b.Fatalf("%s: peak memory: %v", s.name, err)
			}
			kb, _ := strconv.ParseFloat(string(peak), 64)
			b.ReportMetric(kb/1024, s.name+"-peak-MB")
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

// writePeakRSS writes this process's peak resident set (VmHWM, in kB) to the file path.
func writePeakRSS(path string) {
	data, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			os.WriteFile(path, []byte(strings.TrimSuffix(strings.TrimSpace(rest), " kB")), 0o644)
		}
	}
}
