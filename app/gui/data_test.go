package gui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

var t0 = time.Date(2026, 3, 14, 13, 0, 0, 0, time.UTC)

// sampleData is a small deterministic case: ordinary messages over two days and one raid of 12
// near-identical messages from 10 senders in a quarter of an hour.
func sampleData() *caseData {
	d := &caseData{info: casefile.Info{Name: "Sample", TimeZone: "Europe/Paris", UnitCost: 0.16, Currency: "EUR"}}
	d.loc, _ = time.LoadLocation("Europe/Paris")
	d.sources = []casefile.Source{{ID: 1, Name: "backup.xml", Format: "smsbackup"}}
	add := func(tm time.Time, sender, text string, dir importers.Direction) {
		id := int64(len(d.msgs) + 1)
		d.msgs = append(d.msgs, casefile.Message{ID: id, SourceID: 1, Record: importers.Record{
			Time: tm, Sender: importers.Party{E164: sender}, Text: text, Direction: dir, Platform: "sms"}})
	}
	for i := 0; i < 8; i++ {
		add(t0.Add(-time.Duration(40-i*5)*time.Hour), fmt.Sprintf("+3361200000%d", i), "Bonjour, à demain ?", importers.Incoming)
	}
	var members []int
	var ids []int64
	for i := 0; i < 12; i++ {
		members = append(members, len(d.msgs))
		ids = append(ids, int64(len(d.msgs)+1))
		text := "Ferme ta ligne, personne ne t'écoute #fermezla"
		if i%4 == 1 {
			text = "ferme ta ligne personne t'écoute vraiment #fermezla"
		}
		add(t0.Add(time.Duration(i)*75*time.Second), fmt.Sprintf("+336980000%02d", i%10), text, importers.Incoming)
	}
	add(t0.Add(2*time.Hour), "+33612000001", "Merci pour hier", importers.Outgoing)
	// Analysis indexes are positions in MessageIDs, which lists every message, as
	// casefile's analysis does.
	all := make([]int64, len(d.msgs))
	for i := range all {
		all[i] = d.msgs[i].ID
	}
	idx := make([]int, len(members))
	for i := range idx {
		idx[i] = members[i]
	}
	seen := make([]int, len(members))
	for i := range seen {
		seen[i] = i
	}
	d.an = &casefile.Analysis{Run: 1, At: t0.Add(3 * time.Hour), MessageIDs: all, Result: &analysis.Result{
		Clusters: []analysis.Cluster{{ID: 1, Members: idx, Template: "Ferme ta ligne, personne ne t'écoute #fermezla",
			Size: 12, Senders: 10, Start: t0, End: t0.Add(11 * 75 * time.Second), OneShot: 8, SeenBefore: seen,
			PeakPerMinute: 2, Triage: map[string]int{"insult": 1},
			Bursts: []analysis.Burst{{Start: t0, End: t0.Add(11 * 75 * time.Second), Channel: "sms", Messages: 12, Expected: 0.5, Log10P: 9}}}},
		Flags: []analysis.Flag{{Message: members[2], Category: analysis.Insult, Matched: []string{"ferme ta ligne"}}},
	}}
	d.build([]casefile.Decision{{MessageID: ids[0], ClusterID: 1, Subject: subjectMember, Verdict: verdictConfirmed}})
	return d
}

func TestCaseData(t *testing.T) {
	d := sampleData()
	if got := len(d.members[0]); got != 12 {
		t.Errorf("raid members: got %d, want 12", got)
	}
	f := d.figures()
	if f.messages != 21 || f.raids != 1 || f.raidMessages != 12 {
		t.Errorf("figures: %+v", f)
	}
	if want := 12 * 0.16; f.damage < want-1e-9 || f.damage > want+1e-9 {
		t.Errorf("damage %v, want %v", f.damage, want)
	}
	if got := d.flags[d.members[0][2]]; len(got) != 1 || got[0].Category != analysis.Insult {
		t.Errorf("flags of the third member: %+v", got)
	}
	if got := d.linksAndTags(d.members[0]); len(got) != 1 || got[0].s != "#fermezla" || got[0].n != 12 {
		t.Errorf("links and tags: %+v", got)
	}
}

func TestFilterRows(t *testing.T) {
	d := sampleData()
	if got := len(filterRows(d, msgFilter{}, "").rows); got != len(d.msgs) {
		t.Errorf("no filter: %d rows, want %d", got, len(d.msgs))
	}
	if got := len(filterRows(d, msgFilter{cluster: clusterAny}, "").rows); got != 12 {
		t.Errorf("in a raid: %d rows, want 12", got)
	}
	if got := len(filterRows(d, msgFilter{dir: "out"}, "").rows); got != 1 {
		t.Errorf("sent: %d rows, want 1", got)
	}
	if got := len(filterRows(d, msgFilter{flagged: true}, "").rows); got != 2 {
		t.Errorf("flagged: %d rows, want 2 (one decision, one triage flag)", got)
	}
	if got := len(filterRows(d, msgFilter{from: t0.Add(time.Hour)}, "").rows); got != 1 {
		t.Errorf("from t0+1h: %d rows, want 1", got)
	}
	rs := filterRows(d, msgFilter{}, "vraiment")
	if len(rs.rows) != 3 {
		t.Fatalf("search 'vraiment': %d rows, want 3", len(rs.rows))
	}
	i := rs.rows[0]
	segs := highlightSegments(d.msgs[i].Text, d.msgs[i].Text, rs.hl[0], len(d.sender[i])+1)
	var marked string
	for _, s := range segs {
		if ts := s.(interface{ Textual() string }); ts != nil && s.(*widget.TextSegment).Style.TextStyle.Bold {
			marked += ts.Textual()
		}
	}
	if marked != "vraiment" {
		t.Errorf("highlighted %q, want vraiment", marked)
	}
}
