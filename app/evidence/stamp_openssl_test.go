package evidence

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const tsaConfig = `[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = SERIAL
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.2
digests = sha256, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
certs = TSACRT
[ v3_tsa ]
extendedKeyUsage = critical,timeStamping
basicConstraints = CA:FALSE
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
`

// TestStampWithOpenSSLTSA runs a real RFC 3161 time-stamp authority (openssl ts -reply behind a
// loopback HTTP server), stamps a bag, and checks the reply with Verify and `openssl ts -verify`.
func TestStampWithOpenSSLTSA(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	cfg := strings.NewReplacer("SERIAL", p("serial"), "TSACRT", p("tsa.crt")).Replace(tsaConfig)
	os.WriteFile(p("tsa.cnf"), []byte(cfg), 0o600)
	os.WriteFile(p("serial"), []byte("01\n"), 0o600)
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("openssl", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Skipf("openssl %v: %v\n%s", args, err, out)
		}
	}
	run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
		"-subj", "/CN=Test TSA CA", "-days", "3650", "-extensions", "v3_ca", "-config", "tsa.cnf")
	run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "tsa.key", "-out", "tsa.csr", "-subj", "/CN=Test TSA")
	run("x509", "-req", "-in", "tsa.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tsa.crt", "-days", "3650",
		"-extfile", "tsa.cnf", "-extensions", "v3_tsa")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		q := filepath.Join(dir, "q.tsq")
		os.WriteFile(q, b, 0o600)
		cmd := exec.Command("openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", q, "-signer", "tsa.crt", "-inkey", "tsa.key", "-out", "r.tsr")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			http.Error(w, string(out), http.StatusInternalServerError)
			return
		}
		tsr, _ := os.ReadFile(filepath.Join(dir, "r.tsr"))
		w.Header().Set("Content-Type", "application/timestamp-reply")
		w.Write(tsr)
	}))
	defer srv.Close()

	bag := copyBag(t, sharedBag(t))
	if err := Stamp(context.Background(), bag, srv.URL); err != nil {
		t.Fatal(err)
	}
	r := mustVerify(t, bag)
	if !r.OK() || !r.Stamped {
		t.Fatalf("stamped: %v, problems %v", r.Stamped, r.Problems)
	}
	cmd := exec.Command("openssl", "ts", "-verify", "-data", "tagmanifest-sha256.txt", "-in", "tagmanifest-sha256.txt.tsr",
		"-CAfile", p("ca.crt"), "-untrusted", p("tsa.crt"))
	cmd.Dir = bag
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Verification: OK") {
		t.Errorf("openssl ts -verify: %v\n%s", err, out)
	}
	// and the request check catches a stamp over a changed manifest
	cmd = exec.Command("openssl", "ts", "-verify", "-queryfile", "tagmanifest-sha256.txt.tsq", "-in", "tagmanifest-sha256.txt.tsr",
		"-CAfile", p("ca.crt"), "-untrusted", p("tsa.crt"))
	cmd.Dir = bag
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("openssl ts -verify -queryfile: %v\n%s", err, out)
	}
	// one byte of the TSA's signature changed: openssl refuses it, and so must Verify
	tsr, _ := os.ReadFile(filepath.Join(bag, fileTSR))
	tsr[len(tsr)-1] ^= 0x01
	os.WriteFile(filepath.Join(bag, fileTSR), tsr, 0o644)
	cmd = exec.Command("openssl", "ts", "-verify", "-data", "tagmanifest-sha256.txt", "-in", "tagmanifest-sha256.txt.tsr",
		"-CAfile", p("ca.crt"), "-untrusted", p("tsa.crt"))
	cmd.Dir = bag
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Errorf("openssl ts -verify accepts the changed signature:\n%s", out)
	}
	if r := mustVerify(t, bag); r.Stamped || !names(r, fileTSR, Changed) {
		t.Errorf("changed TSA signature: stamped %v, problems %v", r.Stamped, r.Problems)
	}
}
