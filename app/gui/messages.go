package gui

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/sahilm/fuzzy"
)

// msgFilter is the structured part of the Messages screen's filter.
type msgFilter struct {
	source   int64  // source ID, 0 = all
	dir      string // "in", "out", "" = all
	cluster  int    // cluster ID, 0 = all, clusterAny, clusterNone
	flagged  bool   // only messages with a reviewer decision or triage flag
	from, to time.Time
}

// minSearch is how many characters the search needs: one letter matches nearly everything.
const minSearch = 2

const (
	clusterAny  = -1
	clusterNone = -2
)

// rowSet is the filtered view of the messages: indexes into caseData.msgs, with the matched byte
// offsets (into caseData.search) for each row when a search is active.
type rowSet struct {
	rows []int32
	hl   [][]int
	// what the rows were found with; pattern is trimmed, and set only when it searched
	f       msgFilter
	pattern string
}

// narrows reports whether the rows found with (f, pattern) are among v's rows, so that a search
// can score only those: the same filter and a search pattern that extends v's (fuzzy matches a
// pattern's characters in order, so what matches "esc" also matches "es").
func (v rowSet) narrows(f msgFilter, pattern string) bool {
	pattern = strings.TrimSpace(pattern)
	// not with "flagged": a reviewer's decision since v was found can add rows
	return v.pattern != "" && f == v.f && !f.flagged && strings.HasPrefix(pattern, v.pattern)
}

// candidates is a fuzzy.Source over a subset of the messages.
type candidates struct {
	d   *caseData
	idx []int32
}

func (c candidates) String(i int) string { return c.d.search[c.idx[i]] }
func (c candidates) Len() int            { return len(c.idx) }

// filterRows applies f, then the fuzzy pattern over sender and text: best matches first, in
// time order among equal scores, or all in time order without a pattern.
func filterRows(d *caseData, f msgFilter, pattern string) rowSet {
	return filterWithin(d, f, pattern, nil)
}

// filterWithin is filterRows when the result is known to lie within prev, a result for the same
// filter and a pattern the new one extends (rowSet.narrows): only prev's rows are scored.
func filterWithin(d *caseData, f msgFilter, pattern string, prev *rowSet) rowSet {
	pattern = strings.TrimSpace(pattern)
	if prev != nil && utf8.RuneCountInString(pattern) >= minSearch && prev.narrows(f, pattern) {
		idx := slices.Clone(prev.rows)
		slices.Sort(idx) // message indexes ascending: time order again
		return search(d, f, pattern, idx)
	}
	idx := make([]int32, 0, len(d.msgs))
	for i := range d.msgs {
		m := &d.msgs[i]
		if f.source != 0 && m.SourceID != f.source {
			continue
		}
		if f.dir != "" && string(m.Direction) != f.dir {
			continue
		}
		switch c := d.clusterOf[i]; {
		case f.cluster == clusterAny && c == 0, f.cluster == clusterNone && c != 0, f.cluster > 0 && int(c) != f.cluster:
			continue
		}
		if f.flagged && !d.flagged(i) {
			continue
		}
		if t := d.in[i].Time; !f.from.IsZero() && t.Before(f.from) || !f.to.IsZero() && t.After(f.to) {
			continue
		}
		idx = append(idx, int32(i))
	}
	if utf8.RuneCountInString(pattern) < minSearch {
		return rowSet{rows: idx, f: f}
	}
	return search(d, f, pattern, idx)
}

// search scores the candidates idx (in time order) against pattern.
func search(d *caseData, f msgFilter, pattern string, idx []int32) rowSet {
	// Split the candidates between the cores; each part is pre-filtered cheaply, then scored.
	parts := min(runtime.GOMAXPROCS(0), max(1, len(idx)/20000))
	found := make([]rowSet, parts)
	scores := make([][]int, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(idx)/parts, (p+1)*len(idx)/parts
		wg.Add(1)
		go func() {
			defer wg.Done()
			part := prefilter(d, idx[lo:hi], pattern)
			// every candidate left matches, but for a rare non-ASCII fold: size for all of them,
			// and score in chunks so that fuzzy's own list of matches stays small
			rs := rowSet{rows: make([]int32, 0, len(part)), hl: make([][]int, 0, len(part))}
			sc := make([]int, 0, len(part))
			const chunk = 4096
			for c := 0; c < len(part); c += chunk {
				sub := part[c:min(c+chunk, len(part))]
				for _, m := range fuzzy.FindFromNoSort(pattern, candidates{d, sub}) {
					rs.rows, rs.hl, sc = append(rs.rows, sub[m.Index]), append(rs.hl, m.MatchedIndexes), append(sc, m.Score)
				}
			}
			found[p], scores[p] = rs, sc
		}()
	}
	wg.Wait()
	// Best matches first; equal scores stay in time order. Scores span a small range, so a
	// counting sort orders the hits in linear time.
	n, lo, hi := 0, 0, 0
	for p := range found {
		for _, sc := range scores[p] {
			if n == 0 || sc < lo {
				lo = sc
			}
			if n == 0 || sc > hi {
				hi = sc
			}
			n++
		}
	}
	rs := rowSet{rows: make([]int32, n), hl: make([][]int, n), f: f, pattern: pattern}
	if n == 0 {
		return rs
	}
	count := make([]int, hi-lo+2)
	for p := range found {
		for _, sc := range scores[p] {
			count[hi-sc+1]++
		}
	}
	for k := 1; k < len(count); k++ {
		count[k] += count[k-1]
	}
	for p := range found {
		for k, sc := range scores[p] {
			at := count[hi-sc]
			count[hi-sc]++
			rs.rows[at], rs.hl[at] = found[p].rows[k], found[p].hl[k]
		}
	}
	return rs
}

// prefilter keeps the candidates whose search string holds the pattern's characters in order,
// with a byte scan much cheaper than fuzzy's scoring. It never drops a string fuzzy would match:
// for a pattern with non-ASCII characters it keeps everything, and a non-ASCII character of the
// text counts as a match for "k" and "s" (which fold to the Kelvin sign and long s).
func prefilter(d *caseData, idx []int32, pattern string) []int32 {
	p := []byte(strings.ToLower(pattern))
	for _, c := range p {
		if c >= utf8.RuneSelf {
			return idx
		}
	}
	out := make([]int32, 0, len(idx)/4)
	for _, i := range idx {
		s := d.search[i]
		k := 0
		for j := 0; j < len(s) && k < len(p); j++ {
			c := s[j]
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 0xC0 && (p[k] == 'k' || p[k] == 's'): // start of a non-ASCII rune
				k++
				continue
			}
			if c == p[k] {
				k++
			}
		}
		if k == len(p) {
			out = append(out, i)
		}
	}
	return out
}

// flagged reports whether message i has a triage suggestion or a reviewer decision.
func (d *caseData) flagged(i int) bool {
	if d.hasFlags(i) {
		return true
	}
	d.decMu.RLock()
	defer d.decMu.RUnlock()
	return d.decided[d.msgs[i].ID]
}

// Columns of the messages table.
const (
	colEye = iota
	colExhibit
	colTime
	colSender
	colDir
	colRaid
	colSource
	colText
	numCols
)

// messagesScreen is every message in a virtualised table with search and filters.
type messagesScreen struct {
	u       *UI
	d       *caseData
	content fyne.CanvasObject

	view   rowSet
	table  *widget.Table
	search *widget.Entry
	source *widget.Select
	dir    *widget.Select
	raid   *widget.Select
	flag   *widget.Check
	from   *widget.Entry
	to     *widget.Entry
	count  *widget.Label

	sourceIDs []int64
	raidIDs   []int
	gen       atomic.Int64
	// syncSearch filters on the calling goroutine, for tests: fyne's test driver runs fyne.Do
	// on the caller's goroutine, so a background search would race with the test itself.
	syncSearch bool
}

func newMessagesScreen(u *UI, d *caseData) *messagesScreen {
	s := &messagesScreen{u: u, d: d}
	s.view = filterRows(d, msgFilter{}, "")

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder(lang.L("Search text and senders (fuzzy)"))
	s.search.OnChanged = func(string) { s.schedule() }

	srcOpts := []string{lang.L("All sources")}
	s.sourceIDs = []int64{0}
	for _, src := range d.sources {
		srcOpts = append(srcOpts, fmt.Sprintf("%d · %s", src.ID, src.Name))
		s.sourceIDs = append(s.sourceIDs, src.ID)
	}
	s.source = widget.NewSelect(srcOpts, func(string) { s.schedule() })
	s.source.SetSelectedIndex(0)
	s.dir = widget.NewSelect([]string{lang.L("Both directions"), lang.L("Received"), lang.L("Sent")}, func(string) { s.schedule() })
	s.dir.SetSelectedIndex(0)
	raidOpts := []string{lang.L("All messages"), lang.L("In a raid"), lang.L("In no raid")}
	s.raidIDs = []int{0, clusterAny, clusterNone}
	for i, c := range d.clusters {
		if i == 50 {
			break
		}
		raidOpts = append(raidOpts, lang.L("Raid #{{.ID}}", map[string]any{"ID": c.ID}))
		s.raidIDs = append(s.raidIDs, c.ID)
	}
	s.raid = widget.NewSelect(raidOpts, func(string) { s.schedule() })
	s.raid.SetSelectedIndex(0)
	s.flag = widget.NewCheck(lang.L("Flagged or reviewed"), func(bool) { s.schedule() })
	s.from = widget.NewEntry()
	s.from.SetPlaceHolder(lang.L("from YYYY-MM-DD HH:MM"))
	s.from.OnChanged = func(string) { s.schedule() }
	s.from.Validator = func(v string) error { _, err := parseWhen(v, d.loc, false); return err }
	s.to = widget.NewEntry()
	s.to.SetPlaceHolder(lang.L("to YYYY-MM-DD HH:MM"))
	s.to.OnChanged = func(string) { s.schedule() }
	s.to.Validator = func(v string) error { _, err := parseWhen(v, d.loc, true); return err }
	s.count = widget.NewLabel("")

	s.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(s.view.rows), numCols },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			r := widget.NewRichText()
			r.Truncation = fyne.TextTruncateEllipsis
			b := widget.NewButtonWithIcon("", theme.VisibilityIcon(), nil)
			b.Importance = widget.LowImportance
			return container.NewStack(l, r, b)
		},
		s.updateCell)
	s.table.ShowHeaderColumn = false
	s.table.OnSelected = func(id widget.TableCellID) {
		// A sender cell opens that sender's dossier.
		if id.Col == colSender && id.Row >= 0 && id.Row < len(s.view.rows) {
			s.table.UnselectAll()
			u.showSender(s.d.in[s.view.rows[id.Row]].Sender)
		}
	}
	s.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Row < 0 && id.Col >= 0 {
			o.(*widget.Label).SetText(columnTitle(id.Col))
		}
	}
	for col, w := range map[int]float32{colEye: 44, colExhibit: 90, colTime: 160, colSender: 160, colDir: 90, colRaid: 70, colSource: 150, colText: 640} {
		s.table.SetColumnWidth(col, w)
	}
	s.showCount()

	filters := container.NewGridWithColumns(3, s.source, s.dir, s.raid)
	times := container.NewGridWithColumns(3, s.from, s.to, s.flag)
	top := container.NewVBox(s.search, filters, times, s.count)
	s.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, s.table)
	return s
}

func columnTitle(col int) string {
	switch col {
	case colExhibit:
		return lang.L("Exhibit")
	case colTime:
		return lang.L("Time")
	case colSender:
		return lang.L("Sender")
	case colDir:
		return lang.L("Direction")
	case colRaid:
		return lang.L("Raid")
	case colSource:
		return lang.L("Source")
	case colText:
		return lang.L("Text")
	}
	return ""
}

// cell is the text of a plain cell; it only reads the slices.
func (s *messagesScreen) cell(row, col int) string {
	i := s.view.rows[row]
	m := &s.d.msgs[i]
	switch col {
	case colExhibit:
		return m.ExhibitID()
	case colTime:
		if t := s.d.in[i].Time; !t.IsZero() {
			return t.In(s.d.loc).Format("2006-01-02 15:04:05")
		}
		return s.d.rawTime[int(i)]
	case colDir:
		switch m.Direction {
		case "in":
			return lang.L("in")
		case "out":
			return lang.L("out")
		}
		return ""
	case colRaid:
		if c := s.d.clusterOf[i]; c != 0 {
			return raidRef(int(c))
		}
		return ""
	case colSource:
		return s.d.srcName[m.SourceID]
	case colSender:
		if s.d.in[i].Sender == "" && m.Direction == "out" {
			return lang.L("(case owner)")
		}
		return s.d.in[i].Sender
	}
	return ""
}

func (s *messagesScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	box := o.(*fyne.Container)
	l := box.Objects[0].(*widget.Label)
	r := box.Objects[1].(*widget.RichText)
	b := box.Objects[2].(*widget.Button)
	if id.Row >= len(s.view.rows) {
		return
	}
	i := int(s.view.rows[id.Row])
	switch id.Col {
	case colEye:
		l.Hide()
		r.Hide()
		b.Show()
		if s.u.isRevealed(i) {
			b.SetIcon(theme.VisibilityOffIcon())
		} else {
			b.SetIcon(theme.VisibilityIcon())
		}
		row := id.Row
		b.OnTapped = func() {
			s.u.toggleReveal(i)
			s.table.RefreshItem(widget.TableCellID{Row: row, Col: colText})
			s.table.RefreshItem(widget.TableCellID{Row: row, Col: colEye})
		}
	case colText, colSender:
		l.Hide()
		b.Hide()
		r.Show()
		var hl []int
		if s.view.hl != nil {
			hl = s.view.hl[id.Row]
		}
		sender := s.d.in[i].Sender
		if id.Col == colSender && sender == "" {
			r.Segments = []widget.RichTextSegment{seg(s.cell(id.Row, colSender), mutedInline)}
		} else if id.Col == colSender {
			var own []int
			for _, x := range hl {
				if x < len(sender) {
					own = append(own, x)
				}
			}
			r.Segments = highlightSegments(sender, sender, own, 0)
		} else {
			text := cut(s.d.in[i].Text, cellRunes)
			display := text
			if !s.u.isRevealed(i) {
				display = mask(text)
			}
			r.Segments = highlightSegments(display, text, hl, len(sender)+1)
		}
		r.Refresh()
	default:
		r.Hide()
		b.Hide()
		l.Show()
		l.SetText(s.cell(id.Row, id.Col))
	}
}

// filter reads the filter controls.
func (s *messagesScreen) filter() msgFilter {
	f := msgFilter{}
	if i := s.source.SelectedIndex(); i > 0 {
		f.source = s.sourceIDs[i]
	}
	switch s.dir.SelectedIndex() {
	case 1:
		f.dir = "in"
	case 2:
		f.dir = "out"
	}
	if i := s.raid.SelectedIndex(); i > 0 {
		f.cluster = s.raidIDs[i]
	}
	f.flagged = s.flag.Checked
	f.from, _ = parseWhen(s.from.Text, s.d.loc, false)
	f.to, _ = parseWhen(s.to.Text, s.d.loc, true)
	return f
}

// parseWhen reads a time typed in a filter box, in the case's time zone: a day, a minute or a
// second. As the end of a range (end) it means the end of that day, minute or second, so that
// "to 2026-03-14" keeps the whole day. An empty box is the zero time; anything else an error.
func parseWhen(v string, loc *time.Location, end bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, nil
	}
	for _, l := range []struct {
		layout string
		span   time.Duration
	}{{"2006-01-02 15:04:05", time.Second}, {"2006-01-02 15:04", time.Minute}, {"2006-01-02", 24 * time.Hour}} {
		if t, err := time.ParseInLocation(l.layout, v, loc); err == nil {
			if end {
				if l.span == 24*time.Hour {
					return t.AddDate(0, 0, 1).Add(-time.Nanosecond), nil // a DST day is not 24 hours
				}
				t = t.Add(l.span - time.Nanosecond)
			}
			return t, nil
		}
	}
	return time.Time{}, errors.New(lang.L("Write a date as YYYY-MM-DD, optionally with HH:MM"))
}

// searchDelay lets a few keystrokes pass before filtering.
const searchDelay = 120 * time.Millisecond

// schedule filters again shortly, off the UI goroutine; a newer call supersedes an older one.
func (s *messagesScreen) schedule() {
	if s.table == nil {
		return // still building
	}
	f := s.filter()
	pattern := s.search.Text
	var prev *rowSet
	if s.view.narrows(f, pattern) {
		v := s.view
		prev = &v
	}
	if s.syncSearch {
		s.show(filterWithin(s.d, f, pattern, prev))
		return
	}
	gen := s.gen.Add(1)
	s.u.jobs.wg.Add(1)
	time.AfterFunc(searchDelay, func() {
		defer s.u.jobs.wg.Done()
		if s.gen.Load() != gen {
			return
		}
		v := filterWithin(s.d, f, pattern, prev)
		fyne.Do(func() {
			if s.gen.Load() == gen {
				s.show(v)
			}
		})
	})
}

// show puts a filtered view in the table.
func (s *messagesScreen) show(v rowSet) {
	s.view = v
	s.table.ScrollToTop()
	s.table.Refresh()
	s.showCount()
}

func (s *messagesScreen) showCount() {
	text := lang.L("{{.N}} of {{.Total}} messages", map[string]any{"N": countText(len(s.view.rows)), "Total": countText(len(s.d.msgs))})
	if n := utf8.RuneCountInString(strings.TrimSpace(s.search.Text)); n > 0 && n < minSearch {
		text += " · " + lang.L("type at least two characters to search")
	}
	s.count.SetText(text)
}

func (s *messagesScreen) refresh() { s.table.Refresh() }
