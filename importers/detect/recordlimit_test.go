package detect

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"raidtrace/importers"
)

// recordLine is, for each format of longRecordFiles, the line its second record is on.
var recordLine = map[string]int{"chattext": 2, "x-api": 2, "twilio-bulk": 2, "csv-plivo": 3, "twilio-csv": 3, "smsbackup": 4}

// limited reports whether a format applies Options.MaxRecord to its records.
func limited(format string) bool { return true }

// recordLoc is where a format locates the record on line n.
func recordLoc(format string, n int) string {
	if format == "smsbackup" {
		return "/smses/sms[2] (line " + strconv.Itoa(n) + ")"
	}
	return "line " + strconv.Itoa(n)
}

// TestRecordLimit: with Options.MaxRecord set, a second record whose line is one byte longer than
// the limit is reported as a problem on its line and skipped, and the records before and after it
// import; a line exactly at the limit imports.
func TestRecordLimit(t *testing.T) {
	const limit = 4096
	overhead := map[string]int{} // bytes of the second record's line around its text
	for _, f := range longRecordFiles("") {
		overhead[f.format] = len(strings.Split(f.content, "\n")[recordLine[f.format]-1])
	}
	tests := []struct {
		name  string
		extra int // bytes of the line beyond the limit
		want  []string
	}{
		{"at limit", 0, []string{"one", "*", "three"}},
		{"one byte over", 1, []string{"one", "three"}},
		{"far over", 3 * limit, []string{"one", "three"}},
	}
	for _, f0 := range longRecordFiles("") {
		if !limited(f0.format) {
			continue
		}
		for _, tt := range tests {
			t.Run(f0.format+"/"+tt.name, func(t *testing.T) {
				text := strings.Repeat("A", limit+tt.extra-overhead[f0.format])
				var file longFile
				for _, f := range longRecordFiles(text) {
					if f.format == f0.format {
						file = f
					}
				}
				if got := len(strings.Split(file.content, "\n")[recordLine[file.format]-1]); got != limit+tt.extra {
					t.Fatalf("test file: record line is %d bytes, want %d", got, limit+tt.extra)
				}
				f, ok := ByID(file.format)
				if !ok {
					t.Fatalf("no format %s", file.format)
				}
				var c importers.Collector
				opt := importers.Options{DateOrder: "DMY", MaxRecord: limit}.WithDefaults()
				if err := f.Read(context.Background(), strings.NewReader(file.content), opt, &c); err != nil {
					t.Fatalf("Read: %v", err)
				}
				var got []string
				for _, r := range c.Records {
					if r.Text == text {
						got = append(got, "*")
					} else {
						got = append(got, r.Text)
					}
				}
				if strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Errorf("records: got %q, want %q", got, tt.want)
				}
				var errs []importers.Problem
				for _, p := range c.Problems {
					if !p.Warning {
						errs = append(errs, p)
					}
				}
				var want []importers.Problem
				if tt.extra > 0 {
					want = []importers.Problem{{Location: recordLoc(file.format, recordLine[file.format]), Reason: importers.TooLong(limit).String()}}
				}
				if len(errs) != len(want) || len(want) > 0 && errs[0].Plain() != want[0] {
					t.Errorf("problems: got %v, want %v", errs, want)
				}
			})
		}
	}
}

// BenchmarkRecordLimit imports each format whose records are limited with an 8 MiB limit and a
// record four times as long in the middle, and reports the peak heap during the import
// (peak-MiB, sampled every millisecond; it counts garbage not yet collected, such as the buffers
// a growing line leaves behind) and per limit (peak/limit). Both, and B/op, must stay a small
// multiple of the limit whatever the length of the long record (the same figures were measured
// with a record 16 times the limit).
func BenchmarkRecordLimit(b *testing.B) {
	const limit = 8 << 20
	long := strings.Repeat("A", 4*limit)
	dir := b.TempDir()
	for _, tt := range longRecordFiles(long) {
		if !limited(tt.format) {
			continue
		}
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
			b.Fatal(err)
		}
		b.Run(tt.name, func(b *testing.B) {
			f, ok := ByID(tt.format)
			if !ok {
				b.Fatalf("no format %s", tt.format)
			}
			var peak uint64
			for b.Loop() {
				runtime.GC()
				base := liveHeap()
				stop := sampleHeap(&peak)
				var c countSink
				err := f.Import(context.Background(), path, importers.Options{DateOrder: "DMY", MaxRecord: limit}, &c)
				stop()
				if err != nil || c.records != 2 {
					b.Fatalf("got %d records, %v; want 2 (the long one skipped)", c.records, err)
				}
				peak -= min(peak, base)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
			b.ReportMetric(float64(peak)/limit, "peak/limit")
		})
		os.Remove(path)
	}
}

// liveHeap returns the bytes of heap objects now (live and not yet swept).
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// sampleHeap records in peak the largest heap seen every millisecond until stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	var done atomic.Bool
	finished := make(chan struct{})
	*peak = liveHeap()
	go func() {
		defer close(finished)
		for !done.Load() {
			if h := liveHeap(); h > *peak {
				*peak = h
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return func() {
		done.Store(true)
		<-finished
		if h := liveHeap(); h > *peak {
			*peak = h
		}
	}
}
