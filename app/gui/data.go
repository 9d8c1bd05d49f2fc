package gui

import (
	"cmp"
	"context"
	"errors"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// caseData is a snapshot of an open case, read once off the UI goroutine and then only read by
// the screens: plain slices that List and Table callbacks index without further queries. It
// holds a compact row per message (casefile.Row, not casefile.Message: no recipients, extra
// fields or hashes), so that a million-message case fits in a laptop's memory.
type caseData struct {
	info    casefile.Info
	loc     *time.Location
	sources []casefile.Source
	msgs    []msgRow
	// in[i] is the analysis view of msgs[i]: time, sender key, text (a part of search[i]),
	// channel, name, media.
	in       []analysis.Message
	rawTime  map[int]string     // the source's time as written, for messages without a time
	an       *casefile.Analysis // nil before the first analysis
	clusters []analysis.Cluster
	// members[k] are the message indexes (into msgs) of clusters[k], in time order.
	members   [][]int
	clusterOf []int32 // cluster ID per message, 0 when in none
	byID      idIndex
	senders   []senderInfo
	senderIdx map[string]int
	decisions map[decisionKey]casefile.Decision
	decided   map[int64]bool // messages with any decision
	decMu     sync.RWMutex   // guards decided, which background searches read
	// search[i] is sender + " " + text of message i, what the search box matches; in[i].Text is
	// its tail, so each text is held once.
	search []string
	// input is the analysis input in the order of the analysis's MessageIDs: in itself when the
	// analysis saw exactly the case's messages, as it normally does; inputMsg maps its positions
	// to indexes into msgs. Both nil before an analysis.
	input    []analysis.Message
	inputMsg []int
	// flagAt lists the triage suggestions (indexes into an.Result.Flags) by message: flagMsg[k]
	// is the message index of flagAt[k], ascending; see flagsOf.
	flagAt, flagMsg []int32
	figs            figures
	srcName         map[int64]string
	// notAnalysed counts the messages the latest analysis did not see (imported after it); 0
	// before any analysis.
	notAnalysed int

	arena   textArena
	interns map[string]string // sender keys and names, each held once
}

// msgRow is what the screens read of a message besides its analysis view (caseData.in).
type msgRow struct {
	ID, SourceID int64
	Direction    importers.Direction
}

// ExhibitID is the message's exhibit number as printed in the bundle and report.
func (m *msgRow) ExhibitID() string { return casefile.ExhibitID(m.ID) }

type senderInfo struct {
	key      string
	msgs     []int // message indexes, in time order
	clusters []int // cluster IDs joined, ascending
}

type decisionKey struct {
	msg     int64
	subject string
}

// loadCaseData reads everything the screens show from c.
func loadCaseData(ctx context.Context, c caseHandle) (*caseData, error) {
	d := &caseData{}
	if err := d.readHead(ctx, c); err != nil {
		return nil, err
	}
	n, err := c.CountMessages(ctx)
	if err != nil {
		return nil, err
	}
	d.grow(n)
	if err := c.EachRow(ctx, func(r casefile.Row) error { d.add(r); return nil }); err != nil {
		return nil, err
	}
	if err := d.readAnalysis(ctx, c); err != nil {
		return nil, err
	}
	return d, nil
}

// reanalysed returns what d becomes after an analysis: the messages as d holds them (rows,
// texts, senders: an analysis does not change them, and reading a million again would double the
// memory while both are held), with the rest read again from c as loadCaseData reads it. ok is
// false when the case's messages changed since d was read (an import meanwhile): then the case
// must be read whole.
func (d *caseData) reanalysed(ctx context.Context, c caseHandle) (nd *caseData, ok bool, err error) {
	n, err := c.CountMessages(ctx)
	if err != nil {
		return nil, false, err
	}
	if n != len(d.msgs) { // messages are only ever added
		return nil, false, nil
	}
	nd = &caseData{msgs: d.msgs, in: d.in, rawTime: d.rawTime, search: d.search, arena: d.arena}
	if err := nd.readHead(ctx, c); err != nil {
		return nil, false, err
	}
	if err := nd.readAnalysis(ctx, c); err != nil {
		return nil, false, err
	}
	return nd, true, nil
}

// readHead reads the case's info (and its time zone) and sources.
func (d *caseData) readHead(ctx context.Context, c caseHandle) (err error) {
	if d.info, err = c.Info(ctx); err != nil {
		return err
	}
	d.loc = time.UTC
	if d.info.TimeZone != "" {
		if l, err := time.LoadLocation(d.info.TimeZone); err == nil {
			d.loc = l
		}
	}
	d.sources, err = c.Sources(ctx)
	return err
}

// readAnalysis reads the latest analysis and the decisions, then builds what the screens index.
func (d *caseData) readAnalysis(ctx context.Context, c caseHandle) error {
	an, err := c.LatestAnalysisBrief(ctx)
	switch {
	case errors.Is(err, casefile.ErrNotFound):
	case err != nil:
		return err
	default:
		d.an = an
	}
	decs, err := c.Decisions(ctx)
	if err != nil {
		return err
	}
	d.build(decs)
	return nil
}

// grow makes room for n more messages.
func (d *caseData) grow(n int) {
	d.msgs = slices.Grow(d.msgs, n)
	d.in = slices.Grow(d.in, n)
	d.search = slices.Grow(d.search, n)
}

// add appends one message; build must run once all are added.
func (d *caseData) add(r casefile.Row) {
	if d.interns == nil {
		d.interns = map[string]string{}
	}
	in := r.Input
	in.Sender = d.intern(in.Sender)
	in.Name = d.intern(in.Name)
	search := d.arena.add(in.Sender, in.Text)
	in.Text = search[len(in.Sender)+1:]
	if r.RawTime != "" && in.Time.IsZero() {
		if d.rawTime == nil {
			d.rawTime = map[int]string{}
		}
		d.rawTime[len(d.msgs)] = r.RawTime
	}
	d.msgs = append(d.msgs, msgRow{ID: r.ID, SourceID: r.SourceID, Direction: r.Direction})
	d.in = append(d.in, in)
	d.search = append(d.search, search)
}

func (d *caseData) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := d.interns[s]; ok {
		return v
	}
	d.interns[s] = s
	return s
}

// textArena packs strings into large shared blocks: one allocation per megabyte of text rather
// than one per message. A block's bytes are never changed once written (strings.Builder only
// appends), so the strings handed out stay valid.
type textArena struct {
	b strings.Builder
}

const arenaBlock = 1 << 20

// add stores a + " " + b and returns it.
func (t *textArena) add(a, b string) string {
	need := len(a) + 1 + len(b)
	if t.b.Cap()-t.b.Len() < need {
		t.b = strings.Builder{} // the old block lives on in the strings taken from it
		t.b.Grow(max(arenaBlock, need))
	}
	start := t.b.Len()
	t.b.WriteString(a)
	t.b.WriteByte(' ')
	t.b.WriteString(b)
	return t.b.String()[start:]
}

// idIndex maps message IDs to indexes into caseData.msgs: a slice indexed by ID when the IDs
// are dense (SQLite's rowids normally are), a map otherwise.
type idIndex struct {
	dense  []int32
	sparse map[int64]int
}

func newIDIndex(msgs []msgRow) idIndex {
	var maxID int64
	for i := range msgs {
		maxID = max(maxID, msgs[i].ID)
	}
	if maxID <= int64(4*len(msgs)+1024) && len(msgs) < math.MaxInt32 {
		x := idIndex{dense: make([]int32, maxID+1)}
		for i := range x.dense {
			x.dense[i] = -1
		}
		for i := range msgs {
			if id := msgs[i].ID; id >= 0 {
				x.dense[id] = int32(i)
			}
		}
		return x
	}
	x := idIndex{sparse: make(map[int64]int, len(msgs))}
	for i := range msgs {
		x.sparse[msgs[i].ID] = i
	}
	return x
}

// get returns the index of the message with the given ID.
func (x idIndex) get(id int64) (int, bool) {
	if x.sparse != nil {
		i, ok := x.sparse[id]
		return i, ok
	}
	if id < 0 || id >= int64(len(x.dense)) || x.dense[id] < 0 {
		return 0, false
	}
	return int(x.dense[id]), true
}

func (d *caseData) build(decs []casefile.Decision) {
	n := len(d.msgs)
	d.byID = newIDIndex(d.msgs)
	d.clusterOf = make([]int32, n)
	d.senderIdx = map[string]int{}
	d.senders = d.senders[:0]
	d.srcName = map[int64]string{}
	for _, s := range d.sources {
		d.srcName[s.ID] = s.Name
	}
	// Senders in two passes: count each one's messages, then carve every sender's list out of
	// one shared slice (a million small appends would each allocate and over-allocate).
	of := make([]int32, n) // sender number per message, -1 for the case owner's
	var count []int32
	var keys []string
	for i := range d.msgs {
		if d.msgs[i].Direction == importers.Outgoing {
			of[i] = -1
			continue
		}
		k := d.in[i].Sender
		si, ok := d.senderIdx[k]
		if !ok {
			si = len(keys)
			d.senderIdx[k] = si
			keys = append(keys, k)
			count = append(count, 0)
		}
		of[i] = int32(si)
		count[si]++
	}
	all := make([]int, 0, n)
	d.senders = make([]senderInfo, len(keys))
	for si, k := range keys {
		d.senders[si] = senderInfo{key: k, msgs: all[len(all) : len(all) : len(all)+int(count[si])]}
		all = all[:len(all)+int(count[si])]
	}
	for i, si := range of {
		if si >= 0 {
			s := &d.senders[si]
			s.msgs = append(s.msgs, i) // within its own part of all: no allocation
		}
	}
	keys, count, of = nil, nil, nil
	d.flagAt, d.flagMsg = nil, nil
	d.input, d.inputMsg, d.clusters, d.members, d.notAnalysed = nil, nil, nil, nil, 0
	if d.an != nil && d.an.Result != nil {
		ids := d.an.MessageIDs
		d.inputMsg = make([]int, len(ids))
		same := len(ids) == n
		for k, id := range ids {
			i, ok := d.byID.get(id)
			if !ok {
				i = -1
			}
			d.inputMsg[k] = i
			same = same && i == k
		}
		if same {
			d.input = d.in
		} else {
			d.input = make([]analysis.Message, len(ids))
			for k, i := range d.inputMsg {
				if i < 0 {
					d.input[k] = analysis.Message{Skip: true}
				} else {
					d.input[k] = d.in[i]
				}
			}
		}
		for k, f := range d.an.Result.Flags {
			if f.Message >= 0 && f.Message < len(d.inputMsg) && d.inputMsg[f.Message] >= 0 {
				d.flagAt = append(d.flagAt, int32(k))
			}
		}
		flags := d.an.Result.Flags
		sort.SliceStable(d.flagAt, func(a, b int) bool {
			return d.inputMsg[flags[d.flagAt[a]].Message] < d.inputMsg[flags[d.flagAt[b]].Message]
		})
		d.flagMsg = make([]int32, len(d.flagAt))
		for k, f := range d.flagAt {
			d.flagMsg[k] = int32(d.inputMsg[flags[f].Message])
		}
		seen := make([]bool, n)
		for _, i := range d.inputMsg {
			if i >= 0 {
				seen[i] = true
			}
		}
		for _, ok := range seen {
			if !ok {
				d.notAnalysed++
			}
		}
		d.clusters = d.an.Result.Clusters
		d.members = make([][]int, len(d.clusters))
		for k, c := range d.clusters {
			d.members[k] = make([]int, 0, len(c.Members))
			for _, in := range c.Members {
				if in < 0 || in >= len(d.inputMsg) || d.inputMsg[in] < 0 {
					continue
				}
				i := d.inputMsg[in]
				d.members[k] = append(d.members[k], i)
				d.clusterOf[i] = int32(c.ID)
			}
		}
	}
	for i := range d.senders {
		s := &d.senders[i]
		for _, mi := range s.msgs {
			if c := d.clusterOf[mi]; c != 0 && !slices.Contains(s.clusters, int(c)) {
				s.clusters = append(s.clusters, int(c))
			}
		}
		sort.Ints(s.clusters)
	}
	// most messages first, then by key: a total order (keys are distinct), so no stable sort
	slices.SortFunc(d.senders, func(a, b senderInfo) int {
		if c := cmp.Compare(len(b.msgs), len(a.msgs)); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})
	for i, s := range d.senders {
		d.senderIdx[s.key] = i
	}
	d.interns = nil // every string is held by the messages now
	d.figs = d.computeFigures()
	d.decisions = map[decisionKey]casefile.Decision{}
	d.decided = map[int64]bool{}
	for _, dec := range decs {
		d.decisions[decisionKey{dec.MessageID, dec.Subject}] = dec
		d.decided[dec.MessageID] = true
	}
}

// flagsOf returns the triage suggestions of message i, in the analysis's order.
func (d *caseData) flagsOf(i int) []analysis.Flag {
	lo, _ := slices.BinarySearch(d.flagMsg, int32(i))
	var out []analysis.Flag
	for k := lo; k < len(d.flagMsg) && d.flagMsg[k] == int32(i); k++ {
		out = append(out, d.an.Result.Flags[d.flagAt[k]])
	}
	return out
}

// hasFlags reports whether message i has a triage suggestion.
func (d *caseData) hasFlags(i int) bool {
	_, ok := slices.BinarySearch(d.flagMsg, int32(i))
	return ok
}

// cluster returns the cluster with id and its index, or -1.
func (d *caseData) cluster(id int) (analysis.Cluster, int) {
	for k, c := range d.clusters {
		if c.ID == id {
			return c, k
		}
	}
	return analysis.Cluster{}, -1
}

// figures returns the key figures, computed once off the UI goroutine by build.
func (d *caseData) figures() figures { return d.figs }

// figures are the key figures of the overview.
type figures struct {
	messages, senders   int
	raids, raidMessages int       // clusters that arrived in a burst, and their messages
	peak                int       // most messages in one minute
	peakAt              time.Time // that minute
	damage              float64   // raid messages × unit cost
}

func (d *caseData) computeFigures() figures {
	f := figures{messages: len(d.msgs), senders: len(d.senders)}
	perMin := map[int64]int{}
	for i := range d.in {
		m := &d.in[i]
		if m.Time.IsZero() {
			continue
		}
		k := m.Time.Unix() / 60
		perMin[k]++
		if c := perMin[k]; c > f.peak || (c == f.peak && time.Unix(k*60, 0).Before(f.peakAt)) {
			f.peak, f.peakAt = c, time.Unix(k*60, 0).UTC()
		}
	}
	if d.an != nil && d.an.Result != nil {
		for k := range d.clusters {
			if d.an.Result.Raid(&d.clusters[k]) {
				f.raids++
			}
		}
		f.raidMessages = d.an.Result.RaidMessages()
	}
	f.damage = analysis.Damage(f.raidMessages, d.info.UnitCost)
	return f
}

// span is the first and last message time.
func (d *caseData) span() (time.Time, time.Time) {
	var a, b time.Time
	for i := range d.in {
		m := &d.in[i]
		if m.Time.IsZero() {
			continue
		}
		if a.IsZero() || m.Time.Before(a) {
			a = m.Time
		}
		if m.Time.After(b) {
			b = m.Time
		}
	}
	return a, b
}

var (
	linkRE    = regexp.MustCompile(`(?i)\bhttps?://[^\s]+|\bwww\.[^\s]+`)
	hashtagRE = regexp.MustCompile(`#[\p{L}\p{N}_]+`)
)

// counted is a string and how many times it occurs.
type counted struct {
	s string
	n int
}

// linksAndTags lists the links and hashtags the given messages share, most frequent first.
func (d *caseData) linksAndTags(msgs []int) []counted {
	count := map[string]int{}
	for _, i := range msgs {
		t := d.in[i].Text
		for _, s := range linkRE.FindAllString(t, -1) {
			count[strings.TrimRight(s, ".,;:!?)")]++
		}
		for _, s := range hashtagRE.FindAllString(t, -1) {
			count[strings.ToLower(s)]++
		}
	}
	out := make([]counted, 0, len(count))
	for s, n := range count {
		out = append(out, counted{s, n})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].n != out[b].n {
			return out[a].n > out[b].n
		}
		return out[a].s < out[b].s
	})
	return out
}
