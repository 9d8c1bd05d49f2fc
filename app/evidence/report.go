package evidence

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"raidtrace/analysis"
)

// The report is built once as a list of blocks, then rendered to HTML and to PDF, so both
// formats and both languages show the same content with the same exhibit ids.

type blockKind int

const (
	bHeading  blockKind = iota // Level 1 or 2, Text, ID (anchor)
	bPara                      // Text
	bNote                      // Text, shown as a framed warning
	bKV                        // Rows of [label, value]
	bTable                     // Head, Rows, Widths (relative)
	bChart                     // a timeline chart: Chart
	bVariants                  // Variants of Raid
	bMono                      // Text in a fixed-width box
	bPageBreak
)

type block struct {
	Kind   blockKind
	Level  int
	ID     string
	Text   string
	Head   []string
	Rows   [][]string
	Widths []float64
	Raid   *Raid
	Chart  *chartSpec
	// A table can also make its rows one at a time, after Rows: NRows rows, row i given by
	// Row(i). The annex does, so that a million-message annex is never held in memory whole.
	NRows int
	Row   func(i int) []string
}

// rowCount is the number of rows of a table.
func (b *block) rowCount() int { return len(b.Rows) + b.NRows }

// eachRow calls fn with every row of a table, in order.
func (b *block) eachRow(fn func(r []string)) {
	for _, r := range b.Rows {
		fn(r)
	}
	for i := 0; i < b.NRows; i++ {
		fn(b.Row(i))
	}
}

func (m *Model) fmtT(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05.000") + " UTC"
}

// pdfAnnexLimit is the most messages the PDF's annex lists. fpdf holds the whole document in
// memory, and a 1M-message annex would be tens of thousands of pages that nobody prints: past
// this the PDF lists the first ones and says where the rest are (the HTML report and
// data/messages.csv always list every message, with the same exhibit numbers).
var pdfAnnexLimit = 20000

// document builds the report's blocks in language t; the annex lists at most annexMax messages
// (0: all of them).
func (m *Model) document(t *tr, annexMax int) []block {
	var d []block
	h := func(level int, id, text string) {
		d = append(d, block{Kind: bHeading, Level: level, ID: id, Text: text})
	}
	p := func(text string) { d = append(d, block{Kind: bPara, Text: text}) }
	f := m.Figures

	// cover
	h(1, "cover", t.T("title"))
	cover := [][]string{
		{t.T("case_id"), m.Info.ID},
	}
	if m.Info.Name != "" && !m.Redacted {
		cover = append(cover, []string{t.T("case_name"), m.Info.Name})
	}
	if m.Info.Org != "" {
		cover = append(cover, []string{t.T("organisation"), m.Info.Org})
	}
	if m.Info.Examiner != "" {
		cover = append(cover, []string{t.T("examiner"), m.Info.Examiner})
	}
	fp := m.Fingerprint
	if fp == "" {
		fp = t.T("unsigned")
	}
	cover = append(cover,
		[]string{t.T("generated"), m.fmtT(m.Generated)},
		[]string{t.T("software"), m.Agent},
		[]string{t.T("root_hash"), m.RootHash},
		[]string{t.T("signer"), fp},
	)
	d = append(d, block{Kind: bKV, Rows: cover})
	p(t.T("root_hash_explained"))
	if m.Redacted {
		d = append(d, block{Kind: bNote, Text: t.T("redacted_note")})
	}
	d = append(d, block{Kind: bNote, Text: t.T("limits_short")})

	// key figures
	h(1, "figures", t.T("key_figures"))
	kv := [][]string{
		{t.T("fig_messages"), t.N(f.Messages)},
		{t.T("fig_incoming"), t.N(f.Incoming)},
		{t.T("fig_senders"), t.N(f.Senders)},
		{t.T("fig_raids"), t.N(f.Raids)},
		{t.T("fig_raid_messages"), t.N(f.RaidMessages)},
		{t.T("fig_raid_senders"), t.N(f.RaidSenders)},
		{t.T("fig_peak"), m.peakText(t)},
		{t.T("fig_period"), m.fmtT(f.First) + " → " + m.fmtT(f.Last)},
	}
	if f.UnitCost > 0 {
		kv = append(kv, []string{t.T("fig_damage"), t.F("fig_damage_value", t.Money(f.Damage, f.Currency), t.N(f.RaidMessages), t.Money(f.UnitCost, f.Currency))})
	} else {
		kv = append(kv, []string{t.T("fig_damage"), t.T("fig_damage_unset")})
	}
	d = append(d, block{Kind: bKV, Rows: kv})
	p(t.T("figures_explained"))

	// timeline
	h(1, "timeline", t.T("timeline"))
	if len(m.Timeline.All) > 0 {
		all, zoom := m.charts()
		p(t.F("timeline_explained", durationText(t, m.Timeline.Width)))
		d = append(d, block{Kind: bChart, Chart: &all})
		if zoom != nil {
			a, b := chartRange(zoom)
			h(2, "timeline-raids", t.T("timeline_raids"))
			p(t.F("timeline_raids_explained", a, b, durationText(t, zoom.TL.Width)))
			d = append(d, block{Kind: bChart, Chart: zoom})
		}
	} else {
		p(t.T("no_times"))
	}

	// raids
	h(1, "raids", t.T("raids"))
	if len(m.Raids) == 0 {
		p(t.T("no_raids"))
	}
	p(t.T("raids_explained"))
	joinedBudget := annexMax // rows of joined-sender tables the PDF may still list
	for i := range m.Raids {
		r := &m.Raids[i]
		h(2, fmt.Sprintf("raid-%d", r.ID), t.F("raid_title", r.ID, t.N(r.Size), t.N(r.Senders)))
		d = append(d, block{Kind: bKV, Rows: [][]string{
			{t.T("template"), r.Template},
			{t.T("window"), m.fmtT(r.Start) + " → " + m.fmtT(r.End) + " (" + durationText(t, r.End.Sub(r.Start)) + ")"},
			{t.T("size"), t.N(r.Size)},
			{t.T("distinct_senders"), t.N(r.Senders)},
			{t.T("one_shot"), t.N(r.OneShot)},
			{t.T("peak"), t.N(r.PeakPerMinute)},
			{t.T("core_window"), m.fmtT(r.Window.Start) + " → " + m.fmtT(r.Window.End)},
			{t.T("bursts"), t.N(r.Bursts)},
			{t.T("score"), t.Dec(r.Score, 2)},
		}})
		if r.VariantCount > 1 || (len(r.Variants) == 1 && r.Variants[0].Text != r.Template) {
			p(t.F("variants_explained", t.N(r.VariantCount)))
			d = append(d, block{Kind: bVariants, Raid: r})
		}
		p(t.T("joined_explained"))
		yes := t.T("yes")
		row := func(k int) []string {
			j := &r.Joined[k]
			os := ""
			if j.OneShot {
				os = yes
			}
			before := strconv.Itoa(j.Before)
			if j.Before < 0 {
				before = "—"
			}
			return []string{strconv.Itoa(k + 1), m.JoinedSender(j), m.JoinedExhibit(j), m.fmtT(m.JoinedTime(j)), before, t.N(j.Messages), os}
		}
		nj := len(r.Joined)
		if annexMax > 0 {
			// at most a tenth of the annex per raid, and as many rows as the annex over all
			// raids (a 1M-message case has hundreds of raids)
			nj = min(nj, max(annexMax/10, 1), joinedBudget)
			joinedBudget -= nj
			if nj < len(r.Joined) {
				d = append(d, block{Kind: bNote, Text: t.F("joined_capped", t.N(len(r.Joined)), t.N(nj))})
			}
		}
		if nj > 0 {
			d = append(d, block{Kind: bTable, Head: []string{"#", t.T("col_sender"), t.T("col_exhibit"), t.T("col_time"),
				t.T("col_before"), t.T("col_in_raid"), t.T("col_one_shot")}, NRows: nj, Row: row, Widths: []float64{5, 20, 11, 25, 11, 11, 12}})
		}
		d = append(d, m.coSignalBlocks(t, r)...)
	}

	// threats: every threat listed first; insults, far more numerous, counted per raid here and
	// listed in their own annex
	h(1, "threats", t.T("threats"))
	p(t.T("threats_explained"))
	var threats, insults []int32 // positions in m.msgs
	for i := range m.msgs {
		switch m.triageClass(m.msgs[i].ID) {
		case classThreat:
			threats = append(threats, int32(i))
		case classInsult:
			insults = append(insults, int32(i))
		}
	}
	flagged := func(list []int32) func(k int) []string {
		return func(k int) []string {
			msg := &m.msgs[list[k]]
			// the column head says UTC; without the suffix the time fits on one line
			return []string{exhibitOf(msg.ID), strings.TrimSuffix(m.fmtT(msg.when()), " UTC"), senderLabel(m.senderOf(msg)), msg.Text,
				orDash(m.triageLabel(t, msg.ID)), orDash(m.flagDecisionsLabel(t, msg.ID))}
		}
	}
	flagHead := []string{t.T("col_exhibit"), t.T("col_time"), t.T("col_sender"), t.T("col_text"), t.T("col_suggestion"), t.T("col_decision")}
	flagWidths := []float64{10, 22, 14, 28, 14, 12}
	if len(threats) == 0 && len(insults) == 0 {
		p(t.T("no_threats"))
	} else {
		h(2, "threats-list", t.F("threats_list", t.N(len(threats))))
		p(t.T("threats_list_explained"))
		if len(threats) == 0 {
			p(t.T("no_threat_only_insults"))
		} else {
			if annexMax > 0 && len(threats) > annexMax {
				d = append(d, block{Kind: bNote, Text: t.F("flagged_capped", t.N(len(threats)), t.N(annexMax))})
				threats = threats[:annexMax]
			}
			d = append(d, block{Kind: bTable, Head: flagHead, NRows: len(threats), Row: flagged(threats), Widths: flagWidths})
		}
		h(2, "threats-by-raid", t.T("threats_by_raid"))
		d = append(d, m.triageSummary(t))
		if len(insults) > 0 {
			p(t.F("insults_pointer", t.N(len(insults)), t.T("annex_insults")))
		}
	}
	// method
	h(1, "method", t.T("method"))
	if s, err := t.text("method", m.textData()); err == nil {
		d = append(d, block{Kind: bMono, Text: strings.TrimSpace(s)})
	}

	// limitations
	h(1, "limits", t.T("limits"))
	for _, k := range []string{"limit_1", "limit_2", "limit_3", "limit_4", "limit_5"} {
		p("• " + t.T(k))
	}

	// sources
	h(1, "sources", t.T("sources"))
	var srows [][]string
	for _, s := range m.Sources {
		orig := t.T("not_included")
		if !m.Redacted {
			orig = originalName(s)
		}
		srows = append(srows, []string{s.Name, s.Format, strconv.FormatInt(s.Size, 10), m.fmtT(s.Imported), strconv.Itoa(s.Records), s.SHA256 + "\n" + orig})
	}
	d = append(d, block{Kind: bTable, Head: []string{t.T("col_name"), t.T("col_format"), t.T("col_size"), t.T("col_imported"),
		t.T("col_records"), "SHA-256"}, Rows: srows, Widths: []float64{15, 12, 9, 16, 11, 37}})

	// custody
	h(1, "custody", t.T("custody"))
	p(t.T("custody_explained"))
	var crows [][]string
	for _, e := range m.Custody {
		crows = append(crows, []string{strconv.FormatInt(e.Seq, 10), m.fmtT(e.At), e.Who, e.Action, custodySummary(e.Details), e.Hash})
	}
	d = append(d, block{Kind: bTable, Head: []string{"#", t.T("col_time"), t.T("col_who"), t.T("col_action"), t.T("col_details"), t.T("col_hash")},
		Rows: crows, Widths: []float64{5, 17, 12, 10, 30, 26}})

	// verify
	h(1, "verify", t.T("how_to_verify"))
	if s, err := t.text("readme", m.textData()); err == nil {
		d = append(d, block{Kind: bMono, Text: strings.TrimSpace(s)})
	}

	// annex of the messages suggested as insults only
	if len(insults) > 0 {
		d = append(d, block{Kind: bPageBreak})
		h(1, "annex-insults", t.T("annex_insults"))
		p(t.T("annex_insults_explained"))
		if annexMax > 0 && len(insults) > annexMax {
			d = append(d, block{Kind: bNote, Text: t.F("flagged_capped", t.N(len(insults)), t.N(annexMax))})
			insults = insults[:annexMax]
		}
		// their suggestion is one word: the text gets the room
		d = append(d, block{Kind: bTable, Head: flagHead, NRows: len(insults), Row: flagged(insults), Widths: []float64{10, 22, 14, 30, 12, 12}})
	}

	// annex
	d = append(d, block{Kind: bPageBreak})
	h(1, "annex", t.T("annex"))
	p(t.T("annex_explained"))
	annex := m.msgs
	if annexMax > 0 && len(annex) > annexMax {
		annex = annex[:annexMax]
		d = append(d, block{Kind: bNote, Text: t.F("annex_capped", t.N(len(m.msgs)), t.N(annexMax),
			exhibitOf(annex[0].ID), exhibitOf(annex[len(annex)-1].ID))})
	}
	outgoing := t.T("outgoing_sender") // exports often leave the owner's own number out
	arow := func(i int) []string {
		msg := &annex[i]
		// the column head says UTC; without the suffix the time fits on one line
		who := senderLabel(m.senderOf(msg))
		if who == "" && msg.outgoing {
			who = outgoing
		}
		return []string{exhibitOf(msg.ID), strings.TrimSuffix(m.fmtT(msg.when()), " UTC"), who, msg.Text, clusterText(msg.Cluster)}
	}
	d = append(d, block{Kind: bTable, Head: []string{t.T("col_exhibit"), t.T("col_time"), t.T("col_sender"), t.T("col_text"), t.T("col_raid")},
		NRows: len(annex), Row: arow, Widths: []float64{10, 23, 15, 46, 6}})
	return d
}

// peakText is the peak figure with the window and the exhibits it was counted on.
func (m *Model) peakText(t *tr) string {
	f := m.Figures
	if f.PeakPerMinute == 0 || f.Peak.FirstExhibit == "" {
		return t.N(f.PeakPerMinute)
	}
	return t.F("fig_peak_value", t.N(f.PeakPerMinute), f.Peak.FirstExhibit, f.Peak.LastExhibit, m.fmtT(f.Peak.Start), m.fmtT(f.Peak.End))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// Triage classes of a message in the report, in rising order: nothing, an insult only, a threat
// (any category but insult, suggested or decided; a threat wins over an insult).
const (
	classNone = iota
	classInsult
	classThreat
)

func (m *Model) triageClass(id int64) int {
	class := classNone
	check := func(cat string) {
		if cat == analysis.Insult {
			class = max(class, classInsult)
		} else {
			class = classThreat
		}
	}
	for _, c := range m.suggestionsOf(id) {
		check(c)
	}
	for _, fv := range m.flagVerdicts(id) {
		check(fv[0])
	}
	return class
}

// triageLabel is the machine's suggestion for a message, in the report's language.
func (m *Model) triageLabel(t *tr, id int64) string {
	var parts []string
	for _, c := range m.suggestionsOf(id) {
		parts = append(parts, t.Category(c))
	}
	return strings.Join(parts, "; ")
}

// flagVerdicts is the reviewer's latest verdict on each flag of a message: [category, verdict].
func (m *Model) flagVerdicts(id int64) [][2]string {
	var out [][2]string
	for _, p := range strings.Split(m.decisionText(id), "; ") {
		if s, ok := strings.CutPrefix(p, "flag:"); ok {
			cat, verdict, _ := strings.Cut(s, "=")
			out = append(out, [2]string{cat, verdict})
		}
	}
	return out
}

// flagDecisionsLabel is flagVerdicts in the report's language: "menace de mort : confirmée".
func (m *Model) flagDecisionsLabel(t *tr, id int64) string {
	var parts []string
	for _, fv := range m.flagVerdicts(id) {
		v := fv[1]
		if s, ok := t.m["verdict_"+v]; ok {
			v = s
		}
		parts = append(parts, t.F("flag_verdict", t.Category(fv[0]), v))
	}
	return strings.Join(parts, "; ")
}

// triageCategories is the order in which the report lists the categories: threats first.
var triageCategories = []string{analysis.DeathThreat, analysis.SexualThreat, analysis.ThreatFamilyHome,
	analysis.DoxxingAddress, analysis.DoxxingPhone, analysis.Insult}

// triageSummary counts the messages suggested in each category, per raid (outside raids last),
// with a column for each category that occurs.
func (m *Model) triageSummary(t *tr) block {
	perRaid := map[int]map[string]int{}
	seen := map[string]bool{}
	for i := range m.msgs {
		msg := &m.msgs[i]
		for _, c := range m.suggestionsOf(msg.ID) {
			cl := int(msg.Cluster)
			if perRaid[cl] == nil {
				perRaid[cl] = map[string]int{}
			}
			perRaid[cl][c]++
			seen[c] = true
		}
	}
	var cats []string
	for _, c := range triageCategories {
		if seen[c] {
			cats = append(cats, c)
		}
	}
	var other []string // categories of a newer lexicon, after the known ones
	for c := range seen {
		if !containsStr(triageCategories, c) {
			other = append(other, c)
		}
	}
	sort.Strings(other)
	cats = append(cats, other...)
	head := []string{t.T("col_raid"), t.T("col_messages")}
	widths := []float64{10, 12}
	for _, c := range cats {
		head = append(head, t.Category(c))
		widths = append(widths, 78/float64(max(len(cats), 1)))
	}
	size := map[int]int{}
	for i := range m.msgs {
		size[int(m.msgs[i].Cluster)]++
	}
	total := make([]int, len(cats))
	row := func(label string, cl int) []string {
		r := []string{label, t.N(size[cl])}
		for k, c := range cats {
			n := perRaid[cl][c]
			total[k] += n
			r = append(r, t.N(n))
		}
		return r
	}
	var rows [][]string
	for _, r := range m.Raids {
		rows = append(rows, row(strconv.Itoa(r.ID), r.ID))
	}
	rows = append(rows, row(t.T("outside_raids"), 0))
	sum := []string{t.T("total"), t.N(len(m.msgs))}
	for _, n := range total {
		sum = append(sum, t.N(n))
	}
	rows = append(rows, sum)
	return block{Kind: bTable, Head: head, Rows: rows, Widths: widths}
}

func custodySummary(d map[string]any) string {
	if len(d) == 0 {
		return ""
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sortStrings(keys)
	var parts []string
	for _, k := range keys {
		var v string
		switch x := d[k].(type) {
		case string:
			v = x
		case map[string]any, []any:
			b, _ := json.Marshal(x) // nested values as JSON, not Go's map[…] notation
			v = string(b)
		default:
			v = fmt.Sprint(x)
		}
		v = clipRunes(v, 80)
		parts = append(parts, k+"="+v)
	}
	return clipRunes(strings.Join(parts, ", "), 400)
}

func durationText(t *tr, d time.Duration) string {
	switch {
	case d < time.Minute:
		return t.F("dur_seconds", int(d.Seconds()))
	case d < time.Hour:
		return t.F("dur_minutes", int(d.Minutes()))
	case d < 48*time.Hour:
		return t.F("dur_hours", t.Dec(d.Hours(), 1))
	}
	return t.F("dur_days", t.Dec(d.Hours()/24, 1))
}

// clipRunes cuts s to at most n runes, marking the cut with "…".
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// coSignalBlocks is a raid's co-links and co-hashtags: the links, hashtags, mentions and media
// that many senders pushed within a short window and that this raid's messages carry.
func (m *Model) coSignalBlocks(t *tr, r *Raid) []block {
	minSenders, win := 0, time.Duration(0)
	if m.Analysis != nil && m.Analysis.Result != nil {
		minSenders, win = m.Analysis.Result.Params.CoMinSenders, time.Duration(m.Analysis.Result.Params.CoWindow)*time.Second
	}
	out := []block{{Kind: bPara, Text: t.T("cosignals") + " — " + t.F("cosignals_explained", minSenders, durationText(t, win))}}
	if len(r.CoSignals) == 0 {
		return append(out, block{Kind: bPara, Text: t.T("no_cosignals")})
	}
	rows := make([][]string, 0, len(r.CoSignals))
	for _, c := range r.CoSignals {
		v := c.Value
		switch c.Kind {
		case "hashtag":
			v = "#" + v
		case "mention":
			if !strings.HasPrefix(v, "@") {
				v = "@" + v
			}
		}
		rows = append(rows, []string{t.T("kind_" + c.Kind), v, strconv.Itoa(c.InRaid), strconv.Itoa(c.RaidSenders),
			strconv.Itoa(c.Messages) + " / " + strconv.Itoa(c.Senders), strconv.Itoa(c.PeakSenders) + "\n" + m.fmtT(c.PeakStart), c.FirstExhibit})
	}
	return append(out, block{Kind: bTable, Head: []string{t.T("col_kind"), t.T("col_value"), t.T("col_raid_msgs"), t.T("col_raid_senders"),
		t.T("col_case_total"), t.T("col_peak_senders"), t.T("col_first")}, Rows: rows, Widths: []float64{9, 23, 12, 13, 14, 17, 12}})
}
