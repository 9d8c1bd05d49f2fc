//go:build unix

package evidence

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestExportRemovesStalePartials: an export first removes the partial bundles (folders and
// zips) that killed exports left in its folder, and says how many, but leaves those a running
// export holds locked, anything not named .partial-raidtrace-…, and symbolic links.
func TestExportRemovesStalePartials(t *testing.T) {
	ctx := context.Background()
	c := newTestCase(t)
	dir := t.TempDir()
	write := func(rel string, n int) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, n), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const staleDir = ".partial-raidtrace-0f8c2b7e-20240101T000000Z-123"
	const staleZip = ".partial-raidtrace-0f8c2b7e-20240101T000000Z.zip-456"
	const busyDir = ".partial-raidtrace-0f8c2b7e-20240102T000000Z-789"
	const busyZip = ".partial-raidtrace-0f8c2b7e-20240102T000000Z.zip-1"
	write(staleDir+"/data/messages.csv", 1000)
	write(staleDir+"/data/originals/a", 24)
	write(staleZip, 500)
	write(busyDir+"/data/messages.csv", 10)
	write(busyZip, 10)
	write(".partial-other-tool", 10)
	write("notes.txt", 10)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, ".partial-raidtrace-link")); err != nil {
		t.Fatal(err)
	}
	// a running export holds these
	busy, err := flockPath(ctx, filepath.Join(dir, busyDir), false)
	if err != nil {
		t.Fatal(err)
	}
	busyZ, err := os.OpenFile(filepath.Join(dir, busyZip), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := flockFile(busyZ); err != nil {
		t.Fatal(err)
	}

	var got []Cleanup
	opt := Options{Key: testSigner(t), Now: fixedNow, Agent: "raidtrace/test", Zip: true, Cleanup: func(c Cleanup) { got = append(got, c) }}
	out, err := Export(ctx, c, dir, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Removed != 2 || got[0].Bytes != 1524 || len(got[0].Failed) != 0 {
		t.Fatalf("cleanup reported %+v, want 2 removed, 1524 bytes", got)
	}
	if s := got[0].String(); !strings.Contains(s, "removed 2 stale partial bundle(s) (1.5 KiB)") {
		t.Errorf("cleanup says %q", s)
	}
	want := []string{busyDir, busyZip, ".partial-other-tool", ".partial-raidtrace-link"}
	sort.Strings(want)
	if left := partialEntries(t, dir); strings.Join(left, " ") != strings.Join(want, " ") {
		t.Errorf("left %v, want %v", left, want)
	}
	if _, err := os.Stat(filepath.Join(outside, "keep")); err != nil {
		t.Errorf("the target of a symbolic link was touched: %v", err)
	}
	if r := mustVerify(t, strings.TrimSuffix(out, ".zip")); !r.OK() {
		t.Errorf("bag: %v", r.Problems)
	}

	// once their export is gone, they are stale too; then there is nothing to say
	busy.Close()
	busyZ.Close()
	got = nil
	opt.Zip = false
	opt.Now = func() time.Time { return testNow.Add(time.Hour) }
	if _, err := Export(ctx, c, dir, opt, nil); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Removed != 2 || got[0].Bytes != 20 {
		t.Errorf("second export: cleanup reported %+v, want 2 removed, 20 bytes", got)
	}
	got = nil
	opt.Now = func() time.Time { return testNow.Add(2 * time.Hour) }
	if _, err := Export(ctx, c, dir, opt, nil); err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("third export: cleanup reported %+v, want no call", got)
	}
}

// TestExportLocksItsPartials: while an export writes, its partial folder and zip are locked, so
// that another export's sweep leaves them alone.
func TestExportLocksItsPartials(t *testing.T) {
	ctx := context.Background()
	c := newTestCase(t)
	dir := t.TempDir()
	checked := false
	progress := func(stage string, _ float64) {
		if stage != "report" || checked {
			return
		}
		checked = true
		names := partialEntries(t, dir)
		if len(names) != 2 {
			t.Errorf("during the export: partials %v, want its folder and zip", names)
		}
		for _, n := range names {
			if _, err := flockPath(ctx, filepath.Join(dir, n), false); !errors.Is(err, errBusy) {
				t.Errorf("%s: lock taken by another (%v): it is not locked by its export", n, err)
			}
		}
		if cl := removeStale(ctx, dir); cl.Removed != 0 {
			t.Errorf("a sweep during the export removed %d of its partials", cl.Removed)
		}
	}
	if _, err := Export(ctx, c, dir, Options{Key: testSigner(t), Now: fixedNow, Zip: true}, progress); err != nil {
		t.Fatal(err)
	}
	if !checked {
		t.Fatal("no report stage seen")
	}
	if left := partialEntries(t, dir); len(left) != 0 {
		t.Errorf("after the export: %v left", left)
	}
}
