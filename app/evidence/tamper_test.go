package evidence

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTamperEveryFile removes each file of a bag, renames each file, and adds a file in each
// folder, one change at a time on the same copy (restored after each): Verify must name the
// affected file every time, and the restored bag must verify again.
func TestTamperEveryFile(t *testing.T) {
	bag := copyBag(t, sharedBag(t))
	files := bagFiles(t, bag)
	dirs := map[string]bool{"": true}
	for _, rel := range files {
		full := filepath.Join(bag, filepath.FromSlash(rel))
		dirs[filepath.ToSlash(filepath.Dir(rel))] = true
		orig, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		// removed
		if err := os.Remove(full); err != nil {
			t.Fatal(err)
		}
		if r := mustVerify(t, bag); !names(r, rel, "") {
			t.Errorf("removed %s: not named; problems: %v", rel, r.Problems)
		}
		// renamed (the file is back under another name)
		renamed := rel + ".renamed"
		if err := os.WriteFile(full+".renamed", orig, 0o644); err != nil {
			t.Fatal(err)
		}
		r := mustVerify(t, bag)
		if !names(r, rel, "") {
			t.Errorf("renamed %s: old name not named; problems: %v", rel, r.Problems)
		}
		if !names(r, renamed, "") {
			t.Errorf("renamed %s: new name %s not named; problems: %v", rel, renamed, r.Problems)
		}
		os.Remove(full + ".renamed")
		if err := os.WriteFile(full, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	delete(dirs, ".")
	dirs[""] = true
	for d := range dirs {
		rel := strings.TrimPrefix(d+"/added.txt", "/")
		full := filepath.Join(bag, filepath.FromSlash(rel))
		if err := os.WriteFile(full, []byte("added\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if r := mustVerify(t, bag); !names(r, rel, Extra) {
			t.Errorf("added %s: not named as extra; problems: %v", rel, r.Problems)
		}
		os.Remove(full)
	}
	if len(dirs) < 4 {
		t.Errorf("only %d folders in the bag: %v", len(dirs), dirs)
	}
	if r := mustVerify(t, bag); !r.OK() {
		t.Fatalf("restored bag: %v", r.Problems)
	}
	t.Logf("%d files removed and renamed, %d folders given an extra file", len(files), len(dirs))
}

// TestTamperCustodyEachEntry alters each entry of the bag's custody log in turn (its "who",
// then the manifests recomputed as a forger would): Verify reports the chain broken at exactly
// that entry.
func TestTamperCustodyEachEntry(t *testing.T) {
	src := sharedBag(t)
	log, err := os.ReadFile(filepath.Join(src, "data", "custody.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(log), "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("custody log has %d entries, want at least 3", len(lines))
	}
	for i, l := range lines {
		if !strings.Contains(l, `"who":"`) {
			t.Fatalf("entry %d has no who: %s", i+1, l)
		}
		bag := copyBag(t, src)
		changed := append([]string(nil), lines...)
		changed[i] = strings.Replace(l, `"who":"`, `"who":"X`, 1)
		if err := os.WriteFile(filepath.Join(bag, "data", "custody.jsonl"), []byte(strings.Join(changed, "")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := reseal(bag); err != nil {
			t.Fatal(err)
		}
		r := mustVerify(t, bag)
		want := fmt.Sprintf("entry %d ", i+1)
		found := false
		for _, p := range r.Problems {
			if p.Path == fileCustody && p.Kind == Custody {
				found = true
				if !strings.Contains(p.Detail, want) {
					t.Errorf("entry %d altered: the chain is reported broken elsewhere: %s", i+1, p.Detail)
				}
			}
		}
		if !found {
			t.Errorf("entry %d altered: no custody problem; problems: %v", i+1, r.Problems)
		}
	}
}
