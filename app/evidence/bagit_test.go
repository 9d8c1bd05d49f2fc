package evidence

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/digitorus/timestamp"
)

// TestOddPathsRoundTrip writes payload files whose names hold spaces, "%", CR and LF, checks the
// manifest encodes them as RFC 8493 says (%25, %0D, %0A) and that Verify reads them back.
func TestOddPathsRoundTrip(t *testing.T) {
	root := t.TempDir()
	w := &bagWriter{root: root}
	names := []string{"data/a file with spaces.txt", "data/100%.txt", "data/line\nbreak.txt", "data/cr\rhere.txt", "data/élève é.txt"}
	for _, n := range names {
		if err := w.writeFile(n, []byte(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.writeManifests(); err != nil {
		t.Fatal(err)
	}
	w.writeFile(fileBagit, []byte(bagitText))
	w.writeFile(fileBagInfo, BagInfo{{"Payload-Oxum", w.oxum()}}.Bytes())
	w.writeTagManifests()
	tm, _ := os.ReadFile(filepath.Join(root, fileTagMan256))
	tsq, _ := TimeStampRequest(tm)
	os.WriteFile(filepath.Join(root, fileTSQ), tsq, 0o644)

	man, _ := os.ReadFile(filepath.Join(root, fileManifest256))
	for _, want := range []string{"data/100%25.txt", "data/line%0Abreak.txt", "data/cr%0Dhere.txt", "data/a file with spaces.txt"} {
		if !bytes.Contains(man, []byte("  "+want+"\n")) {
			t.Errorf("manifest lacks %q:\n%s", want, man)
		}
	}
	entries, err := ParseManifest(bytes.NewReader(man))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, e := range entries {
		got[e.Path] = true
	}
	for _, n := range names {
		if !got[n] {
			t.Errorf("parsed manifest lacks %q", n)
		}
	}
	r, err := VerifyWith(context.Background(), root, VerifyOptions{AllowUnsigned: true}) // a bag of paths, not signed
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || !r.UnsignedAllowed {
		t.Fatalf("unsigned allowed %v, problems: %v", r.UnsignedAllowed, r.Problems)
	}
	// sha256sum reads the plain names (not the encoded ones)
	if _, err := exec.LookPath("sha256sum"); err == nil {
		plain := []string{}
		for _, l := range strings.Split(string(man), "\n") {
			if strings.Contains(l, "spaces") || strings.Contains(l, "élève") {
				plain = append(plain, l)
			}
		}
		cmd := exec.Command("sha256sum", "-c", "--strict", "-")
		cmd.Dir = root
		cmd.Stdin = strings.NewReader(strings.Join(plain, "\n") + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum: %v\n%s", err, out)
		}
	}
}

func TestParseManifestErrors(t *testing.T) {
	for _, in := range []string{
		"zz  data/a\n",
		"abcd\n",
		"abcd  ../etc/passwd\n",
		"abcd  /etc/passwd\n",
		"abcd  data/../../x\n",
		"abc  data/x\n",
	} {
		if _, err := ParseManifest(strings.NewReader(in)); err == nil {
			t.Errorf("%q: no error", in)
		} else if !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: error %v does not name the line", in, err)
		}
	}
}

func FuzzParseManifest(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "manifests", "*"))
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  data/a%0Ab\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := ParseManifest(bytes.NewReader(b))
		if err != nil {
			return
		}
		for _, e := range entries {
			if checkRelPath(e.Path) != nil {
				t.Fatalf("accepted path %q", e.Path)
			}
			// what we write, we read back
			back, err := ParseManifest(strings.NewReader(e.Sum + "  " + encodePath(e.Path) + "\n"))
			if err != nil || len(back) != 1 || back[0].Path != e.Path {
				t.Fatalf("round trip of %q: %v %v", e.Path, back, err)
			}
		}
	})
}

func TestBagInfoParse(t *testing.T) {
	bi, err := parseBagInfo([]byte("Source-Organization: A\nExternal-Description: one\n  two\nPayload-Oxum: 10.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := bi.Get("external-description"); v != "one two" {
		t.Errorf("continuation: %q", v)
	}
	if o, s, err := parseOxum("10.2"); o != 10 || s != 2 || err != nil {
		t.Errorf("oxum %d %d %v", o, s, err)
	}
}

// testTSA is a time-stamp authority's key and self-signed certificate, made once per test run.
var testTSA = sync.OnceValues(func() (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test TSA"},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		panic(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return cert, key
})

// fakeTSR is a granted time-stamp response over digest with nonce, signed by testTSA and
// carrying its certificate, as a real authority answers a request with certReq.
func fakeTSR(t testing.TB, digest []byte, nonce *big.Int) []byte {
	t.Helper()
	cert, key := testTSA()
	ts := timestamp.Timestamp{HashAlgorithm: crypto.SHA256, HashedMessage: digest, Nonce: nonce,
		Time: time.Date(2024, 5, 2, 10, 0, 0, 0, time.UTC), Policy: asn1.ObjectIdentifier{1, 2, 3, 4, 1}, AddTSACertificate: true}
	out, err := ts.CreateResponseWithOpts(cert, key, crypto.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStamp(t *testing.T) {
	bag := copyBag(t, sharedBag(t))
	tm, _ := os.ReadFile(filepath.Join(bag, fileTagMan256))
	d := sha256.Sum256(tm)
	var gotType string
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotType = r.Header.Get("Content-Type")
		gotBody = make([]byte, r.ContentLength)
		r.Body.Read(gotBody)
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(fakeTSR(t, d[:], tsqNonce(d[:])))
	}))
	defer srv.Close()
	if err := Stamp(context.Background(), bag, srv.URL); err != nil {
		t.Fatal(err)
	}
	tsq, _ := os.ReadFile(filepath.Join(bag, fileTSQ))
	if gotType != "application/timestamp-query" || !bytes.Equal(gotBody, tsq) {
		t.Errorf("request %q %x", gotType, gotBody)
	}
	r := mustVerify(t, bag)
	if !r.OK() || !r.Stamped {
		t.Fatalf("stamped bag: stamped %v, %v", r.Stamped, r.Problems)
	}
	// a response over other content is named
	os.WriteFile(filepath.Join(bag, fileTSR), fakeTSR(t, make([]byte, 32), big.NewInt(1)), 0o644)
	if r := mustVerify(t, bag); !names(r, fileTSR, Changed) {
		t.Errorf("foreign tsr not named: %v", r.Problems)
	}
	// a refusing TSA leaves no response behind
	os.Remove(filepath.Join(bag, fileTSR))
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusForbidden)
	}))
	defer bad.Close()
	if err := Stamp(context.Background(), bag, bad.URL); err == nil {
		t.Errorf("stamp with a refusing TSA: no error")
	}
	if _, err := os.Stat(filepath.Join(bag, fileTSR)); err == nil {
		t.Errorf("tsr written after a refusal")
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	a, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st.Mode(), err)
	}
	b, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.Fingerprint() != b.Fingerprint() || !strings.HasPrefix(a.Fingerprint(), "SHA256:") {
		t.Errorf("fingerprints %s %s", a.Fingerprint(), b.Fingerprint())
	}
	if _, err := exec.LookPath("ssh-keygen"); err == nil {
		out, err := exec.Command("ssh-keygen", "-l", "-f", filepath.Join(dir, PubKeyFile)).CombinedOutput()
		if err != nil || !strings.Contains(string(out), a.Fingerprint()) {
			t.Errorf("ssh-keygen -l: %v %s, want %s", err, out, a.Fingerprint())
		}
		// ssh-keygen reads the private key too
		out, err = exec.Command("ssh-keygen", "-y", "-f", filepath.Join(dir, KeyFile)).CombinedOutput()
		if err != nil || !strings.Contains(string(a.AuthorizedKey()), strings.Fields(string(out))[1]) {
			t.Errorf("ssh-keygen -y: %v %s", err, out)
		}
	}
}

func TestZipExport(t *testing.T) {
	c := newTestCase(t)
	out := exportTest(t, c, Options{Zip: true, Key: testSigner(t)})
	if !strings.HasSuffix(out, ".zip") {
		t.Fatalf("zip export returned %s", out)
	}
	if _, err := os.Stat(strings.TrimSuffix(out, ".zip")); err != nil {
		t.Errorf("bag folder beside the zip: %v", err)
	}
	// user-only, like the bag folder: it holds the originals and every message
	for _, p := range []string{out, strings.TrimSuffix(out, ".zip")} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s: mode %v, want user-only", filepath.Base(p), perm)
		}
	}
	if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
		t.Errorf("zip mode %v, want 0600", st.Mode().Perm())
	}
	if _, err := exec.LookPath("unzip"); err != nil {
		t.Skip("unzip not installed")
	}
	dir := t.TempDir()
	if b, err := exec.Command("unzip", "-q", out, "-d", dir).CombinedOutput(); err != nil {
		t.Fatalf("unzip: %v %s", err, b)
	}
	r := mustVerify(t, filepath.Join(dir, filepath.Base(strings.TrimSuffix(out, ".zip"))))
	if !r.OK() {
		t.Errorf("unzipped bag: %v", r.Problems)
	}
}
