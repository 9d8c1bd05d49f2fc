package gui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
)

// Decision subjects and verdicts, as casefile stores them.
const (
	subjectMember    = "member"
	verdictConfirmed = "confirmed"
	verdictRejected  = "rejected"
)

// raidsScreen lists the clusters, ranked, and shows one raid's page.
type raidsScreen struct {
	u       *UI
	d       *caseData
	content fyne.CanvasObject

	list     *widget.List
	detail   *fyne.Container
	selected int // index into d.clusters, -1 for none

	// The selected raid's page.
	review        *widget.Label
	timeline      *timeline // the raid's own, in the Timeline tab
	lower         *container.AppTabs
	flagged       []flagRow
	flagList      *widget.List
	lowerTab      int
	template      *widget.RichText
	templateShown bool
	members       *widget.List
	confirmAll    *widget.Button // confirms every open member of the raid at once
	note          *widget.Entry
	noteBtn       *widget.Button
}

func newRaidsScreen(u *UI, d *caseData) *raidsScreen {
	s := &raidsScreen{u: u, d: d, selected: -1}
	s.list = widget.NewList(
		func() int { return len(d.clusters) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			title.Truncation = fyne.TextTruncateEllipsis
			text := widget.NewLabel("")
			text.Truncation = fyne.TextTruncateEllipsis
			text.Importance = widget.LowImportance
			return container.NewVBox(title, text)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			c := d.clusters[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(lang.L("#{{.ID}} · {{.Size}} messages · {{.Senders}} senders", map[string]any{
				"ID": c.ID, "Size": countText(c.Size), "Senders": countText(c.Senders)}))
			box.Objects[1].(*widget.Label).SetText(s.when(c) + " · " + s.shown(c.Template))
		})
	s.list.OnSelected = func(i widget.ListItemID) { s.show(i) }
	s.detail = container.NewStack()
	var left fyne.CanvasObject = s.list
	if len(d.clusters) == 0 {
		msg := lang.L("No raids found yet. Run the analysis (Analyse) after importing.")
		if d.an != nil {
			msg = lang.L("The analysis found no group of near-identical messages from several senders.")
		}
		l := widget.NewLabel(msg)
		l.Wrapping = fyne.TextWrapWord
		s.content = container.NewPadded(l)
		return s
	}
	split := container.NewHSplit(left, s.detail)
	split.Offset = 0.26 // the members list on the right needs the width to show the wording
	s.content = split
	s.list.Select(0)
	return s
}

// shown is a message text as lists show it: masked unless the reader turned text on.
func (s *raidsScreen) shown(text string) string {
	if s.u.reveal {
		return singleLine(cut(text, cellRunes))
	}
	return mask(cut(text, cellRunes))
}

func (s *raidsScreen) when(c analysis.Cluster) string {
	if c.Start.IsZero() {
		return lang.L("time unknown")
	}
	a, b := c.Start.In(s.d.loc), c.End.In(s.d.loc)
	if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
		return a.Format("2006-01-02 15:04") + "–" + b.Format("15:04")
	}
	return a.Format("2006-01-02 15:04") + " – " + b.Format("2006-01-02 15:04")
}

func (s *raidsScreen) refresh() {
	s.list.Refresh()
	if s.selected >= 0 {
		s.show(s.selected)
	}
}

// show builds the page of the raid at index k.
func (s *raidsScreen) show(k int) {
	s.selected = k
	d := s.d
	c := d.clusters[k]
	mem := d.members[k]

	title := widget.NewLabelWithStyle(lang.L("Raid #{{.ID}}", map[string]any{"ID": c.ID}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Truncation = fyne.TextTruncateEllipsis
	dur := c.End.Sub(c.Start).Round(time.Minute)
	facts := widget.NewLabel(lang.L("{{.Size}} messages from {{.Senders}} senders, {{.When}} ({{.Minutes}} min)", map[string]any{
		"Size": countText(c.Size), "Senders": countText(c.Senders), "When": s.when(c), "Minutes": int(dur.Minutes())}))
	facts.Wrapping = fyne.TextWrapWord
	if c.PeakPerMinute > 0 {
		facts.SetText(facts.Text + " · " + lang.N("Busiest minute: {{.N}} messages. Bursts against the normal rate: {{.B}}.", c.PeakPerMinute, map[string]any{
			"N": countText(c.PeakPerMinute), "B": len(c.Bursts)}))
	}

	s.templateShown = s.u.reveal
	s.template = widget.NewRichText()
	s.template.Wrapping = fyne.TextWrapWord
	s.setTemplate(c.Template)
	eye := widget.NewButtonWithIcon("", theme.VisibilityIcon(), nil)
	eye.OnTapped = func() {
		s.templateShown = !s.templateShown
		s.setTemplate(c.Template)
	}

	oneShot := c.OneShot
	repeat := c.Senders - c.OneShot
	senders := widget.NewLabel(lang.L("Senders: {{.One}} wrote only this message, {{.Repeat}} also sent others.", map[string]any{"One": oneShot, "Repeat": repeat}))
	senders.Wrapping = fyne.TextWrapWord

	var shared []string
	for _, x := range d.linksAndTags(mem) {
		if len(shared) == 12 {
			break
		}
		shared = append(shared, fmt.Sprintf("%s (%d)", x.s, x.n))
	}
	links := widget.NewLabel(lang.L("Shared links and hashtags: {{.List}}", map[string]any{"List": orNone(strings.Join(shared, ", "))}))
	links.Wrapping = fyne.TextWrapWord

	pad := c.End.Sub(c.Start)/10 + time.Minute
	unit := time.Minute
	if c.End.Sub(c.Start) > 12*time.Hour {
		unit = time.Hour
	}
	var window [][2]time.Time // the raid window the analysis found, shaded as on the overview
	if !c.Window.Start.IsZero() {
		window = [][2]time.Time{{c.Window.Start, c.Window.End}}
	}
	tl := newTimeline(bucketize(func(yield func(time.Time) bool) {
		for _, i := range mem {
			if !yield(d.in[i].Time) {
				return
			}
		}
	}, c.Start.Add(-pad), c.End.Add(pad), unit, window, d.loc), d.loc)

	s.review = widget.NewLabel(s.reviewText())
	s.review.Wrapping = fyne.TextWrapWord
	review := s.review
	s.confirmAll = widget.NewButtonWithIcon(lang.L("Confirm all open…"), theme.ConfirmIcon(), s.askConfirmAll)
	s.updateConfirmAll()

	s.members = widget.NewList(
		func() int { return len(mem) },
		func() fyne.CanvasObject {
			eye := widget.NewButtonWithIcon("", theme.VisibilityIcon(), nil)
			meta := widget.NewLabel("")
			// Smaller than the wording, which is what the reviewer compares (same colour, so that
			// the exhibit number stays readable).
			meta.SizeName = theme.SizeNameCaptionText
			text := widget.NewRichText() // clipped: a long message must not run under the buttons
			verdict := widget.NewLabel("")
			ok := widget.NewButtonWithIcon("", theme.ConfirmIcon(), nil)
			no := widget.NewButtonWithIcon("", theme.CancelIcon(), nil)
			return container.NewBorder(nil, nil, container.NewHBox(eye, meta), container.NewHBox(verdict, ok, no), container.NewClip(text))
		},
		func(r widget.ListItemID, o fyne.CanvasObject) {
			i := mem[r]
			m := &d.msgs[i]
			box := o.(*fyne.Container)
			left := box.Objects[1].(*fyne.Container)
			right := box.Objects[2].(*fyne.Container)
			text := box.Objects[0].(*container.Clip).Content.(*widget.RichText)
			eye := left.Objects[0].(*widget.Button)
			eye.OnTapped = func() { s.u.toggleReveal(i); s.members.RefreshItem(r) }
			kind := lang.L("one message")
			if si, ok := d.senderIdx[d.in[i].Sender]; ok && len(d.senders[si].msgs) > 1 {
				kind = lang.L("several messages")
			}
			meta := fmt.Sprintf("%s  %s  %s · %s", m.ExhibitID(), d.in[i].Time.In(d.loc).Format("15:04:05"), shorten(d.in[i].Sender, 18), kind)
			if r < len(c.SeenBefore) {
				meta += seenBefore(c.SeenBefore[r])
			}
			left.Objects[1].(*widget.Label).SetText(meta)
			text.Segments = diffSegments(d.in[i].Text, c.Template, 160, !s.u.isRevealed(i))
			text.Refresh()
			setVerdict(right.Objects[0].(*widget.Label), d.decisions[decisionKey{m.ID, subjectMember}].Verdict)
			right.Objects[1].(*widget.Button).OnTapped = func() { s.decide(r, verdictConfirmed) }
			right.Objects[2].(*widget.Button).OnTapped = func() { s.decide(r, verdictRejected) }
			box.Refresh() // the labels' widths changed
		})

	// The placeholder stays short (a long one ran under the Add note button); the hint above the
	// entry says where the note goes.
	s.note = widget.NewMultiLineEntry()
	s.note.Wrapping = fyne.TextWrapWord
	s.note.SetPlaceHolder(lang.L("Note for the custody log (optional)"))
	s.note.SetMinRowsVisible(2)
	s.noteBtn = widget.NewButtonWithIcon(lang.L("Add note"), theme.DocumentCreateIcon(), s.addNote)
	noteHint := widget.NewLabel(lang.L("A note goes with the next decision, or on the whole raid with Add note."))
	noteHint.Importance = widget.LowImportance
	noteHint.Wrapping = fyne.TextWrapWord

	flags := widget.NewLabel(s.triageText(c))
	flags.Wrapping = fyne.TextWrapWord

	// The written facts fill the upper pane; the raid's own timeline has a tab of its own below,
	// where it gets the room a minute-by-minute histogram needs.
	head := container.NewVBox(title, facts,
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(lang.L("Template"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), eye, s.template),
		senders, links, flags)
	foot := container.NewBorder(noteHint, nil, nil, container.NewVBox(s.noteBtn), s.note)
	s.flagged = s.flagged[:0]
	for _, i := range mem {
		for _, f := range d.flagsOf(i) {
			s.flagged = append(s.flagged, flagRow{i, f})
		}
	}
	s.flagList = widget.NewList(
		func() int { return len(s.flagged) },
		func() fyne.CanvasObject {
			eye := widget.NewButtonWithIcon("", theme.VisibilityIcon(), nil)
			meta := widget.NewLabel("")
			text := widget.NewLabel("")
			verdict := widget.NewLabel("")
			ok := widget.NewButtonWithIcon("", theme.ConfirmIcon(), nil)
			no := widget.NewButtonWithIcon("", theme.CancelIcon(), nil)
			return container.NewBorder(nil, nil, container.NewHBox(eye, meta), container.NewHBox(verdict, ok, no), container.NewClip(text))
		},
		func(r widget.ListItemID, o fyne.CanvasObject) {
			fr := s.flagged[r]
			m := &d.msgs[fr.msg]
			box := o.(*fyne.Container)
			left := box.Objects[1].(*fyne.Container)
			right := box.Objects[2].(*fyne.Container)
			left.Objects[0].(*widget.Button).OnTapped = func() { s.u.toggleReveal(fr.msg); s.flagList.RefreshItem(r) }
			left.Objects[1].(*widget.Label).SetText(m.ExhibitID() + "  " + triageName(fr.flag.Category))
			matched := strings.Join(fr.flag.Matched, ", ")
			if !s.u.isRevealed(fr.msg) {
				matched = mask(matched)
			}
			box.Objects[0].(*container.Clip).Content.(*widget.Label).SetText(matched)
			setVerdict(right.Objects[0].(*widget.Label), d.decisions[decisionKey{m.ID, "flag:" + fr.flag.Category}].Verdict)
			right.Objects[1].(*widget.Button).OnTapped = func() { s.decideFlag(r, verdictConfirmed) }
			right.Objects[2].(*widget.Button).OnTapped = func() { s.decideFlag(r, verdictRejected) }
			box.Refresh()
		})
	lower := container.NewAppTabs(
		container.NewTabItem(lang.L("Members ({{.N}})", map[string]any{"N": countText(len(mem))}),
			container.NewBorder(container.NewBorder(nil, nil, nil, s.confirmAll, review), nil, nil, nil, s.members)),
		container.NewTabItem(lang.L("Triage suggestions ({{.N}})", map[string]any{"N": countText(len(s.flagged))}), s.flagList),
		container.NewTabItem(lang.L("Timeline"), container.NewPadded(tl)),
	)
	s.timeline, s.lower = tl, lower
	if s.lowerTab > 0 {
		lower.SelectIndex(s.lowerTab)
	}
	lower.OnSelected = func(*container.TabItem) { s.lowerTab = lower.SelectedIndex() }
	split := container.NewVSplit(container.NewVScroll(head), container.NewBorder(nil, foot, nil, nil, lower))
	split.Offset = 0.28 // the head scrolls; the members list gets the height (about 5 rows at 1024×700)
	page := split
	s.detail.Objects = []fyne.CanvasObject{container.NewPadded(page)}
	s.detail.Refresh()
}

// seenBefore says where a member came in its raid from the number of raid messages before it:
// " · first of the raid", " · message 13 of the raid", or nothing when its time is unknown
// (n < 0).
func seenBefore(n int) string {
	switch {
	case n < 0:
		return ""
	case n == 0:
		return " · " + lang.L("first of the raid")
	}
	return " · " + lang.L("message {{.K}} of the raid", map[string]any{"K": n + 1})
}

func orNone(s string) string {
	if s == "" {
		return lang.L("none")
	}
	return s
}

func (s *raidsScreen) setTemplate(t string) {
	if s.templateShown {
		s.template.Segments = []widget.RichTextSegment{seg(t, widget.RichTextStyleParagraph)}
	} else {
		s.template.Segments = []widget.RichTextSegment{seg(mask(t), widget.RichTextStyleParagraph)}
	}
	s.template.Refresh()
}

func (s *raidsScreen) reviewText() string {
	mem := s.d.members[s.selected]
	confirmed, rejected := s.counts(mem)
	return lang.L("Review: {{.C}} confirmed, {{.R}} rejected, {{.O}} open. The machine suggests; the reviewer decides. Every decision goes into the custody log.",
		map[string]any{"C": countText(confirmed), "R": countText(rejected), "O": countText(len(mem) - confirmed - rejected)})
}

func (s *raidsScreen) counts(mem []int) (confirmed, rejected int) {
	for _, i := range mem {
		switch s.d.decisions[decisionKey{s.d.msgs[i].ID, subjectMember}].Verdict {
		case verdictConfirmed:
			confirmed++
		case verdictRejected:
			rejected++
		}
	}
	return
}

// flagRow is one triage suggestion on a member of the selected raid.
type flagRow struct {
	msg  int
	flag analysis.Flag
}

func setVerdict(l *widget.Label, verdict string) {
	switch verdict {
	case verdictConfirmed:
		l.SetText(lang.L("confirmed"))
		l.Importance = widget.SuccessImportance
	case verdictRejected:
		l.SetText(lang.L("rejected"))
		l.Importance = widget.DangerImportance
	default:
		l.SetText(lang.L("to review"))
		l.Importance = widget.LowImportance
	}
	l.Refresh()
}

// decideFlag records the reviewer's verdict on triage suggestion r of the selected raid.
func (s *raidsScreen) decideFlag(r int, verdict string) {
	fr := s.flagged[r]
	c := s.d.clusters[s.selected]
	s.record(casefile.Decision{MessageID: s.d.msgs[fr.msg].ID, ClusterID: c.ID, Subject: "flag:" + fr.flag.Category,
		Verdict: verdict, Who: s.u.examiner(), At: time.Now().UTC()})
}

// decide records the reviewer's verdict on member r of the selected raid.
func (s *raidsScreen) decide(r int, verdict string) {
	if s.selected < 0 {
		return
	}
	c := s.d.clusters[s.selected]
	m := s.d.msgs[s.d.members[s.selected][r]]
	s.record(casefile.Decision{MessageID: m.ID, ClusterID: c.ID, Subject: subjectMember, Verdict: verdict,
		Who: s.u.examiner(), At: time.Now().UTC()})
}

// openMembers are the members of the selected raid without a verdict, as message indexes.
func (s *raidsScreen) openMembers() []int {
	var open []int
	for _, i := range s.d.members[s.selected] {
		if s.d.decisions[decisionKey{s.d.msgs[i].ID, subjectMember}].Verdict == "" {
			open = append(open, i)
		}
	}
	return open
}

func (s *raidsScreen) updateConfirmAll() {
	if s.confirmAll == nil || s.selected < 0 {
		return
	}
	if len(s.openMembers()) == 0 {
		s.confirmAll.Disable()
	} else {
		s.confirmAll.Enable()
	}
}

// askConfirmAll confirms, after the reviewer says yes, every open member of the selected raid:
// one decision per message, each in the custody log with a note saying it was confirmed with
// the others (a large raid of one template need not be clicked through one by one; rejected
// members stay rejected).
func (s *raidsScreen) askConfirmAll() {
	if s.selected < 0 {
		return
	}
	open := s.openMembers()
	if len(open) == 0 {
		return
	}
	c := s.d.clusters[s.selected]
	ref := raidRef(c.ID)
	msg := lang.L("Confirm the {{.N}} open members of raid {{.Raid}} as members of this raid? Each gets its own decision in the custody log, noted as confirmed together. Members you rejected stay rejected.",
		map[string]any{"N": countText(len(open)), "Raid": ref})
	dialog.ShowConfirm(lang.L("Confirm all open members"), msg, func(yes bool) {
		if yes {
			s.confirmOpen(c.ID, open)
		}
	}, s.u.w)
}

func (s *raidsScreen) confirmOpen(clusterID int, open []int) {
	note := lang.L("confirmed together with the other open members of raid {{.Raid}} ({{.N}} decisions)",
		map[string]any{"Raid": raidRef(clusterID), "N": len(open)})
	if extra := strings.TrimSpace(s.note.Text); extra != "" {
		note = extra + " — " + note
	}
	who, at := s.u.examiner(), time.Now().UTC()
	decs := make([]casefile.Decision, len(open))
	for k, i := range open {
		decs[k] = casefile.Decision{MessageID: s.d.msgs[i].ID, ClusterID: clusterID, Subject: subjectMember,
			Verdict: verdictConfirmed, Note: note, Who: who, At: at}
	}
	ch := s.u.c
	sel := s.selected
	s.confirmAll.Disable()
	var done []casefile.Decision
	s.u.jobs.run(context.Background(), func(ctx context.Context) error {
		for _, dec := range decs {
			if err := ch.Decide(ctx, dec); err != nil {
				return err
			}
			done = append(done, dec)
		}
		return nil
	}, func(err error) {
		for _, dec := range done { // those stored before an error are kept, and shown
			s.d.decisions[decisionKey{dec.MessageID, dec.Subject}] = dec
			s.d.decMu.Lock()
			s.d.decided[dec.MessageID] = true
			s.d.decMu.Unlock()
		}
		if err != nil {
			s.u.showError(err)
		} else if s.note.Text != "" {
			s.note.SetText("")
		}
		if s.selected == sel {
			s.members.Refresh()
			s.review.SetText(s.reviewText())
			s.updateConfirmAll()
		}
	})
}

// record stores a decision (casefile logs it to custody) and redraws the raid page.
func (s *raidsScreen) record(dec casefile.Decision) {
	dec.Note = strings.TrimSpace(s.note.Text) // a note being written goes with the decision
	ch := s.u.c
	sel := s.selected
	s.u.jobs.run(context.Background(), func(ctx context.Context) error {
		return ch.Decide(ctx, dec)
	}, func(err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.d.decisions[decisionKey{dec.MessageID, dec.Subject}] = dec
		s.d.decMu.Lock()
		s.d.decided[dec.MessageID] = true
		s.d.decMu.Unlock()
		if dec.Note != "" && s.note.Text == dec.Note {
			s.note.SetText("")
		}
		if s.selected == sel {
			s.members.Refresh()
			s.flagList.Refresh()
			s.review.SetText(s.reviewText())
			s.updateConfirmAll()
		}
	})
}

// addNote logs the note about the selected raid.
func (s *raidsScreen) addNote() {
	text := strings.TrimSpace(s.note.Text)
	if text == "" || s.selected < 0 {
		return
	}
	c := s.d.clusters[s.selected]
	ch := s.u.c
	who := s.u.examiner()
	s.noteBtn.Disable()
	s.u.jobs.run(context.Background(), func(ctx context.Context) error {
		_, err := ch.Log(ctx, "note", map[string]any{"cluster_id": c.ID, "note": text, "who": who})
		return err
	}, func(err error) {
		s.noteBtn.Enable()
		if err != nil {
			s.u.showError(err)
			return
		}
		s.note.SetText("")
		s.note.SetPlaceHolder(lang.L("Note saved in the custody log."))
	})
}

// triageText lists the lexicon suggestions of a cluster, by category.
func (s *raidsScreen) triageText(c analysis.Cluster) string {
	if len(c.Triage) == 0 {
		return lang.L("Triage suggestions: none for this raid.")
	}
	cats := make([]string, 0, len(c.Triage))
	for k := range c.Triage {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	parts := make([]string, len(cats))
	for i, k := range cats {
		parts[i] = fmt.Sprintf("%s %d", triageName(k), c.Triage[k])
	}
	return lang.L("Triage suggestions (to confirm or reject, never a verdict): {{.List}}", map[string]any{"List": strings.Join(parts, ", ")})
}

// triageName translates a triage category.
func triageName(cat string) string {
	switch cat {
	case analysis.DeathThreat:
		return lang.L("death threat")
	case analysis.SexualThreat:
		return lang.L("sexual threat")
	case analysis.ThreatFamilyHome:
		return lang.L("threat to family or home")
	case analysis.Insult:
		return lang.L("insult")
	case analysis.DoxxingAddress:
		return lang.L("address disclosed")
	case analysis.DoxxingPhone:
		return lang.L("phone number disclosed")
	}
	return cat
}
