package gui

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
)

// sendersScreen lists the senders and shows one sender's dossier.
type sendersScreen struct {
	u       *UI
	d       *caseData
	content fyne.CanvasObject

	filter   *widget.Entry
	shown    []int // indexes into d.senders
	list     *widget.List
	detail   *fyne.Container
	selected int // index into d.senders, -1 for none
	msgList  *widget.List
}

func newSendersScreen(u *UI, d *caseData) *sendersScreen {
	s := &sendersScreen{u: u, d: d, selected: -1}
	s.filter = widget.NewEntry()
	s.filter.SetPlaceHolder(lang.L("Filter senders"))
	s.filter.OnChanged = func(string) { s.applyFilter() }
	s.list = widget.NewList(
		func() int { return len(s.shown) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			sn := d.senders[s.shown[i]]
			line := lang.N("{{.Sender}} · {{.N}} messages", len(sn.msgs), map[string]any{"Sender": sn.key, "N": len(sn.msgs)})
			if len(sn.clusters) > 0 {
				line += " · " + lang.N("raids {{.List}}", len(sn.clusters), map[string]any{"List": raidList(sn.clusters)})
			}
			o.(*widget.Label).SetText(line)
		})
	s.list.OnSelected = func(i widget.ListItemID) { s.show(s.shown[i]) }
	s.detail = container.NewStack(widget.NewLabel(lang.L("Choose a sender to see their dossier.")))
	s.applyFilter()
	split := container.NewHSplit(container.NewBorder(container.NewPadded(s.filter), nil, nil, nil, s.list), s.detail)
	split.Offset = 0.33
	s.content = split
	return s
}

// raidRef is how a raid is referred to in lists: "#3", in French "n° 3".
func raidRef(id int) string { return lang.L("#{{.ID}}", map[string]any{"ID": id}) }

func raidList(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = raidRef(id)
	}
	return strings.Join(parts, ", ")
}

func (s *sendersScreen) applyFilter() {
	q := strings.ToLower(strings.TrimSpace(s.filter.Text))
	s.shown = s.shown[:0]
	for i, sn := range s.d.senders {
		if q == "" || strings.Contains(strings.ToLower(sn.key), q) {
			s.shown = append(s.shown, i)
		}
	}
	s.list.UnselectAll()
	s.list.Refresh()
}

func (s *sendersScreen) refresh() {
	s.list.Refresh()
	if s.selected >= 0 {
		s.show(s.selected)
	}
}

// show builds the dossier of sender k.
func (s *sendersScreen) show(k int) {
	s.selected = k
	d := s.d
	sn := d.senders[k]
	title := widget.NewLabelWithStyle(sn.key, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	first, last := d.in[sn.msgs[0]].Time, d.in[sn.msgs[len(sn.msgs)-1]].Time
	facts := widget.NewLabel(lang.N("{{.N}} messages, first {{.First}}, last {{.Last}}", len(sn.msgs), map[string]any{
		"N": len(sn.msgs), "First": fmtTime(first, d.loc), "Last": fmtTime(last, d.loc)}))
	facts.Wrapping = fyne.TextWrapWord

	// What they could see when they joined, from the analysis's dossier of this sender.
	var joined []string
	cadenceText := s.cadence(sn.msgs)
	if d.an != nil && d.an.Result != nil {
		dos := analysis.Dossier(d.input, d.an.Result, sn.key)
		done := map[int]bool{}
		for _, e := range dos.Messages {
			if e.Cluster == 0 || done[e.Cluster] {
				continue
			}
			done[e.Cluster] = true
			c, _ := d.cluster(e.Cluster)
			switch {
			case e.SeenBefore < 0:
				joined = append(joined, lang.L("Raid #{{.ID}}: the time of this sender's first message is unknown.", map[string]any{"ID": e.Cluster}))
			case e.SeenBefore == 0:
				joined = append(joined, lang.L("Raid #{{.ID}}: this sender's first message was the first of the raid's {{.Size}} messages.", map[string]any{
					"ID": e.Cluster, "Size": countText(c.Size)}))
			default:
				joined = append(joined, lang.L("Raid #{{.ID}}: when this sender's first message arrived, {{.Before}} of the raid's {{.Size}} messages had already arrived, from {{.Senders}} other senders.", map[string]any{
					"ID": e.Cluster, "Before": countText(e.SeenBefore), "Size": countText(c.Size), "Senders": countText(e.SendersBefore)}))
			}
		}
		if len(dos.Names) > 0 {
			facts.SetText(facts.Text + " · " + lang.L("names used: {{.Names}}", map[string]any{"Names": strings.Join(dos.Names, ", ")}))
		}
		if len(dos.Flags) > 0 {
			var parts []string
			for _, cat := range sortedKeys(dos.Flags) {
				parts = append(parts, fmt.Sprintf("%s %d", triageName(cat), dos.Flags[cat]))
			}
			joined = append(joined, lang.L("Triage suggestions (to confirm or reject, never a verdict): {{.List}}", map[string]any{"List": strings.Join(parts, ", ")}))
		}
		if dos.Cadence.Intervals > 0 {
			cadenceText = cadenceLine(dos.Cadence, d.params())
		}
	}
	if len(joined) == 0 {
		joined = append(joined, lang.L("Not in any raid."))
	}
	raids := widget.NewLabel(strings.Join(joined, "\n"))
	raids.Wrapping = fyne.TextWrapWord

	cadence := widget.NewLabel(cadenceText)
	cadence.Wrapping = fyne.TextWrapWord

	s.msgList = widget.NewList(
		func() int { return len(sn.msgs) },
		func() fyne.CanvasObject {
			eye := widget.NewButtonWithIcon("", theme.VisibilityIcon(), nil)
			meta := widget.NewLabel("")
			text := widget.NewLabel("")
			text.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, container.NewHBox(eye, meta), nil, text)
		},
		func(r widget.ListItemID, o fyne.CanvasObject) {
			i := sn.msgs[r]
			m := &d.msgs[i]
			box := o.(*fyne.Container)
			left := box.Objects[1].(*fyne.Container)
			left.Objects[0].(*widget.Button).OnTapped = func() { s.u.toggleReveal(i); s.msgList.RefreshItem(r) }
			meta := m.ExhibitID() + "  " + fmtTime(d.in[i].Time, d.loc)
			if c := d.clusterOf[i]; c != 0 {
				meta += "  " + raidRef(int(c))
			}
			left.Objects[1].(*widget.Label).SetText(meta)
			text := singleLine(cut(d.in[i].Text, cellRunes))
			if !s.u.isRevealed(i) {
				text = mask(cut(d.in[i].Text, cellRunes))
			}
			box.Objects[0].(*widget.Label).SetText(text)
			box.Refresh()
		})
	head := container.NewVBox(title, facts,
		widget.NewLabelWithStyle(lang.L("Raids joined"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), raids,
		widget.NewLabelWithStyle(lang.L("Cadence"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), cadence,
		widget.NewLabelWithStyle(lang.L("Messages"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	split := container.NewVSplit(container.NewVScroll(head), s.msgList)
	split.Offset = 0.55
	s.detail.Objects = []fyne.CanvasObject{container.NewPadded(split)}
	s.detail.Refresh()
}

// cadence describes the rhythm of a sender's messages, measured by analysis.Rhythm with the
// parameters of the case's analysis.
func (s *sendersScreen) cadence(msgs []int) string {
	var times []time.Time
	for _, i := range msgs {
		if t := s.d.in[i].Time; !t.IsZero() {
			times = append(times, t)
		}
	}
	if len(times) < 2 {
		return lang.L("One message only: no cadence.")
	}
	p := s.d.params()
	return cadenceLine(analysis.Rhythm(times, p.CadenceMin, p.MachineCV), p)
}

// params are the parameters of the case's analysis, or the defaults before one.
func (d *caseData) params() analysis.Params {
	if d.an != nil && d.an.Result != nil && d.an.Result.Params.CadenceMin > 0 {
		return d.an.Result.Params
	}
	return analysis.DefaultParams()
}

// cadenceLine says how often and how regularly a sender wrote, in words: the mean interval as a
// duration ("6 h 28 min 20 s"), and, from p.CadenceMin intervals on, the coefficient of variation
// (standard deviation over mean) as a regularity with the figure after it.
func cadenceLine(c analysis.Cadence, p analysis.Params) string {
	mean := duration(time.Duration(c.MeanSec * float64(time.Second)))
	if c.Intervals < p.CadenceMin {
		return lang.N("{{.N}} intervals, {{.Mean}} apart on average: too few to judge their regularity.", c.Intervals, map[string]any{
			"N": c.Intervals, "Mean": mean})
	}
	out := lang.N("{{.N}} intervals, {{.Mean}} apart on average; regularity: {{.Regularity}} (coefficient of variation {{.CV}}).", c.Intervals, map[string]any{
		"N": c.Intervals, "Mean": mean, "Regularity": regularity(c.CV, p.MachineCV), "CV": decimal(c.CV, 2)})
	if c.MachineLike {
		out += " " + lang.L("Machine-like rhythm: people rarely keep intervals this regular.")
	}
	return out
}

// regularity puts a coefficient of variation in words: below machineCV a clockwork rhythm, near
// 1 the irregularity of messages sent at random moments, above it series and pauses.
func regularity(cv, machineCV float64) string {
	switch {
	case cv < machineCV:
		return lang.L("very regular")
	case cv < 0.5:
		return lang.L("fairly regular")
	case cv < 1:
		return lang.L("irregular")
	}
	return lang.L("very irregular, series and pauses")
}

// decimal formats v with n decimals and the language's decimal separator.
func decimal(v float64, n int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', n, 64), ".", lang.X("decimal.separator", "."), 1)
}

// duration writes d rounded to the second in at most its three largest units, as people write
// it: "6 h 28 min 20 s", "2 d 3 h" ("2 j 3 h" in French).
func duration(d time.Duration) string {
	d = d.Round(time.Second)
	if d <= 0 {
		return lang.L("{{.N}} s", map[string]any{"N": 0})
	}
	parts := []struct {
		n    int64
		unit string
	}{
		{int64(d / (24 * time.Hour)), "d"},
		{int64(d % (24 * time.Hour) / time.Hour), "h"},
		{int64(d % time.Hour / time.Minute), "min"},
		{int64(d % time.Minute / time.Second), "s"},
	}
	first := 0
	for parts[first].n == 0 {
		first++ // d > 0, so some unit is not zero
	}
	var out []string
	for _, p := range parts[first:min(first+3, len(parts))] {
		if p.n == 0 {
			continue
		}
		v := map[string]any{"N": p.n}
		switch p.unit {
		case "d":
			out = append(out, lang.L("{{.N}} d", v))
		case "h":
			out = append(out, lang.L("{{.N}} h", v))
		case "min":
			out = append(out, lang.L("{{.N}} min", v))
		default:
			out = append(out, lang.L("{{.N}} s", v))
		}
	}
	return strings.Join(out, " ")
}

func fmtTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("2006-01-02 15:04:05")
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// showSender switches to the Senders tab on the dossier of key.
func (u *UI) showSender(key string) {
	s := u.senders
	k, ok := u.d.senderIdx[key]
	if !ok {
		return
	}
	s.filter.SetText("")
	s.applyFilter()
	u.tabs.SelectIndex(4)
	for i, j := range s.shown {
		if j == k {
			s.list.Select(i)
			s.list.ScrollTo(i)
			return
		}
	}
}
