package evidence

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// secretsOf lists what a pseudonymised bundle of c must not contain: every sender's and
// recipient's identifiers (raw, E.164, digits only, handle, account id, display name), the
// platform ids, the real record hashes, and each source's name and path.
func secretsOf(t *testing.T, c *casefile.Case) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	add := func(what, s string) {
		s = strings.TrimSpace(s)
		if len([]rune(s)) >= 5 { // shorter strings ("me", "42") are found in any file by chance
			out[s] = what
		}
	}
	party := func(p importers.Party) {
		add("raw sender", p.Raw)
		add("E.164 number", p.E164)
		if d := strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, p.Raw); len(d) >= 8 {
			add("number digits", d)
		}
		if p.Handle != "" {
			add("handle", "@"+p.Handle)
			add("handle", p.Handle)
		}
		add("account id", p.ID)
		if p.Name != "" && p.Name != "(Unknown)" {
			add("display name", p.Name)
		}
	}
	err := c.EachMessage(ctx, func(m casefile.Message) error {
		party(m.Sender)
		for _, r := range m.Recipients {
			party(r)
		}
		add("platform id", m.PlatformID)
		add("record hash", m.Hash)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	srcs, err := c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		add("source name", s.Name)
		add("source path", s.Path)
		add("source folder", filepath.Dir(s.Path))
	}
	return out
}

// finder finds many strings in a text in one pass: the strings are indexed by their first
// bytes, so that only the few sharing them are compared at each position.
type finder map[string][]string

const finderPrefix = 4

func newFinder(strs map[string]string) finder {
	f := finder{}
	for s := range strs {
		f[s[:finderPrefix]] = append(f[s[:finderPrefix]], s)
	}
	return f
}

// each calls fn with every string found in txt and its first position, once per string.
func (f finder) each(txt string, fn func(s string, at int)) {
	done := map[string]bool{}
	for i := 0; i+finderPrefix <= len(txt); i++ {
		for _, s := range f[txt[i:i+finderPrefix]] {
			if !done[s] && strings.HasPrefix(txt[i:], s) {
				done[s] = true
				fn(s, i)
			}
		}
	}
}

// bagTexts returns the text of every file of a bag, by path: files as they are, the English PDF
// as pdftotext reads it (when installed), and the RSMF's parts decoded, its zip unpacked.
func bagTexts(t *testing.T, bag string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(bag, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(bag, p)
		rel = filepath.ToSlash(rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[rel] = string(b)
		switch {
		case strings.HasSuffix(rel, ".pdf") && !strings.HasSuffix(rel, ".fr.pdf"):
			// one language: pdftotext is slow, and both show the same identifiers
			if _, err := exec.LookPath("pdftotext"); err == nil {
				txt, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
				if err != nil {
					t.Fatalf("pdftotext %s: %v", rel, err)
				}
				out[rel+" (text)"] = string(txt)
			}
		case strings.HasSuffix(rel, ".rsmf"):
			for name, s := range rsmfParts(t, b) {
				out[rel+" "+name] = s
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rsmfParts decodes the base64 MIME parts of an RSMF file: the text body, and every file of its
// rsmf.zip.
func rsmfParts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	parts := strings.Split(string(b), "\r\n\r\n")
	for i, p := range parts[1:] {
		enc, _, _ := strings.Cut(p, "--raidtrace-")
		raw, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(enc, "\r\n", ""))
		if err != nil {
			continue // the headers between parts
		}
		if zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw))); err == nil {
			for _, f := range zr.File {
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				zb, _ := io.ReadAll(rc)
				rc.Close()
				out["rsmf.zip/"+f.Name] = string(zb)
			}
			continue
		}
		out["part "+string(rune('1'+i))] = string(raw)
	}
	if len(out) < 2 {
		t.Fatalf("rsmf: decoded %d parts, want the text and the zip", len(out))
	}
	return out
}

// TestRedactedDemoBagLeaksNothing exports the demo case (with a reviewer's note and a custody
// note quoting a sender's number) as a pseudonymised bag and looks in every file, PDFs as text
// and the RSMF decoded, for every real identifier of the case: none may be there.
func TestRedactedDemoBagLeaksNothing(t *testing.T) {
	ctx := context.Background()
	c, err := casefile.OpenDemo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	msgs, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var number string
	for _, m := range msgs {
		if m.Sender.E164 != "" && m.Direction == importers.Incoming {
			number = m.Sender.Raw
			if err := c.Decide(ctx, casefile.Decision{MessageID: m.ID, Subject: "member", Verdict: "confirmed",
				Note: "même auteur que " + m.Sender.E164, Who: "Camille Martin", At: testNow}); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if _, err := c.Log(ctx, "note", map[string]any{"cluster_id": 1, "note": "rappeler le " + number, "who": "Camille Martin"}); err != nil {
		t.Fatal(err)
	}
	secrets := secretsOf(t, c)
	if len(secrets) < 200 {
		t.Fatalf("only %d identifiers in the demo case", len(secrets))
	}
	// the full tables have them (the scan can see them), the pseudonymised bag none
	idx := newFinder(secrets)
	m, err := BuildModel(ctx, c, BuildOptions{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	var tables bytes.Buffer
	for _, w := range []func(io.Writer) error{m.WriteMessagesJSONL, m.WriteSendersCSV, m.WriteSourcesCSV, m.WriteCustodyJSONL} {
		if err := w(&tables); err != nil {
			t.Fatal(err)
		}
	}
	found := 0
	idx.each(tables.String(), func(string, int) { found++ })
	if found < len(secrets)/2 {
		t.Fatalf("the full bag shows only %d of %d identifiers: the scan is blind", found, len(secrets))
	}
	bag := exportTest(t, c, Options{Key: testSigner(t), Redact: true})
	texts := bagTexts(t, bag)
	var files []string
	for f := range texts {
		files = append(files, f)
	}
	sort.Strings(files)
	leaks := 0
	for _, f := range files {
		txt := texts[f]
		idx.each(txt, func(s string, i int) {
			leaks++
			if leaks <= 20 {
				t.Errorf("%s: %s %q near %q", f, secrets[s], s, txt[max(0, i-60):min(len(txt), i+len(s)+20)])
			}
		})
	}
	if leaks > 20 {
		t.Errorf("… %d leaks in all", leaks)
	}
	if r := mustVerify(t, bag); !r.OK() || r.CustodyMasked == 0 {
		t.Errorf("redacted bag: %d masked custody entries, problems %v", r.CustodyMasked, r.Problems)
	}
}

// TestRedactResult checks the analysis result of a pseudonymised model field by field: every
// value naming or derived from a sender is replaced, consistently with the messages' pseudonyms,
// and the model's original result is left untouched.
func TestRedactResult(t *testing.T) {
	key := pseudonymKey("case-1", nil)
	res := &analysis.Result{
		Clusters: []analysis.Cluster{{ID: 1, Template: "appelle le 06 12 34 56 78", Normalised: "appelle le 0612345678",
			Variants:     []analysis.Variant{{Text: "appelle le 0612345678", Example: "appelle le 06 12 34 56 78 @bob", Diff: []string{"+0612345678"}}},
			NumberBlocks: []analysis.NumberBlock{{Prefix: "+33754400", Senders: 4}},
			NamePatterns: []analysis.NamePattern{{Pattern: "jean.dupont##", Senders: 3}},
			Cadence:      analysis.Cadence{Scope: "cluster", Key: "appelle le 06 12 34 56 78"}}},
		Cadence:   []analysis.Cadence{{Scope: "sender", Key: "+33754400123"}, {Scope: "channel", Key: "sms"}},
		CoSignals: []analysis.CoSignal{{Kind: "mention", Value: "victime"}, {Kind: "url", Value: "x.com/+33754400123"}},
		Network:   []analysis.Edge{{A: "+33754400123", B: "@raider", Weight: 2}},
		DupNames:  []analysis.DupName{{Name: "Jean Dupont", Senders: 2}},
		Flags:     []analysis.Flag{{Message: 0, Category: analysis.DoxxingPhone, Matched: []string{"0612345678"}}},
	}
	before, _ := json.Marshal(res)
	got := redactResult(key, res)
	after, _ := json.Marshal(res)
	if !bytes.Equal(before, after) {
		t.Errorf("redactResult changed its input:\n%s\nwant\n%s", after, before)
	}
	b, _ := json.Marshal(got)
	for _, leak := range []string{"0612345678", "06 12 34", "+33754400", "jean", "Jean", "Dupont", "@bob", "victime", "raider"} {
		if bytes.Contains(b, []byte(leak)) {
			t.Errorf("redacted result contains %q: %s", leak, b)
		}
	}
	checks := []struct{ name, got, want string }{
		{"network a", got.Network[0].A, Pseudonym(key, "+33754400123")},
		{"network b", got.Network[0].B, Pseudonym(key, "@raider")},
		{"sender cadence", got.Cadence[0].Key, Pseudonym(key, "+33754400123")},
		{"channel cadence", got.Cadence[1].Key, "sms"},
		{"number block", got.Clusters[0].NumberBlocks[0].Prefix, keyedLabel(key, "B-", "block", "+33754400")},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if p := got.Clusters[0].NumberBlocks[0].Prefix; !strings.HasPrefix(p, "B-") || len(p) != 12 {
		t.Errorf("number block label %q, want B- and 10 hex digits", p)
	}
}

// TestRedactedRecordHash checks that a pseudonymised bundle prints keyed record hashes: not the
// real ones (the sender would be found by trying every number), the same for the same record
// and key, different under another key.
func TestRedactedRecordHash(t *testing.T) {
	m := handModel()
	key := pseudonymKey("case-1234-5678", testSigner(t))
	m.Redact(key)
	m.Derive()
	var b bytes.Buffer
	if err := m.WriteMessagesJSONL(&b); err != nil {
		t.Fatal(err)
	}
	real := map[string]string{}
	for _, msg := range handModel().Messages {
		real[exhibitOf(msg.ID)] = msg.Hash
	}
	sc := bufio.NewScanner(&b)
	n := 0
	for sc.Scan() {
		var line struct {
			ExhibitID  string `json:"exhibit_id"`
			RecordHash string `json:"record_hash"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if want := RecordHashRedacted(key, real[line.ExhibitID]); line.RecordHash != want || len(want) != 64 {
			t.Errorf("%s: record_hash %q, want the keyed %q", line.ExhibitID, line.RecordHash, want)
		}
		if RecordHashRedacted(pseudonymKey("case-1234-5678", nil), real[line.ExhibitID]) == line.RecordHash {
			t.Errorf("%s: keyed record hash does not depend on the key", line.ExhibitID)
		}
		n++
	}
	if n != 3 {
		t.Errorf("%d lines, want 3", n)
	}
}

// TestRedactedCustodyChain checks the custody log of a pseudonymised bag: source names, paths
// and the case name are masked and listed under "masked", the hashes are the case's, Verify
// accepts the masked entries there (and only there) and still catches a changed unmasked entry
// or a broken link.
func TestRedactedCustodyChain(t *testing.T) {
	c := newTestCase(t)
	exportTest(t, c, Options{Key: testSigner(t)}) // an export entry, which says "redacted": false
	full, err := c.Custody(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bag := exportTest(t, c, Options{Key: testSigner(t), Redact: true})
	log, err := os.ReadFile(filepath.Join(bag, filepath.FromSlash(fileCustody)))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := casefile.ReadCustodyJSONL(bytes.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(full) {
		t.Fatalf("%d custody entries in the bag, %d in the case", len(entries), len(full))
	}
	var masked []string
	for i, e := range entries {
		if e.Hash != full[i].Hash || e.Prev != full[i].Prev {
			t.Errorf("entry %d: hash %s prev %s, the case has %s %s", e.Seq, e.Hash, e.Prev, full[i].Hash, full[i].Prev)
		}
		if _, ok := e.Details[custodyMaskedKey]; ok {
			masked = append(masked, fmt.Sprintf("%s %v", e.Action, e.Details[custodyMaskedKey]))
		}
		if e.Action == "import" {
			if e.Details["path"] != custodyMasked || e.Details["name"] != "source-1" || e.Details["sha256"] != full[i].Details["sha256"] {
				t.Errorf("import entry: path %v, name %v, sha256 %v; want %s, source-1 and the real SHA-256",
					e.Details["path"], e.Details["name"], e.Details["sha256"], custodyMasked)
			}
		}
	}
	if got, want := strings.Join(masked, "; "), "create [name]; import [name path]"; got != want {
		t.Errorf("masked entries: got %q, want %q", got, want)
	}
	if r := mustVerify(t, bag); !r.OK() || r.CustodyMasked != 2 || r.CustodyHead != full[len(full)-1].Hash {
		t.Fatalf("redacted bag: masked %d, head %s, problems %v", r.CustodyMasked, r.CustodyHead, r.Problems)
	}
	lines := strings.SplitAfter(string(log), "\n")
	tamper := []struct {
		name  string
		bag   string
		line  int
		old   string
		new   string
		entry string
	}{
		{"unmasked entry changed", bag, 2, `"who":"`, `"who":"X`, "entry 3 "},
		{"export entry changed", bag, 4, `"langs":"fr,en"`, `"langs":"fr"`, "entry 5 "},
		{"masked list naming no detail", bag, 1, `"masked":["name","path"]`, `"masked":["name","paths"]`, "entry 2 "},
		{"masked entry's link broken", bag, 1, `"prev":"`, `"prev":"0`, "entry 2:"},
		{"masked entry's hash not a hash", bag, 1, `"hash":"`, `"hash":"x`, "entry 2 "},
		{"a redacted list in a full bag", sharedBag(t), 1, `"details":{`, `"details":{"masked":["path"],`, "entry 2 "},
	}
	for _, tt := range tamper {
		t.Run(tt.name, func(t *testing.T) {
			b := copyBag(t, tt.bag)
			p := filepath.Join(b, filepath.FromSlash(fileCustody))
			src, _ := os.ReadFile(p)
			ls := strings.SplitAfter(string(src), "\n")
			if tt.bag == bag {
				ls = append([]string(nil), lines...)
			}
			if !strings.Contains(ls[tt.line], tt.old) {
				t.Fatalf("line %d has no %s: %s", tt.line+1, tt.old, ls[tt.line])
			}
			ls[tt.line] = strings.Replace(ls[tt.line], tt.old, tt.new, 1)
			if err := os.WriteFile(p, []byte(strings.Join(ls, "")), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := reseal(b); err != nil {
				t.Fatal(err)
			}
			r := mustVerify(t, b)
			found := false
			for _, pr := range r.Problems {
				found = found || pr.Path == fileCustody && pr.Kind == Custody && strings.Contains(pr.Detail, tt.entry)
			}
			if !found {
				t.Errorf("want a custody problem naming %q; got %v", tt.entry, r.Problems)
			}
		})
	}
}
