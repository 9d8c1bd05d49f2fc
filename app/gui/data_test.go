package gui

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/assets"
	"raidtrace/importers"
	"raidtrace/importers/detect"
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
		addMessage(d, casefile.Message{ID: id, SourceID: 1, Record: importers.Record{
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
	if got := d.flagsOf(d.members[0][2]); len(got) != 1 || got[0].Category != analysis.Insult {
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
	segs := highlightSegments(d.in[i].Text, d.in[i].Text, rs.hl[0], len(d.in[i].Sender)+1)
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

// TestDossierWording checks the sender dossier and raid page speak plainly in both languages:
// durations as people write them ("6 h 28 min 20 s", not "6h28m20s"), the coefficient of
// variation as a regularity in words with a localised figure, and a member's place in its raid
// ("first of the raid", not "0 before"); in French no loaded legal word for a repeat sender.
func TestDossierWording(t *testing.T) {
	t.Cleanup(func() { applyLanguage("en"); addTranslations() })
	nb := "\u00a0"
	dur := 6*time.Hour + 28*time.Minute + 20*time.Second
	for _, c := range []struct {
		lang                        string
		durations                   map[time.Duration]string
		cadence, first, later, kind string
		few, regular                string
	}{
		{"en", map[time.Duration]string{
			dur:                          "6" + nb + "h 28" + nb + "min 20" + nb + "s",
			90 * time.Second:             "1" + nb + "min 30" + nb + "s",
			49*time.Hour + 5*time.Second: "2" + nb + "d 1" + nb + "h",
			1500 * time.Millisecond:      "2" + nb + "s",
			0:                            "0" + nb + "s",
			26*time.Hour + 30*time.Minute + 9*time.Second: "1" + nb + "d 2" + nb + "h 30" + nb + "min",
		}, "6 intervals, 6" + nb + "h 28" + nb + "min 20" + nb + "s apart on average; regularity: very irregular, series and pauses (coefficient of variation 1.20).",
			"first of the raid", "message 13 of the raid", "several messages", "1 interval of 1" + nb + "min: too few", "variation"},
		{"fr", map[time.Duration]string{
			dur:                          "6" + nb + "h 28" + nb + "min 20" + nb + "s",
			49*time.Hour + 5*time.Second: "2" + nb + "j 1" + nb + "h",
		}, "6 intervalles, espacés de 6" + nb + "h 28" + nb + "min 20" + nb + "s en moyenne ; régularité : très irrégulière, par séries et pauses (coefficient de variation 1,20).",
			"1er message du raid", "message 13 du raid", "plusieurs messages", "1 intervalle de 1" + nb + "min : trop peu", "variation"},
	} {
		applyLanguage(c.lang)
		if err := addTranslations(); err != nil {
			t.Fatal(err)
		}
		for d, want := range c.durations {
			if got := duration(d); got != want {
				t.Errorf("%s: duration(%v) = %q, want %q", c.lang, d, got, want)
			}
		}
		p := analysis.DefaultParams()
		p.CadenceMin, p.MachineCV = 5, 0.1
		got := cadenceLine(analysis.Cadence{Intervals: 6, MeanSec: dur.Seconds(), CV: 1.2}, p)
		if got != c.cadence {
			t.Errorf("%s: cadence line\n%q, want\n%q", c.lang, got, c.cadence)
		}
		// One interval has no regularity to speak of (its CV is 0).
		if got := cadenceLine(analysis.Cadence{Intervals: 1, MeanSec: 60}, p); !strings.Contains(got, c.few) || strings.Contains(got, c.regular) {
			t.Errorf("%s: cadence of one interval %q, want %q and no coefficient of variation", c.lang, got, c.few)
		}
		if got := seenBefore(0); got != " · "+c.first {
			t.Errorf("%s: first member %q, want %q", c.lang, got, c.first)
		}
		if got := seenBefore(12); got != " · "+c.later {
			t.Errorf("%s: member after 12 others %q, want %q", c.lang, got, c.later)
		}
		if got := seenBefore(-1); got != "" {
			t.Errorf("%s: member of unknown time %q, want nothing", c.lang, got)
		}
		if got := lang.L("several messages"); got != c.kind {
			t.Errorf("%s: repeat sender %q, want %q", c.lang, got, c.kind)
		}
	}
	for _, c := range []struct {
		cv   float64
		want string
	}{{0.05, "très régulière"}, {0.3, "assez régulière"}, {0.9, "irrégulière"}, {1.5, "très irrégulière, par séries et pauses"}} {
		if got := regularity(c.cv, 0.1); got != c.want {
			t.Errorf("regularity(%v) = %q, want %q", c.cv, got, c.want)
		}
	}
	b, err := fs.ReadFile(assets.Sub("translations"), "fr.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "récidiv") {
		t.Error("fr.json calls a sender of several messages a récidiviste")
	}
}

// TestTimelineLabels lays out the overview's timeline at each zoom and checks the "max N" label
// has a strip of its own above the bars (it was drawn over them), and that the axis has time
// labels between the first and the last, inside the widget and not overlapping.
func TestTimelineLabels(t *testing.T) {
	u, w := newTestUI(t)
	u.showCase(sampleData())
	w.Resize(fyne.NewSize(1100, 700))
	o := u.overview
	for _, zoom := range []int{0, 1, 2} {
		o.zoom.SetSelected(o.zoom.Options[zoom])
		tl := o.timeline
		r := test.TempWidgetRenderer(t, tl).(*timelineRenderer)
		size := tl.Size()
		r.Layout(size)
		name := o.zoom.Options[zoom]
		if r.peak.Text == "" {
			t.Fatalf("%s: no max label", name)
		}
		peakBottom := r.peak.Position().Y + r.peak.Size().Height
		for k, b := range r.bars {
			if b.Size().Height > 0 && b.Position().Y < peakBottom {
				t.Errorf("%s: bar %d (top %.0f) runs under the max label (bottom %.0f)", name, k, b.Position().Y, peakBottom)
				break
			}
		}
		if len(r.labels) < 4 {
			t.Errorf("%s: %d time labels at width %.0f, want the first, the last and some in between", name, len(r.labels), size.Width)
		}
		var texts []string
		for i, l := range r.labels {
			texts = append(texts, l.Text)
			if l.Position().X < 0 || l.Position().X+l.Size().Width > size.Width+0.5 {
				t.Errorf("%s: label %q at %.0f–%.0f is outside the timeline (width %.0f)", name, l.Text, l.Position().X, l.Position().X+l.Size().Width, size.Width)
			}
			if i > 0 {
				prev := r.labels[i-1]
				if prev.Position().X+prev.Size().Width >= l.Position().X {
					t.Errorf("%s: labels %q and %q overlap", name, prev.Text, l.Text)
				}
			}
		}
		t.Logf("%s: %q", name, texts)
	}
}

// addMessage appends m to d as the case file's rows would give it.
func addMessage(d *caseData, m casefile.Message) {
	r := casefile.Row{ID: m.ID, SourceID: m.SourceID, Direction: m.Direction, Input: casefile.AnalysisInput(m)}
	if m.Time.IsZero() {
		r.RawTime = m.RawTime
	}
	d.add(r)
}

// TestSearchNarrows checks that a search that extends the previous one, scored only over the
// previous rows, finds exactly what a search over every message finds.
func TestSearchNarrows(t *testing.T) {
	d := benchData(3000)
	sample := sampleData()
	// random short texts over few letters: many equal scores for the longer pattern among rows
	// the shorter one scored differently
	rnd := rand.New(rand.NewPCG(1, 2))
	random := &caseData{info: casefile.Info{Name: "random"}, loc: time.UTC}
	for i := range 3000 {
		b := make([]byte, 3+rnd.IntN(12))
		for k := range b {
			b[k] = "fermsE t"[rnd.IntN(8)]
		}
		addMessage(random, casefile.Message{ID: int64(i + 1), SourceID: 1, Record: importers.Record{
			Time: t0.Add(time.Duration(i) * time.Second), Sender: importers.Party{Handle: "u" + strconv.Itoa(i%7)},
			Text: string(b), Direction: importers.Incoming}})
	}
	random.build(nil)
	tests := []struct {
		d         *caseData
		f         msgFilter
		from, to  string
		narrowing bool
	}{
		{d, msgFilter{}, "fe", "ferme", true},
		{random, msgFilter{}, "fe", "fer", true},
		{random, msgFilter{}, "er", "erm", true},
		{random, msgFilter{}, "es", "ese", true},
		{d, msgFilter{}, "es", "est", true},
		{d, msgFilter{}, "+33", "+3361", true},
		{d, msgFilter{}, "on", "on va", true},
		{d, msgFilter{}, "es", "se", false},
		{d, msgFilter{}, "ab", "abz", true}, // nothing left
		{sample, msgFilter{}, "fer", "ferme v", true},
		{sample, msgFilter{dir: "in"}, "bo", "bonj", true},
		{sample, msgFilter{flagged: true}, "fe", "fer", false},
		{sample, msgFilter{cluster: clusterAny}, "li", "ligne", true},
	}
	for _, tt := range tests {
		prev := filterRows(tt.d, tt.f, tt.from)
		if got := prev.narrows(tt.f, tt.to); got != tt.narrowing {
			t.Errorf("%q then %q: narrows = %v, want %v", tt.from, tt.to, got, tt.narrowing)
		}
		if tt.narrowing {
			if other := (msgFilter{dir: "out"}); prev.narrows(other, tt.to) {
				t.Errorf("%q then %q with another filter: narrows, want not", tt.from, tt.to)
			}
		}
		got := filterWithin(tt.d, tt.f, tt.to, &prev)
		want := filterRows(tt.d, tt.f, tt.to)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q then %q: %d rows %v, want %d rows %v", tt.from, tt.to, len(got.rows), head(got.rows), len(want.rows), head(want.rows))
		}
	}
}

func head(r []int32) []int32 { return r[:min(len(r), 8)] }

// TestReanalysed checks that the data after an analysis, built on the messages already held, is
// what reading the case whole gives, that it shares those messages, and that it is refused when
// the case gained messages meanwhile.
func TestReanalysed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := casefile.OpenDemo(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d, err := loadCaseData(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	p := analysis.DefaultParams()
	p.MinSenders = 100 // fewer raids than the demo's own analysis: the data must change
	if _, err := c.Analyze(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	got, ok, err := d.reanalysed(ctx, c)
	if err != nil || !ok {
		t.Fatalf("reanalysed: ok %v, %v", ok, err)
	}
	want, err := loadCaseData(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.clusters) == len(d.clusters) {
		t.Fatalf("%d raids before and after: the new analysis changed nothing to check", len(d.clusters))
	}
	if &got.msgs[0] != &d.msgs[0] || &got.in[0] != &d.in[0] {
		t.Error("the messages were read again instead of shared")
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"clusters", got.clusters, want.clusters},
		{"members", got.members, want.members},
		{"clusterOf", got.clusterOf, want.clusterOf},
		{"senders", got.senders, want.senders},
		{"flagMsg", got.flagMsg, want.flagMsg},
		{"figures", got.figs, want.figs},
		{"notAnalysed", got.notAnalysed, want.notAnalysed},
		{"decisions", got.decisions, want.decisions},
		{"analysis run", got.an.Run, want.an.Run},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s after the analysis differ from reading the case whole", c.name)
		}
	}
	fixture, _ := filepath.Abs("testdata/sms-small.xml")
	f, _ := detect.ByID("smsbackup")
	if _, err := c.Import(ctx, fixture, f, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := got.reanalysed(ctx, c); ok || err != nil {
		t.Errorf("after an import: reanalysed ok %v, %v; want it refused so that the case is read whole", ok, err)
	}
}
