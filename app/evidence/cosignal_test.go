package evidence

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
)

// coSignalModel is handModel with co-signals: a hashtag and a mention carried by the raid's two
// messages, and a link carried only by the message outside the raid.
func coSignalModel() *Model {
	m := handModel()
	t0 := m.Messages[0].Time
	m.Analysis.Result.CoSignals = []analysis.CoSignal{
		{Kind: "url", Value: "example.org/outside", Messages: 1, Senders: 1, PeakSenders: 1, PeakStart: t0, Members: []int{2}},
		{Kind: "hashtag", Value: "degagetwitter", Messages: 2, Senders: 2, PeakSenders: 2, PeakStart: t0, Members: []int{0, 1}},
		{Kind: "mention", Value: "victime", Messages: 3, Senders: 2, PeakSenders: 2, PeakStart: t0, Members: []int{1, 2}},
	}
	return m
}

func TestRaidCoSignals(t *testing.T) {
	m := coSignalModel()
	m.Derive()
	if len(m.Raids) != 1 {
		t.Fatalf("got %d raids, want 1", len(m.Raids))
	}
	got := m.Raids[0].CoSignals
	want := []RaidCoSignal{
		{Kind: "hashtag", Value: "degagetwitter", InRaid: 2, RaidSenders: 2, Messages: 2, Senders: 2, PeakSenders: 2, FirstExhibit: "M000001"},
		{Kind: "mention", Value: "victime", InRaid: 1, RaidSenders: 1, Messages: 3, Senders: 2, PeakSenders: 2, FirstExhibit: "M000002"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d co-signals %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		want[i].PeakStart = time.Date(2024, 5, 1, 20, 13, 7, 123e6, time.UTC)
		if got[i] != want[i] {
			t.Errorf("co-signal %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, lang := range []string{"fr", "en"} {
		tr, err := loadStrings(lang)
		if err != nil {
			t.Fatal(err)
		}
		var h, p bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		if err := m.WritePDF(&p, tr); err != nil {
			t.Fatal(err)
		}
		texts := map[string]string{"html": h.String()}
		if _, err := exec.LookPath("pdftotext"); err == nil {
			f := filepath.Join(t.TempDir(), "r.pdf")
			os.WriteFile(f, p.Bytes(), 0o644)
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			texts["pdf"] = squash(string(out)) // table cells wrap: compare without white space
		}
		for kind, s := range texts {
			for _, w := range []string{tr.T("cosignals"), "#degagetwitter", "@victime", tr.T("kind_hashtag"), tr.T("col_raid_senders")} {
				if kind == "pdf" {
					w = squash(w)
				}
				if !strings.Contains(s, w) {
					t.Errorf("%s %s: no %q", lang, kind, w)
				}
			}
			if strings.Contains(s, "example.org/outside") {
				t.Errorf("%s %s: shows a link no raid message carries", lang, kind)
			}
		}
	}
	// no co-signal: the section says so
	m.Analysis.Result.CoSignals = nil
	m.Derive()
	tr, _ := loadStrings("en")
	var h bytes.Buffer
	m.WriteHTML(&h, tr)
	if !strings.Contains(h.String(), tr.T("no_cosignals")) {
		t.Errorf("no co-signals: the report does not say so")
	}
}

func TestRedactCoSignals(t *testing.T) {
	m := coSignalModel()
	m.Redact(pseudonymKey("case-1234-5678", testSigner(t)))
	m.Derive()
	for _, c := range m.Analysis.Result.CoSignals {
		if c.Kind == "mention" && strings.Contains(c.Value, "victime") {
			t.Errorf("redacted mention co-signal keeps the handle: %q", c.Value)
		}
	}
	tr, _ := loadStrings("fr")
	var h bytes.Buffer
	m.WriteHTML(&h, tr)
	if strings.Contains(h.String(), "victime") {
		t.Errorf("redacted report shows the mentioned handle")
	}
	if !strings.Contains(h.String(), "#degagetwitter") {
		t.Errorf("redacted report lost the hashtag")
	}
}

func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}
