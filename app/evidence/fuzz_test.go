package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"raidtrace/app/casefile"
)

// fuzzFiles are the files FuzzVerify rewrites: every tag file of a signed and stamped bag, and
// the custody log (a payload file with its own parser).
var fuzzFiles = []string{fileBagit, fileBagInfo, fileManifest256, fileManifest512, fileTagMan256, fileTagMan512,
	fileSig, fileTSQ, fileTSR, fileAllowed, "README.txt", fileCustody}

// fuzzBagEnv hands the seed bag of FuzzVerify from the fuzzing coordinator to its workers, which
// inherit its environment: built by a worker, under coverage instrumentation, a case and its
// export take minutes.
const fuzzBagEnv = "RAIDTRACE_FUZZ_VERIFY_BAG"

// fuzzWorker reports whether this process is a fuzzing worker (go test -fuzz starts them; the
// coordinator sends them their inputs, so they need no seed corpus).
func fuzzWorker() bool {
	fl := flag.Lookup("test.fuzzworker")
	return fl != nil && fl.Value.String() == "true"
}

// fuzzBag is a private, writable copy of the shared bag with a time-stamp response, and the
// original bytes of every file FuzzVerify or a reseal may change.
func fuzzBag(f *testing.F) (string, map[string][]byte) {
	f.Helper()
	src := os.Getenv(fuzzBagEnv)
	if src == "" || !fuzzWorker() {
		src = copyBag(f, sharedBag(f))
		tm, err := os.ReadFile(filepath.Join(src, fileTagMan256))
		if err != nil {
			f.Fatal(err)
		}
		d := sha256.Sum256(tm)
		if err := os.WriteFile(filepath.Join(src, fileTSR), fakeTSR(f, d[:], tsqNonce(d[:])), 0o644); err != nil {
			f.Fatal(err)
		}
		f.Setenv(fuzzBagEnv, src)
	}
	bag := copyBag(f, src)
	orig := map[string][]byte{}
	for _, name := range fuzzFiles {
		b, err := os.ReadFile(filepath.Join(bag, filepath.FromSlash(name)))
		if err != nil {
			f.Fatal(err)
		}
		orig[name] = b
	}
	if r := mustVerify(f, bag); !r.OK() || !r.Signed || !r.Stamped {
		f.Fatalf("fuzz seed bag: signed %v, stamped %v, problems %v", r.Signed, r.Stamped, r.Problems)
	}
	return bag, orig
}

// FuzzVerify rewrites one file of a real, signed and stamped bag with the fuzzer's bytes (and,
// when resealed, recomputes every manifest as a forger would): Verify must not panic, must read
// the bag, and must name a problem whenever the bag's bytes differ from the original, and none
// when they do not.
func FuzzVerify(f *testing.F) {
	bag, orig := fuzzBag(f)
	for i, name := range fuzzFiles {
		b := orig[name]
		f.Add(uint8(i), false, b)
		f.Add(uint8(i), false, append(bytes.Clone(b), '\n'))
		f.Add(uint8(i), true, bytes.Replace(b, []byte("a"), []byte("b"), 1))
		if len(b) > 1 {
			f.Add(uint8(i), false, b[:len(b)-1])
		}
	}
	f.Add(uint8(1), true, bytes.Replace(orig[fileBagInfo], []byte("Raidtrace-Redacted: false"), []byte("Raidtrace-Redacted: true"), 1))
	f.Add(uint8(1), false, bytes.Replace(orig[fileBagInfo], []byte("Payload-Oxum: "), []byte("Payload-Oxum:  "), 1))
	f.Add(uint8(11), true, bytes.Replace(orig[fileCustody], []byte(`"seq":2`), []byte(`"seq":3`), 1))
	restore := func(t *testing.T) {
		for _, name := range fuzzFiles {
			if err := os.WriteFile(filepath.Join(bag, filepath.FromSlash(name)), orig[name], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, resealed bool, data []byte) {
		name := fuzzFiles[int(which)%len(fuzzFiles)]
		defer restore(t)
		if err := os.WriteFile(filepath.Join(bag, filepath.FromSlash(name)), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if resealed {
			if err := reseal(bag); err != nil {
				t.Fatal(err)
			}
		}
		r, err := Verify(context.Background(), bag)
		if err != nil {
			t.Fatalf("%s rewritten: Verify cannot read the bag: %v", name, err)
		}
		// a reseal rewrites the manifests, a manifest's new bytes included: what counts is the bag
		var changed []string
		for _, n := range fuzzFiles {
			if b, err := os.ReadFile(filepath.Join(bag, filepath.FromSlash(n))); err != nil || !bytes.Equal(b, orig[n]) {
				changed = append(changed, n)
			}
		}
		// A time-stamp response is added after the bag is sealed, so no manifest covers it: what
		// Verify checks is the part the authority signed (imprint, signature). Bytes outside it
		// (such as the embedded certificate's unsigned fields) can change and still verify; the
		// authority's certificate itself is checked by openssl ts -verify against its CA.
		if len(changed) == 1 && changed[0] == fileTSR && r.OK() && r.Stamped {
			return
		}
		if len(changed) > 0 && r.OK() {
			t.Fatalf("%s rewritten (%d bytes, resealed %v): %v changed, reported intact", name, len(data), resealed, changed)
		}
		if len(changed) == 0 && !r.OK() {
			t.Fatalf("%s rewritten with its own bytes: %v", name, r.Problems)
		}
		for _, p := range r.Problems {
			if p.Path == "" || p.Kind == "" || p.Detail == "" {
				t.Fatalf("%s rewritten: a problem without its object, kind or reason: %+v", name, p)
			}
		}
	})
}

var whereInLog = regexp.MustCompile(`^line \d+: |: entry \d+[ :]`)

// FuzzCheckCustodyLog feeds the custody-log parser and chain check arbitrary logs, seeded with
// the logs of a real bag and of its pseudonymised variant: it must not panic; an error must be
// one of the custody errors and say which line or entry; a log it accepts must count its
// entries and end at the last one's hash, and every prefix of it must be accepted too.
func FuzzCheckCustodyLog(f *testing.F) {
	if !fuzzWorker() {
		addCustodySeeds(f)
	}
	f.Fuzz(func(t *testing.T, data []byte, redacted bool) {
		head, n, nMasked, err := checkCustodyLog(data, redacted)
		if err != nil {
			if !errors.Is(err, errCustody) && !errors.Is(err, casefile.ErrChain) {
				t.Fatalf("error %q is neither a custody-log nor a chain error", err)
			}
			if !whereInLog.MatchString(err.Error()) {
				t.Fatalf("error %q does not say which line or entry", err)
			}
			return
		}
		var lines [][]byte
		for _, l := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(l)) > 0 {
				lines = append(lines, l)
			}
		}
		if n != len(lines) || (n == 0) != (head == "") || nMasked > n || (!redacted && nMasked != 0) {
			t.Fatalf("accepted: %d entries (%d masked), head %q; the log has %d non-blank lines", n, nMasked, head, len(lines))
		}
		if n == 0 {
			return
		}
		var last casefile.CustodyEntry
		if err := json.Unmarshal(lines[n-1], &last); err != nil || last.Hash != head {
			t.Fatalf("head %q is not the last entry's hash %q (%v)", head, last.Hash, err)
		}
		prefix := bytes.Join(lines[:n-1], []byte("\n"))
		if _, m, _, err := checkCustodyLog(prefix, redacted); err != nil || m != n-1 {
			t.Fatalf("accepted a log of %d entries but not its first %d: %d, %v", n, n-1, m, err)
		}
	})
}

// addCustodySeeds seeds FuzzCheckCustodyLog with the custody logs of a real bag and of its
// pseudonymised variant, and a few broken ones.
func addCustodySeeds(f *testing.F) {
	full, err := os.ReadFile(filepath.Join(sharedBag(f), filepath.FromSlash(fileCustody)))
	if err != nil {
		f.Fatal(err)
	}
	red := exportTest(f, newTestCase(f), Options{Key: testSigner(f), Redact: true})
	masked, err := os.ReadFile(filepath.Join(red, filepath.FromSlash(fileCustody)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full, false)
	f.Add(masked, true)
	f.Add(masked, false)
	f.Add(append(bytes.Clone(full), "\n\n"...), false)
	f.Add(bytes.Replace(full, []byte(`"who":"`), []byte(`"who":"X`), 1), false)
	f.Add(bytes.Replace(masked, []byte(`"masked":[`), []byte(`"masked":["masked",`), 1), true)
	f.Add([]byte(`{"seq":1,"prev":"","hash":"00"}`+"\n"+`{"seq":1}`), true)
	f.Add([]byte("{\n"), false)
}
