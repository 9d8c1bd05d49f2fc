package evidence

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// raidsModel is two weeks of ordinary messages (one every six hours) and five raids of 20
// messages each, one every 40 seconds, that start one to two minutes apart on one evening (as in
// the demo) or, when spread, on five different days.
func raidsModel(spread bool) *Model {
	t0 := time.Date(2026, 3, 3, 6, 0, 0, 0, time.UTC)
	m := &Model{Info: casefile.Info{ID: "case-raids", UnitCost: 0.16, Currency: "EUR"}, Generated: testNow, Agent: "raidtrace/test"}
	var ids []int64
	add := func(at time.Time, sender, text string) int {
		id := int64(len(m.Messages) + 1)
		m.Messages = append(m.Messages, casefile.Message{ID: id, SourceID: 1, Hash: fmt.Sprint("h", id), Record: importers.Record{
			Platform: "sms", Time: at, Sender: importers.Party{Raw: sender}, Direction: importers.Incoming, Text: text}})
		ids = append(ids, id)
		return len(ids) - 1
	}
	for i := 0; i < 14*4; i++ {
		add(t0.Add(time.Duration(i)*6*time.Hour+17*time.Minute), "+33 6 00 00 00 01", "bonjour")
	}
	res := &analysis.Result{Params: analysis.DefaultParams()}
	evening := time.Date(2026, 3, 14, 19, 6, 0, 0, time.UTC)
	for k := 0; k < 5; k++ {
		start := evening.Add(time.Duration(k*90) * time.Second)
		if spread {
			start = t0.Add(time.Duration(k*60+10) * time.Hour)
		}
		cl := analysis.Cluster{ID: k + 1, Template: fmt.Sprintf("modèle %d du raid", k+1), Start: start, Score: 1}
		for j := 0; j < 20; j++ {
			at := start.Add(time.Duration(j*40) * time.Second)
			cl.Members = append(cl.Members, add(at, fmt.Sprintf("+33 7 %02d %02d 00 00", k, j), cl.Template))
			cl.End = at
		}
		cl.Size, cl.Senders = 20, 20
		cl.Bursts = []analysis.Burst{{Channel: "sms", Start: start, End: cl.End, Messages: 20, Expected: 0.1, Log10P: 20}}
		res.Clusters = append(res.Clusters, cl)
	}
	m.Analysis = &casefile.Analysis{Run: 1, At: testNow, Result: res, MessageIDs: ids}
	return m
}

// TestRaidZoomChart checks the timeline of raids concentrated on one evening: the overall chart
// plus a second one over the raid period, per minute, where each raid window is a lane of its
// own, wide enough to be seen, and the raid numbers do not overlap; raids spread over the weeks
// get no second chart.
func TestRaidZoomChart(t *testing.T) {
	m := raidsModel(false)
	m.Derive()
	all, zoom := m.charts()
	if zoom == nil {
		t.Fatalf("no zoomed chart for raids concentrated on one evening (overall interval %v)", all.TL.Width)
	}
	if zoom.TL.Width != time.Minute {
		t.Errorf("zoom interval %v, want 1m", zoom.TL.Width)
	}
	if len(zoom.Lanes) != 5 {
		t.Fatalf("zoom lanes %d, want 5", len(zoom.Lanes))
	}
	for _, l := range zoom.Lanes {
		if l.Start.Before(zoom.TL.Start) || l.End.After(zoom.End()) {
			t.Errorf("raid %d window %v–%v outside the zoom %v–%v", l.ID, l.Start, l.End, zoom.TL.Start, zoom.End())
		}
		if w := zoom.frac(l.End) - zoom.frac(l.Start); w < 0.2 {
			t.Errorf("raid %d window takes %.2f of the zoom's width, want at least 0.2", l.ID, w)
		}
	}
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		var b bytes.Buffer
		if err := m.WriteHTML(&b, tr); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		if n := strings.Count(s, "<svg"); n != 2 {
			t.Fatalf("%s HTML: %d charts, want 2", lang, n)
		}
		zoomSVG := s[strings.LastIndex(s, "<svg"):]
		checkLaneLabels(t, lang, zoomSVG, 5)
		if !strings.Contains(s, htmlEsc(tr.T("timeline_raids"))) {
			t.Errorf("%s HTML: no %q heading", lang, tr.T("timeline_raids"))
		}
		if txt := pdfToText(t, m, tr); txt != "" {
			a, b := chartRange(zoom)
			if want := squashSpaces(tr.F("chart_axis", a, b, durationText(tr, time.Minute))); !strings.Contains(squashSpaces(txt), want) {
				t.Errorf("%s PDF: no zoomed chart caption %q", lang, want)
			}
		}
	}

	spread := raidsModel(true)
	spread.Derive()
	if _, z := spread.charts(); z != nil {
		t.Errorf("zoomed chart for raids spread over the weeks (%v from %v)", z.TL.Width, z.TL.Start)
	}
}

var laneLabel = regexp.MustCompile(`<text class="lane-label" x="([0-9.]+)" y="([0-9.]+)" font-size="([0-9.]+)"[^>]*>(\d+)</text>`)

// checkLaneLabels checks the raid numbers of an SVG chart: want of them, left of the plot, each
// at least a font size below the previous one, drawn after the last bar.
func checkLaneLabels(t *testing.T, lang, svg string, want int) {
	t.Helper()
	ms := laneLabel.FindAllStringSubmatchIndex(svg, -1)
	if len(ms) != want {
		t.Fatalf("%s: %d raid numbers in the chart, want %d", lang, len(ms), want)
	}
	lastBar := strings.LastIndex(svg, `fill="#b22222"/>`)
	var ys []float64
	for _, m := range ms {
		x, _ := strconv.ParseFloat(svg[m[2]:m[3]], 64)
		y, _ := strconv.ParseFloat(svg[m[4]:m[5]], 64)
		if x > 50 {
			t.Errorf("%s: raid %s number at x=%g, inside the plot (left 50)", lang, svg[m[8]:m[9]], x)
		}
		if m[0] < lastBar {
			t.Errorf("%s: raid %s number drawn before the last bar", lang, svg[m[8]:m[9]])
		}
		ys = append(ys, y)
	}
	size, _ := strconv.ParseFloat(svg[ms[0][6]:ms[0][7]], 64)
	sort.Float64s(ys)
	for i := 1; i < len(ys); i++ {
		if ys[i]-ys[i-1] < size {
			t.Errorf("%s: raid numbers at y=%g and y=%g overlap (font %g)", lang, ys[i-1], ys[i], size)
		}
	}
}

func TestLaneLabelEvery(t *testing.T) {
	tests := []struct {
		laneH, textH float64
		want         int
	}{
		{14, 11, 1}, {11, 11, 1}, {5, 11, 3}, {1, 8, 8}, {0, 8, 1},
	}
	for _, tt := range tests {
		if got := laneLabelEvery(tt.laneH, tt.textH); got != tt.want {
			t.Errorf("laneLabelEvery(%g, %g) = %d, want %d", tt.laneH, tt.textH, got, tt.want)
		}
	}
}

func TestChartTicks(t *testing.T) {
	day := time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		start, end time.Time
		first      string
		most       int
	}{
		{day.Add(18*time.Hour + 48*time.Minute), day.Add(22*time.Hour + 23*time.Minute), "19:00", maxTicks},
		{day.Add(-11 * 24 * time.Hour), day.Add(3 * 24 * time.Hour), "2026-03-04", maxTicks},
		{day, day.Add(30 * time.Hour), "03-14 00:00", maxTicks},
	}
	for _, tt := range tests {
		ticks := chartTicks(tt.start, tt.end)
		if len(ticks) == 0 || len(ticks) > tt.most || ticks[0].Label != tt.first {
			t.Errorf("chartTicks(%v, %v) = %v, want at most %d starting %q", tt.start, tt.end, ticks, tt.most, tt.first)
		}
		for _, k := range ticks {
			if k.At.Before(tt.start) || k.At.After(tt.end) {
				t.Errorf("tick %v outside %v–%v", k.At, tt.start, tt.end)
			}
		}
	}
}

// TestKeyFiguresBacked checks that every key figure of the report is in key-figures.csv, and
// that the peak's row names a window in which messages.csv holds that many raid messages.
func TestKeyFiguresBacked(t *testing.T) {
	m := raidsModel(false)
	m.Derive()
	var kf, msgs bytes.Buffer
	if err := m.WriteKeyFiguresCSV(&kf); err != nil {
		t.Fatal(err)
	}
	if err := m.WriteMessagesCSV(&msgs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&kf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(KeyFigureColumns, ",") {
		t.Fatalf("header %q", rows[0])
	}
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[0]] = r
	}
	f := m.Figures
	for name, want := range map[string]string{"messages": strconv.Itoa(f.Messages), "messages_received": strconv.Itoa(f.Incoming),
		"senders_received": strconv.Itoa(f.Senders), "raids": "5", "raid_messages": "100", "raid_senders": strconv.Itoa(f.RaidSenders),
		"peak_raid_messages_60s": strconv.Itoa(f.PeakPerMinute), "damage_estimate": "16.00 EUR"} {
		if r := byName[name]; r == nil || r[1] != want {
			t.Errorf("key figure %s: row %q, want value %q", name, r, want)
		}
	}
	peak := byName["peak_raid_messages_60s"]
	// the five raids overlap: 1.5 min apart, one message every 40 s each
	if f.PeakPerMinute < 5 {
		t.Errorf("peak %d, want at least 5", f.PeakPerMinute)
	}
	mrows, _ := csv.NewReader(&msgs).ReadAll()
	col := map[string]int{}
	for i, c := range mrows[0] {
		col[c] = i
	}
	count, inside := 0, false
	for _, r := range mrows[1:] {
		if r[col["exhibit_id"]] == peak[4] {
			inside = true
		}
		if inside && r[col["cluster_id"]] != "" {
			count++
			if r[col["time_utc"]] < peak[2] || r[col["time_utc"]] > peak[3] {
				t.Errorf("%s at %s outside the peak window %s–%s", r[0], r[col["time_utc"]], peak[2], peak[3])
			}
		}
		if r[col["exhibit_id"]] == peak[5] {
			break
		}
	}
	if strconv.Itoa(count) != peak[1] {
		t.Errorf("messages.csv holds %d raid messages from %s to %s, the peak says %s", count, peak[4], peak[5], peak[1])
	}
	// the report shows the peak with its exhibits
	tr, _ := loadStrings("en")
	var h bytes.Buffer
	m.WriteHTML(&h, tr)
	if !strings.Contains(h.String(), peak[4]+" to "+peak[5]) {
		t.Errorf("the report's peak does not name exhibits %s to %s", peak[4], peak[5])
	}
	// the zoomed chart's data
	var rt bytes.Buffer
	if err := m.WriteRaidTimelineCSV(&rt); err != nil {
		t.Fatal(err)
	}
	trows, _ := csv.NewReader(&rt).ReadAll()
	sum := 0
	for _, r := range trows[1:] {
		n, _ := strconv.Atoi(r[3])
		sum += n
	}
	if len(trows) != len(m.RaidTimeline.All)+1 || sum != 100 {
		t.Errorf("timeline-raids.csv: %d rows holding %d raid messages, want %d rows and 100", len(trows), sum, len(m.RaidTimeline.All)+1)
	}
}

// TestBundleKeyFigureFiles checks the exported bundle holds the files the method names.
func TestBundleKeyFigureFiles(t *testing.T) {
	bag := sharedBag(t)
	method, err := os.ReadFile(filepath.Join(bag, "data", "analysis", "method.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"key-figures.csv", "timeline-raids.csv", "timeline.csv", "raid-windows.csv"} {
		if _, err := os.Stat(filepath.Join(bag, "data", "analysis", f)); err != nil {
			t.Errorf("bundle: %v", err)
		}
		if !bytes.Contains(bytes.Join(bytes.Fields(method), []byte(" ")), []byte("data/analysis/"+f)) {
			t.Errorf("method.txt does not name data/analysis/%s", f)
		}
	}
}
