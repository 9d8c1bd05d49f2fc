package evidence

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

var testNow = time.Date(2024, 5, 2, 9, 30, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// testSigner is a fixed key, so signatures are reproducible.
func testSigner(t testing.TB) *Signer {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i + 1)
	}
	s, err := NewSigner(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fakeFormat reads lines "RFC3339 time|sender|text" (direction "out" when the sender is "me").
var fakeFormat = importers.StreamFormat("fake-lines", "Fake lines",
	func(head []byte, name string) bool { return strings.HasSuffix(name, ".lines") },
	func(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
		sc := bufio.NewScanner(r)
		n := 0
		for sc.Scan() {
			n++
			parts := strings.SplitN(sc.Text(), "|", 3)
			if len(parts) != 3 {
				sink.Problem(importers.Problem{Location: fmt.Sprintf("line %d", n), Reason: "not time|sender|text"})
				continue
			}
			tm, err := time.Parse(time.RFC3339Nano, parts[0])
			if err != nil {
				sink.Problem(importers.Problem{Location: fmt.Sprintf("line %d", n), Reason: err.Error()})
				continue
			}
			rec := importers.Record{Location: fmt.Sprintf("line %d", n), Platform: "sms", Time: tm.UTC(), RawTime: parts[0],
				Sender: importers.Party{Raw: parts[1]}, Direction: importers.Incoming, Text: parts[2], Kind: "message",
				Recipients: []importers.Party{{Raw: "+33 1 23 45 67 89", E164: "+33123456789"}}}
			if strings.HasPrefix(parts[1], "+33") {
				rec.Sender.E164 = strings.ReplaceAll(parts[1], " ", "")
			}
			if strings.HasPrefix(parts[1], "@") {
				rec.Sender = importers.Party{Raw: parts[1], Handle: parts[1][1:], ID: "4242" + fmt.Sprint(n)}
			}
			if parts[1] == "me" {
				rec.Direction = importers.Outgoing
				rec.Sender = importers.Party{Raw: "+33 1 23 45 67 89", E164: "+33123456789"}
				rec.Recipients = nil
			}
			if err := sink.Record(rec); err != nil {
				return err
			}
		}
		return sc.Err()
	})

// testLines is a small raid: one template sent by 6 senders within minutes, with variants, plus
// ordinary traffic, an outgoing reply, a threat and a text with odd characters.
func testLines() string {
	base := time.Date(2024, 5, 1, 20, 13, 7, 123e6, time.UTC)
	var b strings.Builder
	line := func(d time.Duration, sender, text string) {
		fmt.Fprintf(&b, "%s|%s|%s\n", base.Add(d).Format(time.RFC3339Nano), sender, text)
	}
	line(-48*time.Hour, "+33 6 11 11 11 11", "Bonjour, rendez-vous demain ?")
	line(-47*time.Hour, "me", "Oui, à 10 h.")
	line(0, "+33 6 12 34 56 01", "t'es qu'une conasse, dégage de twitter")
	line(20*time.Second, "+33 6 12 34 56 02", "t'es qu'une conasse, dégage de twitter")
	line(45*time.Second, "+33 6 12 34 56 03", "T'ES QU'UNE CONASSE, DÉGAGE DE TWITTER !!")
	line(70*time.Second, "@raider_04", "t'es qu'une conasse, dégage de twitter @victime")
	line(2*time.Minute, "+33 6 12 34 56 05", "t'es qu'une conasse, dégage de twitter")
	line(3*time.Minute, "+33 6 12 34 56 06", "t'es qu'une conasse, vraiment, dégage de twitter")
	line(4*time.Minute, "+33 6 12 34 56 02", "t'es qu'une conasse, dégage de twitter")
	line(5*time.Minute, "+33 6 99 99 99 99", "je vais te tuer, je sais où tu habites, appelle le 06 12 34 56 78")
	line(6*time.Minute, "+33 6 11 11 11 11", "ça va ? \u202eemoji 😀 and a <script>alert(1)</script> & \"quotes\"")
	line(30*time.Hour, "+33 6 11 11 11 11", "=HYPERLINK(\"http://x\")")
	return b.String()
}

// newTestCase creates a case with testLines imported and analysed, and a reviewer decision.
func newTestCase(t testing.TB) *casefile.Case {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	c, err := casefile.Create(ctx, filepath.Join(dir, "test"+casefile.Extension), casefile.Info{
		ID: "0f8c2b7e-1d2a-4c3b-9e8f-123456789abc", Name: "Affaire test", TimeZone: "Europe/Paris", Region: "FR",
		UnitCost: 0.16, Currency: "EUR", Examiner: "Camille Martin", Org: "Association Test", Contact: "contact@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	src := filepath.Join(dir, "export 2024 %raid%.lines")
	if err := os.WriteFile(src, []byte(testLines()), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, src, fakeFormat, nil); err != nil {
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
	return c
}

// exportTest exports c into a fresh folder with the fixed clock and the test key.
func exportTest(t testing.TB, c *casefile.Case, opt Options) string {
	t.Helper()
	if opt.Now == nil {
		opt.Now = fixedNow
	}
	if opt.Agent == "" {
		opt.Agent = "raidtrace/test"
	}
	bag, err := Export(context.Background(), c, t.TempDir(), opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	return bag
}
