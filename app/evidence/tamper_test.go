package evidence

import (
	"crypto"
	"crypto/sha256"
	"encoding/asn1"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/digitorus/timestamp"
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

// stampedCopy is a copy of the shared bag with a time-stamp response over its tag manifest, so
// that every kind of tag file is there.
func stampedCopy(t *testing.T) string {
	t.Helper()
	bag := copyBag(t, sharedBag(t))
	tm, err := os.ReadFile(filepath.Join(bag, fileTagMan256))
	if err != nil {
		t.Fatal(err)
	}
	d := sha256.Sum256(tm)
	if err := os.WriteFile(filepath.Join(bag, fileTSR), fakeTSR(t, d[:], tsqNonce(d[:])), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := mustVerify(t, bag); !r.OK() || !r.Stamped || !r.Signed {
		t.Fatalf("stamped copy: signed %v, stamped %v, problems %v", r.Signed, r.Stamped, r.Problems)
	}
	return bag
}

// TestTamperTagFilesOneByte appends a byte (a line feed, which parsers forgive, or a space) to
// every tag file of a signed and stamped bag, and removes its last byte, one change at a time:
// Verify must name that file each time, including the tag files nothing else covers
// (tagmanifest-sha512.txt, the signature, the time-stamp response).
func TestTamperTagFilesOneByte(t *testing.T) {
	bag := stampedCopy(t)
	var tags []string
	for _, rel := range bagFiles(t, bag) {
		if !strings.HasPrefix(rel, "data/") {
			tags = append(tags, rel)
		}
	}
	want := []string{fileAllowed, fileBagInfo, fileBagit, fileManifest256, fileManifest512, "README.txt",
		fileTagMan256, fileSig, fileTSQ, fileTSR, fileTagMan512}
	sort.Strings(want)
	if fmt.Sprint(tags) != fmt.Sprint(want) {
		t.Fatalf("tag files %v, want %v", tags, want)
	}
	for _, rel := range tags {
		full := filepath.Join(bag, rel)
		orig, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		changes := map[string][]byte{
			"LF appended":        append(append([]byte(nil), orig...), '\n'),
			"space appended":     append(append([]byte(nil), orig...), ' '),
			"last byte removed":  orig[:len(orig)-1],
			"first byte removed": orig[1:],
		}
		for what, b := range changes {
			if err := os.WriteFile(full, b, 0o644); err != nil {
				t.Fatal(err)
			}
			r := mustVerify(t, bag)
			if !names(r, rel, "") {
				t.Errorf("%s: %s: not named; problems: %v", rel, what, r.Problems)
			}
			if rel == fileTSR && r.Stamped {
				t.Errorf("%s: %s: still reported stamped", rel, what)
			}
		}
		if err := os.WriteFile(full, orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if r := mustVerify(t, bag); !r.OK() || !r.Stamped {
		t.Fatalf("restored bag: stamped %v, %v", r.Stamped, r.Problems)
	}
}

// TestTamperManifestForm rewrites manifests in forms a lenient parser reads as the same entries
// (blank lines, CRLF, a tab, upper-case hex, another order): each is named as malformed.
func TestTamperManifestForm(t *testing.T) {
	tests := []struct {
		name, file string
		change     func(string) string
	}{
		{"blank line at the end", fileTagMan512, func(s string) string { return s + "\n" }},
		{"blank line inside", fileManifest256, func(s string) string { return strings.Replace(s, "\n", "\n\n", 1) }},
		{"CRLF", fileTagMan512, func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"tab", fileManifest512, func(s string) string { return strings.Replace(s, "  ", "\t", 1) }},
		{"upper-case hex", fileTagMan512, func(s string) string { return strings.ToUpper(s[:10]) + s[10:] }},
		{"lines swapped", fileManifest256, func(s string) string {
			ls := strings.SplitAfter(s, "\n")
			ls[0], ls[1] = ls[1], ls[0]
			return strings.Join(ls, "")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bag := copyBag(t, sharedBag(t))
			if err := rewrite(bag, tt.file, tt.change); err != nil {
				t.Fatal(err)
			}
			r := mustVerify(t, bag)
			found := false
			for _, p := range r.Problems {
				found = found || p.Path == tt.file && p.Kind == BagIt && strings.HasPrefix(p.Detail, "malformed")
			}
			if !found {
				t.Errorf("want %s named malformed; got %v", tt.file, r.Problems)
			}
		})
	}
}

// TestTamperTimeStampSignature flips bytes inside the time-stamp token's signature and strips
// its certificate: Verify must name the .tsr and not report the bag stamped, though the imprint
// and nonce still match.
func TestTamperTimeStampSignature(t *testing.T) {
	bag := stampedCopy(t)
	tsr, err := os.ReadFile(filepath.Join(bag, fileTSR))
	if err != nil {
		t.Fatal(err)
	}
	tm, _ := os.ReadFile(filepath.Join(bag, fileTagMan256))
	d := sha256.Sum256(tm)
	cert, key := testTSA()
	unsigned := timestamp.Timestamp{HashAlgorithm: crypto.SHA256, HashedMessage: d[:], Nonce: tsqNonce(d[:]),
		Time: testNow, Policy: asn1.ObjectIdentifier{1, 2, 3, 4, 1}}
	noCert, err := unsigned.CreateResponseWithOpts(cert, key, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := append([]byte(nil), tsr...)
		b[i] ^= 0x01
		return b
	}
	tests := map[string][]byte{
		"last byte of the signature flipped": flip(len(tsr) - 1),
		"a byte of the signature flipped":    flip(len(tsr) - 10),
		"token without certificate":          noCert,
	}
	for name, b := range tests {
		if err := os.WriteFile(filepath.Join(bag, fileTSR), b, 0o644); err != nil {
			t.Fatal(err)
		}
		r := mustVerify(t, bag)
		if !names(r, fileTSR, Changed) || r.Stamped {
			t.Errorf("%s: stamped %v, problems %v", name, r.Stamped, r.Problems)
		}
	}
}
