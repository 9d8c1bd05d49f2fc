package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
)

// goldenLines is testLines with a bigger raid: 60 senders sending 40 wordings of one template
// (more variants than the report lists), senders with several messages, and ordinary traffic.
func goldenLines() string {
	var b strings.Builder
	b.WriteString(testLines())
	base := time.Date(2024, 5, 1, 22, 0, 0, 0, time.UTC)
	words := []string{"vraiment", "franchement", "sérieusement", "clairement", "honnêtement", "totalement", "carrément", "bref"}
	for i := range 120 {
		sender := fmt.Sprintf("+33 7 00 00 %02d %02d", i%60, i%7)
		if i%9 == 0 {
			sender = fmt.Sprintf("@compte_%02d", i%60)
		}
		text := fmt.Sprintf("ferme ta gueule %s, personne ne veut de toi ici %s", words[i%len(words)], strings.Repeat("!", i%5))
		fmt.Fprintf(&b, "%s|%s|%s\n", base.Add(time.Duration(i)*7*time.Second).Format(time.RFC3339Nano), sender, strings.TrimSpace(text))
	}
	for i := range 30 {
		fmt.Fprintf(&b, "%s|+33 6 20 00 00 %02d|message ordinaire numéro %d, à demain\n",
			base.Add(time.Duration(i)*time.Hour).Format(time.RFC3339Nano), i, i)
	}
	return b.String()
}

// bundleSums lists the SHA-256 of every file of the bag (folder or zip) at p, one line per file.
func bundleSums(t *testing.T, p string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(p, path)
		s := sha256.Sum256(b)
		lines = append(lines, hex.EncodeToString(s[:])+"  "+filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

const (
	goldenCase = "testdata/golden.raidcase"
	goldenSums = "testdata/bundle.sha256.golden"
)

// makeGoldenCase builds testdata/golden.raidcase: goldenLines and two untimed messages,
// imported and analysed, with a reviewer decision. It is kept as a file because the custody log
// and the import dates hold the clock, and the stored analysis pins the figures whatever the
// analysis code becomes.
func makeGoldenCase(t *testing.T, path string) {
	ctx := context.Background()
	dir := t.TempDir()
	os.Remove(path)
	c, err := casefile.Create(ctx, path, casefile.Info{
		ID: "6a1d0c44-7f3e-4d8b-a2c1-0e9b8f7a6d5c", Name: "Affaire golden", TimeZone: "Europe/Paris", Region: "FR",
		UnitCost: 0.16, Currency: "EUR", Examiner: "Camille Martin", Org: "Association Test", Contact: "contact@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	src := filepath.Join(dir, "raid.lines")
	if err := os.WriteFile(src, []byte(goldenLines()), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, src, fakeFormat, nil); err != nil {
		t.Fatal(err)
	}
	untimed := filepath.Join(dir, "sans-heure.untimed")
	if err := os.WriteFile(untimed, []byte("+33 6 55 55 55 55|sans heure <b>&</b>\n@compte_09|ferme ta gueule vraiment\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, untimed, untimedFormat, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Analyze(ctx, analysis.DefaultParams(), nil); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if strings.Contains(m.Text, "tuer") {
			if err := c.Decide(ctx, casefile.Decision{MessageID: m.ID, Subject: "flag:death_threat", Verdict: "confirmed", Who: "Camille Martin", At: testNow}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBundleGolden exports testdata/golden.raidcase (a copy) with the fixed clock and key,
// plain and redacted, folder and zip, and compares the SHA-256 of every file with the ones
// recorded in testdata/bundle.sha256.golden: the bundle must stay byte for byte what it was
// when they were recorded, signature included (work on Export's memory, for one, must not
// change a byte). When the bundle changes on purpose, rewrite both files with
// `go test -tags ci ./app/evidence -run TestBundleGolden -update` and review the diff.
func TestBundleGolden(t *testing.T) {
	ctx := context.Background()
	if *update {
		makeGoldenCase(t, goldenCase)
	}
	data, err := os.ReadFile(goldenCase)
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	for _, redact := range []bool{false, true} {
		p := filepath.Join(t.TempDir(), "golden"+casefile.Extension)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := casefile.Open(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		out := t.TempDir()
		_, err = Export(ctx, c, out, Options{Now: fixedNow, Agent: "raidtrace/test", Key: testSigner(t), Redact: redact, Zip: true}, nil)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&got, "# redact=%v\n", redact)
		got.WriteString(bundleSums(t, out))
	}
	if *update {
		if err := os.WriteFile(goldenSums, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenSums)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("the bundle of %s is not what %s records:\n%s", goldenCase, goldenSums, lineDiff(string(want), got.String()))
	}
}

// lineDiff lists the lines only in want ("-") and only in got ("+").
func lineDiff(want, got string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	w, g := in(want), in(got)
	var b strings.Builder
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
