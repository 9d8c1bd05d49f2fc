package detect

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
)

// TestInvalidUTF8Record: a record with a byte that is not UTF-8, between two good ones, is kept
// with its neighbours, and a warning names it (or, for a CSV with no other accented letter, the
// whole file is read as Windows-1252 and a warning says so). Nothing is dropped silently.
func TestInvalidUTF8Record(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range longRecordFiles("caf\xe9 \xff") {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := Detect(path)
			if err != nil || f.ID != tt.format {
				t.Fatalf("Detect: got %s, %v; want %s", f.ID, err, tt.format)
			}
			var c importers.Collector
			if err := f.Import(context.Background(), path, importers.Options{DateOrder: "DMY"}, &c); err != nil {
				t.Fatalf("Import: %v", err)
			}
			if len(c.Records) != 3 || c.Records[0].Text != "one" || c.Records[2].Text != "three" || !strings.HasPrefix(c.Records[1].Text, "caf") {
				t.Fatalf("got %d records %+v, want one, the damaged one, three", len(c.Records), c.Records)
			}
			middle := c.Records[1].Location
			var warned bool
			for _, p := range c.Problems {
				if !p.Warning {
					t.Errorf("problem that is not a warning: %v", p)
				}
				if strings.HasPrefix(middle, p.Location) && strings.Contains(p.Reason, "UTF-8") ||
					p.Location == "line 1" && strings.Contains(p.Reason, "Windows-1252") && c.Records[1].Text == "café ÿ" {
					warned = true
				}
			}
			if !warned {
				t.Errorf("no warning for %s (text %q): problems %v", middle, c.Records[1].Text, c.Problems)
			}
		})
	}
}
