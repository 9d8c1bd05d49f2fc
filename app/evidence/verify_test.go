package evidence

import (
	"bytes"
	"context"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

var (
	goldenOnce sync.Once
	goldenBag  string
	goldenErr  error
)

// sharedBag exports the test case once per test binary; tests copy it before changing it.
func sharedBag(t testing.TB) string {
	t.Helper()
	goldenOnce.Do(func() {
		dir, err := os.MkdirTemp("", "raidtrace-evidence-test-")
		if err != nil {
			goldenErr = err
			return
		}
		c := newTestCase(t)
		goldenBag, goldenErr = Export(context.Background(), c, dir, Options{Key: testSigner(t), Now: fixedNow, Agent: "raidtrace/test"}, nil)
	})
	if goldenErr != nil {
		t.Fatal(goldenErr)
	}
	return goldenBag
}

func TestMain(m *testing.M) {
	code := m.Run()
	if goldenBag != "" {
		os.RemoveAll(filepath.Dir(goldenBag))
	}
	os.Exit(code)
}

func copyBag(t testing.TB, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func bagFiles(t *testing.T, bag string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(bag, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(bag, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func mustVerify(t testing.TB, bag string) *VerifyReport {
	t.Helper()
	r, err := Verify(context.Background(), bag)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// names reports whether r has a problem on path (of kind, when kind is not empty).
func names(r *VerifyReport, path string, kind Kind) bool {
	for _, p := range r.Problems {
		if p.Path == path && (kind == "" || p.Kind == kind) {
			return true
		}
	}
	return false
}

func TestVerifyIntact(t *testing.T) {
	r := mustVerify(t, sharedBag(t))
	if !r.OK() {
		t.Fatalf("problems: %v", r.Problems)
	}
}

// TestTamperOneByte changes one byte of every file of the bag, in turn, at several positions;
// Verify must name that file each time.
func TestTamperOneByte(t *testing.T) {
	src := sharedBag(t)
	bag := copyBag(t, src)
	for _, rel := range bagFiles(t, bag) {
		full := filepath.Join(bag, filepath.FromSlash(rel))
		orig, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		// large files: first, middle and last byte and 8 more spread at random (seeded by name)
		positions := []int{0, len(orig) / 2, len(orig) - 1}
		rng := rand.New(rand.NewPCG(uint64(len(rel)), uint64(len(orig))))
		for range 8 {
			positions = append(positions, rng.IntN(len(orig)))
		}
		if len(orig) <= 200 {
			positions = positions[:0]
			for i := range orig {
				positions = append(positions, i)
			}
		}
		for _, pos := range positions {
			b := bytes.Clone(orig)
			b[pos] ^= 0x01
			if err := os.WriteFile(full, b, 0o644); err != nil {
				t.Fatal(err)
			}
			r := mustVerify(t, bag)
			if !names(r, rel, "") {
				t.Errorf("%s: byte %d changed: not named; problems: %v", rel, pos, r.Problems)
			}
		}
		os.WriteFile(full, orig, 0o644)
	}
	if r := mustVerify(t, bag); !r.OK() {
		t.Fatalf("restored bag: %v", r.Problems)
	}
}

func TestTamperFiles(t *testing.T) {
	tests := []struct {
		name   string
		change func(bag string) error
		path   string
		kind   Kind
	}{
		{"add payload file", func(bag string) error {
			return os.WriteFile(filepath.Join(bag, "data", "new.txt"), []byte("x"), 0o644)
		}, "data/new.txt", Extra},
		{"add payload file breaks oxum", func(bag string) error {
			return os.WriteFile(filepath.Join(bag, "data", "new.txt"), []byte("x"), 0o644)
		}, "bag-info.txt", Oxum},
		{"add tag file", func(bag string) error {
			return os.WriteFile(filepath.Join(bag, "notes.txt"), []byte("x"), 0o644)
		}, "notes.txt", Extra},
		{"add file in other folder", func(bag string) error {
			os.MkdirAll(filepath.Join(bag, "extra"), 0o755)
			return os.WriteFile(filepath.Join(bag, "extra", "a.txt"), []byte("x"), 0o644)
		}, "extra/a.txt", Extra},
		{"remove payload file", func(bag string) error {
			return os.Remove(filepath.Join(bag, "data", "clusters.csv"))
		}, "data/clusters.csv", Missing},
		{"remove tag file", func(bag string) error {
			return os.Remove(filepath.Join(bag, "bag-info.txt"))
		}, "bag-info.txt", Missing},
		{"remove signature", func(bag string) error {
			return os.Remove(filepath.Join(bag, "tagmanifest-sha256.txt.sig"))
		}, "tagmanifest-sha256.txt.sig", Missing},
		{"remove tsq", func(bag string) error {
			return os.Remove(filepath.Join(bag, "tagmanifest-sha256.txt.tsq"))
		}, "tagmanifest-sha256.txt.tsq", Missing},
		{"remove bagit.txt", func(bag string) error {
			return os.Remove(filepath.Join(bag, "bagit.txt"))
		}, "bagit.txt", Missing},
		{"rename payload file (old name)", func(bag string) error {
			return os.Rename(filepath.Join(bag, "data", "senders.csv"), filepath.Join(bag, "data", "senders2.csv"))
		}, "data/senders.csv", Missing},
		{"rename payload file (new name)", func(bag string) error {
			return os.Rename(filepath.Join(bag, "data", "senders.csv"), filepath.Join(bag, "data", "senders2.csv"))
		}, "data/senders2.csv", Extra},
		{"oxum mismatch", func(bag string) error {
			return rewrite(bag, "bag-info.txt", func(s string) string {
				return replaceLine(s, "Payload-Oxum: ", "Payload-Oxum: 1.1")
			})
		}, "bag-info.txt", Oxum},
		{"signature over other content", func(bag string) error {
			sig, err := testSigner(t).Sign([]byte("other content\n"))
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(bag, "tagmanifest-sha256.txt.sig"), sig, 0o644)
		}, "tagmanifest-sha256.txt.sig", Signature},
		{"signature by another key", func(bag string) error {
			other, err := LoadOrCreateKey(t.TempDir())
			if err != nil {
				return err
			}
			tm, _ := os.ReadFile(filepath.Join(bag, "tagmanifest-sha256.txt"))
			sig, _ := other.Sign(tm)
			return os.WriteFile(filepath.Join(bag, "tagmanifest-sha256.txt.sig"), sig, 0o644)
		}, "tagmanifest-sha256.txt.sig", Signature},
		{"custody entry altered and manifests recomputed", func(bag string) error {
			if err := rewrite(bag, "data/custody.jsonl", func(s string) string {
				return strings.Replace(s, `"action":"import"`, `"action":"imp0rt"`, 1)
			}); err != nil {
				return err
			}
			return reseal(bag)
		}, "data/custody.jsonl", Custody},
		{"custody entry removed and manifests recomputed", func(bag string) error {
			if err := rewrite(bag, "data/custody.jsonl", func(s string) string {
				lines := strings.SplitAfter(s, "\n")
				return strings.Join(append(lines[:1:1], lines[2:]...), "")
			}); err != nil {
				return err
			}
			return reseal(bag)
		}, "data/custody.jsonl", Custody},
		{"resealed by someone else: signature", func(bag string) error {
			if err := rewrite(bag, "data/messages.csv", func(s string) string { return strings.Replace(s, "conasse", "c0nasse", 1) }); err != nil {
				return err
			}
			return reseal(bag)
		}, "tagmanifest-sha256.txt", Changed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bag := copyBag(t, sharedBag(t))
			if err := tt.change(bag); err != nil {
				t.Fatal(err)
			}
			r := mustVerify(t, bag)
			if !names(r, tt.path, tt.kind) {
				t.Errorf("want a %s problem on %s; got %v", tt.kind, tt.path, r.Problems)
			}
		})
	}
}

func rewrite(bag, rel string, fn func(string) string) error {
	p := filepath.Join(bag, filepath.FromSlash(rel))
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return os.WriteFile(p, []byte(fn(string(b))), 0o644)
}

func replaceLine(s, prefix, repl string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i] = repl
		}
	}
	return strings.Join(lines, "\n")
}

// reseal recomputes every manifest as a forger would (without the signing key).
func reseal(bag string) error {
	w := &bagWriter{root: bag}
	for _, dataOnly := range []bool{true, false} {
		_ = dataOnly
	}
	var payload, tags []fileSum
	err := filepath.WalkDir(bag, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(bag, p)
		rel = filepath.ToSlash(rel)
		sums, n, err := hashFile(p, algorithms)
		if err != nil {
			return err
		}
		fs := fileSum{path: rel, size: n, sums: sums}
		switch {
		case strings.HasPrefix(rel, "data/"):
			payload = append(payload, fs)
		case rel == "bagit.txt" || rel == "bag-info.txt" || rel == "README.txt" || rel == "allowed_signers":
			tags = append(tags, fs)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, a := range algorithms {
		os.WriteFile(filepath.Join(bag, "manifest-"+a+".txt"), manifest(payload, a), 0o644)
	}
	for _, a := range algorithms {
		sums, n, _ := hashFile(filepath.Join(bag, "manifest-"+a+".txt"), algorithms)
		tags = append(tags, fileSum{path: "manifest-" + a + ".txt", size: n, sums: sums})
	}
	for _, a := range algorithms {
		os.WriteFile(filepath.Join(bag, "tagmanifest-"+a+".txt"), manifest(tags, a), 0o644)
	}
	_ = w
	return nil
}

func TestSha256sumAccepts(t *testing.T) {
	for _, tool := range []string{"sha256sum", "sha512sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	bag := sharedBag(t)
	for _, args := range [][]string{
		{"sha256sum", "-c", "--strict", "manifest-sha256.txt"},
		{"sha256sum", "-c", "--strict", "tagmanifest-sha256.txt"},
		{"sha512sum", "-c", "--strict", "manifest-sha512.txt"},
		{"sha512sum", "-c", "--strict", "tagmanifest-sha512.txt"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = bag
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	cmd := exec.Command("sha256sum", "-c", "--strict", "evidence-sha256.txt")
	cmd.Dir = filepath.Join(bag, "data")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("evidence list: %v\n%s", err, out)
	}
	// and it fails on a changed file
	tampered := copyBag(t, bag)
	rewrite(tampered, "data/messages.csv", func(s string) string { return s + "x" })
	cmd = exec.Command("sha256sum", "-c", "--quiet", "manifest-sha256.txt")
	cmd.Dir = tampered
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "data/messages.csv: FAILED") {
		t.Errorf("sha256sum on a tampered bag: %v\n%s", err, out)
	}
}

func TestSshKeygenVerifies(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Skip("ssh-keygen not installed")
	}
	bag := sharedBag(t)
	run := func(dir string) (string, error) {
		tm, _ := os.Open(filepath.Join(dir, "tagmanifest-sha256.txt"))
		defer tm.Close()
		cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "raidtrace", "-n", "raidtrace-bundle", "-s", "tagmanifest-sha256.txt.sig")
		cmd.Dir = dir
		cmd.Stdin = tm
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(bag)
	if err != nil || !strings.Contains(out, testSigner(t).Fingerprint()) {
		t.Fatalf("ssh-keygen -Y verify: %v\n%s", err, out)
	}
	tampered := copyBag(t, bag)
	rewrite(tampered, "tagmanifest-sha256.txt", func(s string) string { return strings.Replace(s, "a", "b", 1) })
	if out, err := run(tampered); err == nil {
		t.Errorf("ssh-keygen accepted a changed tag manifest:\n%s", out)
	}
}

func TestOpensslReadsTSQ(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	bag := sharedBag(t)
	cmd := exec.Command("openssl", "ts", "-query", "-in", "tagmanifest-sha256.txt.tsq", "-text")
	cmd.Dir = bag
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	tm, _ := os.ReadFile(filepath.Join(bag, "tagmanifest-sha256.txt"))
	h := sha256Hex(tm)
	s := string(out)
	for _, want := range []string{"Version: 1", "Hash Algorithm: sha256", "Certificate required: yes", "Nonce: 0x"} {
		if !strings.Contains(s, want) {
			t.Errorf("openssl output lacks %q:\n%s", want, s)
		}
	}
	// the imprint is printed as a hex dump: compare the first bytes
	if !strings.Contains(strings.ReplaceAll(s, "-", " "), h[0:2]+" "+h[2:4]+" "+h[4:6]) {
		t.Errorf("imprint %s not in:\n%s", h, s)
	}
}

// TestCheckCustodyLogOneObjectALine: bytes after an entry's JSON object on its line, which a
// JSON decoder would leave unread, are named (found by FuzzCheckCustodyLog).
func TestCheckCustodyLogOneObjectALine(t *testing.T) {
	log, err := os.ReadFile(filepath.Join(sharedBag(t), filepath.FromSlash(fileCustody)))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := checkCustodyLog(log, false); err != nil {
		t.Fatalf("the bag's own log: %v", err)
	}
	first, rest, _ := bytes.Cut(log, []byte("\n"))
	for _, tail := range []string{"00", "{}", `,"x"`, " garbage"} {
		bad := append(append(append([]byte(nil), first...), tail...), append([]byte("\n"), rest...)...)
		_, _, _, err := checkCustodyLog(bad, false)
		if err == nil || !strings.Contains(err.Error(), "line 1: ") || !strings.Contains(err.Error(), "after the entry") {
			t.Errorf("%q after the first entry: error %v, want line 1 named", tail, err)
		}
	}
}
