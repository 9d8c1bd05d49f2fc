package casefile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Run with: go test -tags ci -run '^$' -bench . -benchtime 1x ./app/casefile/
// RAIDTRACE_BENCH_N sets the size of the case for BenchmarkOpen and BenchmarkMessages
// (default 100000; the target is 1000000).

func benchN() int {
	if n, err := strconv.Atoi(os.Getenv("RAIDTRACE_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// BenchmarkImport imports 200000 records, or RAIDTRACE_BENCH_IMPORT_N.
func BenchmarkImport(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("RAIDTRACE_BENCH_IMPORT_N")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	dir := b.TempDir()
	p := writeFile(b, dir, "big.txt", fakeLines(0, n))
	st, _ := os.Stat(p)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := range b.N {
		c, err := Create(ctx, filepath.Join(dir, fmt.Sprintf("b%d%s", i, Extension)), Info{})
		if err != nil {
			b.Fatal(err)
		}
		sum, err := c.Import(ctx, p, lineFormat, nil)
		if err != nil || sum.Imported != n {
			b.Fatalf("imported %d, %v", sum.Imported, err)
		}
		c.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// benchDir holds the cases bigCase builds, shared by the benchmarks of one run and removed by
// TestMain.
var (
	benchMu    sync.Mutex
	benchDir   string
	benchCases = map[int]string{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// bigCase builds (once per run) a case of n messages in one import, analysed.
func bigCase(b *testing.B, n int) string {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if p, ok := benchCases[n]; ok {
		return p
	}
	if benchDir == "" {
		d, err := os.MkdirTemp("", "raidtrace-bench")
		if err != nil {
			b.Fatal(err)
		}
		benchDir = d
	}
	ctx := context.Background()
	dir := filepath.Join(benchDir, strconv.Itoa(n))
	if err := os.Mkdir(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "big"+Extension)
	c, err := Create(ctx, path, Info{})
	if err != nil {
		b.Fatal(err)
	}
	p := writeFile(b, dir, "big.txt", fakeLines(0, n))
	start := time.Now()
	if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
		b.Fatal(err)
	}
	imported := time.Since(start)
	if _, err := c.Analyze(ctx, analysisParams(), nil); err != nil {
		b.Fatal(err)
	}
	analysed := time.Since(start) - imported
	c.Close()
	os.Remove(p)
	st, _ := os.Stat(path)
	b.Logf("built a %d-message case: import %v (%.0f msgs/s), analyze %v, case file %d MB",
		n, imported.Round(time.Millisecond), float64(n)/imported.Seconds(),
		analysed.Round(time.Millisecond), st.Size()>>20)
	benchCases[n] = path
	return path
}

func BenchmarkOpen(b *testing.B) {
	path := bigCase(b, benchN())
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		c, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

func BenchmarkMessages(b *testing.B) {
	n := benchN()
	path := bigCase(b, n)
	ctx := context.Background()
	c, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ResetTimer()
	for range b.N {
		msgs, err := c.Messages(ctx)
		if err != nil || len(msgs) != n {
			b.Fatalf("got %d messages, %v", len(msgs), err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkMessagesPage reads 100 messages deep in the list, as a scrolled list view does.
func BenchmarkMessagesPage(b *testing.B) {
	n := benchN()
	path := bigCase(b, n)
	ctx := context.Background()
	c, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ResetTimer()
	for range b.N {
		page, err := c.MessagesPage(ctx, n*9/10, 100)
		if err != nil || len(page) != 100 {
			b.Fatalf("got %d messages, %v", len(page), err)
		}
	}
}

// BenchmarkMessagesAfter reads the same page as BenchmarkMessagesPage by keyset.
func BenchmarkMessagesAfter(b *testing.B) {
	n := benchN()
	path := bigCase(b, n)
	ctx := context.Background()
	c, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	prev, err := c.MessagesPage(ctx, n*9/10-1, 1)
	if err != nil || len(prev) != 1 {
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		page, err := c.MessagesAfter(ctx, prev[0].ID, 100)
		if err != nil || len(page) != 100 {
			b.Fatalf("got %d messages, %v", len(page), err)
		}
	}
}
