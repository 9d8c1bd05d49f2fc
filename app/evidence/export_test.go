package evidence

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportVerify(t *testing.T) {
	c := newTestCase(t)
	bag := exportTest(t, c, Options{Key: testSigner(t)})
	r, err := Verify(context.Background(), bag)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Problems {
		t.Errorf("problem: %s", p)
	}
	if !r.Signed || r.Fingerprint != testSigner(t).Fingerprint() {
		t.Errorf("signed %v by %q", r.Signed, r.Fingerprint)
	}
	if r.CustodyHead == "" || r.RootHash == "" || r.CaseID == "" {
		t.Errorf("report %+v", r)
	}
	for _, p := range []string{"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
		"tagmanifest-sha512.txt", "tagmanifest-sha256.txt.sig", "tagmanifest-sha256.txt.tsq", "allowed_signers", "README.txt",
		"data/messages.csv", "data/messages.jsonl", "data/clusters.csv", "data/senders.csv", "data/sources.csv",
		"data/analysis/parameters.json", "data/analysis/result.json", "data/analysis/method.txt", "data/analysis/timeline.csv",
		"data/custody.jsonl", "data/rsmf/raidtrace.rsmf", "data/README.txt", "data/evidence-sha256.txt",
		"data/report/report.fr.pdf", "data/report/report.en.pdf", "data/report/report.fr.html", "data/report/report.en.html"} {
		if _, err := os.Stat(filepath.Join(bag, p)); err != nil {
			t.Errorf("missing %s", p)
		}
	}
	orig, _ := filepath.Glob(filepath.Join(bag, "data/originals/*"))
	if len(orig) != 1 {
		t.Fatalf("originals: %v", orig)
	}
	b, _ := os.ReadFile(orig[0])
	if string(b) != testLines() {
		t.Errorf("original %s is not byte for byte", orig[0])
	}
	// the export was logged, after the log copied into the bag
	log, err := c.Custody(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1]
	if last.Action != "export" || last.Details["bag"] != filepath.Base(bag) || last.Prev != r.CustodyHead {
		t.Errorf("last custody entry %+v, bag head %s", last, r.CustodyHead)
	}
	if strings.Contains(filepath.Base(bag), ".partial") {
		t.Errorf("bag name %s", bag)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(bag), ".partial-*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestSample writes a sample bundle into $RAIDTRACE_SAMPLE_DIR for reading by hand.
func TestSample(t *testing.T) {
	dir := os.Getenv("RAIDTRACE_SAMPLE_DIR")
	if dir == "" {
		t.Skip("RAIDTRACE_SAMPLE_DIR not set")
	}
	c := newTestCase(t)
	for _, redact := range []bool{false, true} {
		bag, err := Export(context.Background(), c, dir, Options{Key: testSigner(t), Now: fixedNow, Agent: "raidtrace/test", Redact: redact}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(bag)
	}
}
