package evidence

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// Model is everything the bundle's files and reports are rendered from: plain data built from a
// case by [BuildModel], or by hand in tests.
type Model struct {
	Info      casefile.Info
	Generated time.Time // the export's clock
	Agent     string    // software name and version
	Sources   []casefile.Source
	// Messages are the full messages of a hand-built model, ordered by time then ID by Derive.
	// BuildModel leaves it empty: it keeps only what the reports need of each message and streams
	// the full rows from the case when the tables are written, so memory does not hold them all.
	Messages  []casefile.Message
	Analysis  *casefile.Analysis // nil when no analysis was run
	Decisions []casefile.Decision
	Custody   []casefile.CustodyEntry
	// Suggestions holds the machine's triage suggestions per message id (category names) of a
	// hand-built model; one built from a case keeps its analysis' compactly (suggestionsOf).
	Suggestions map[int64][]string

	Redacted    bool
	Fingerprint string // signer's key fingerprint, "" when unsigned
	RootHash    string // SHA-256 of data/evidence-sha256.txt, set by Export before the reports

	// Derived by Derive.
	Raids    []Raid
	Figures  Figures
	Timeline Timeline
	// RaidTimeline is the raid period (first raid start to last raid end, with margins) in finer
	// intervals; empty without dated raids.
	RaidTimeline Timeline
	msgs         []msgLite                                   // one per message, ordered by time then ID (Derive)
	parties      []string                                    // the messages' distinct senders (msgLite.sender), packed (packParty)
	partyKeys    []string                                    // Key() of each of parties
	partySender  []int32                                     // per party, the number of its key (-1: none), in key order (Derive)
	senderParty  []int32                                     // per key number, its first party: the distinct senders
	byID         []int32                                     // positions in msgs, ordered by message ID
	stream       func(fn func(casefile.Message) error) error // the case's messages, in its order; nil: Messages
	redactKey    []byte                                      // pseudonym key applied to streamed messages
	rsmfPre      *rsmfHead                                   // RSMF participants and conversations gathered by writeBag's pass
	rsmfEvents   *rsmfEvents                                 // RSMF events gathered by writeBag's pass
	once         bool                                        // Export's model: writeBag may release what only the tables need
	att          attachmentCount                             // the messages' attachments, counted by writeBag's pass
	scratch      string                                      // folder for temporary files ("": the system's)
	// fullAnalysis gives Analysis as BuildModel read it, without its clusters, and them (with
	// their variants, which BuildModel left out) read again one at a time, both redacted like
	// it; nil: Analysis is whole
	fullAnalysis func() (*casefile.Analysis, clusterStream, error)
	// load reads the messages and derives the model, when BuildModel left that for later
	load func() error
	// sugg is the analysis' suggestions (suggest), when Suggestions is nil
	sugg *suggestionTable
}

// msgLite is what the derivations and reports need of one message; the other fields are read
// again from the case when messages.csv, messages.jsonl and the RSMF file are written. A model
// holds one per message (a million for a big case), hence the compact fields: the time in
// milliseconds as the case stores it, the sender as a position in the model's table of parties.
type msgLite struct {
	ID       int64
	ms       int64 // the time in Unix milliseconds; that of the zero time.Time when there is none
	Text     string
	Cluster  int32 // in the latest analysis (Derive), 0 when in none
	stored   int32 // the case's own cluster id, used when there is no analysis
	sender   int32 // position in Model.parties
	outgoing bool  // sent by the case owner (importers.Outgoing)
}

// when is the message's time (UTC), the zero time when it has none.
func (l *msgLite) when() time.Time { return time.UnixMilli(l.ms).UTC() }

// partyTable numbers distinct parties while a model's messages are read.
type partyTable struct {
	ids map[string]int32 // by packed party
	buf []byte
}

// newPartyTable empties the model's parties and returns the table that numbers them again.
func (m *Model) newPartyTable() *partyTable {
	m.parties, m.partyKeys = nil, nil
	return &partyTable{ids: map[string]int32{}}
}

// liteOf is msg's compact row, its sender numbered in pt (and added to m.parties when new).
func (m *Model) liteOf(msg *casefile.Message, pt *partyTable) msgLite {
	pt.buf = packParty(pt.buf[:0], &msg.Sender)
	k, ok := pt.ids[string(pt.buf)]
	if !ok {
		s := string(pt.buf)
		k = int32(len(m.parties))
		pt.ids[s] = k
		m.parties = append(m.parties, s)
		m.partyKeys = append(m.partyKeys, unpackParty(s).Key()) // a substring of s, unless a handle is lower-cased
	}
	return msgLite{ID: msg.ID, ms: msg.Time.UnixMilli(), Text: msg.Text, stored: int32(msg.ClusterID),
		sender: k, outgoing: msg.Direction == importers.Outgoing}
}

// packParty appends p to b in one string's worth of bytes: the lengths of Raw, E164, Handle and
// Name as uvarints, then the five fields one after the other. A model holds one per distinct
// sender (hundreds of thousands in a big case): one string each, not five and a struct.
func packParty(b []byte, p *importers.Party) []byte {
	for _, f := range [...]string{p.Raw, p.E164, p.Handle, p.Name} {
		b = binary.AppendUvarint(b, uint64(len(f)))
	}
	for _, f := range [...]string{p.Raw, p.E164, p.Handle, p.Name, p.ID} {
		b = append(b, f...)
	}
	return b
}

// unpackParty is the party packParty packed into s; its fields are substrings of s.
func unpackParty(s string) importers.Party {
	var n [4]int
	i := 0
	for k := range n {
		shift := uint(0)
		for {
			c := s[i]
			i++
			n[k] |= int(c&0x7f) << shift
			if c < 0x80 {
				break
			}
			shift += 7
		}
	}
	f := s[i:]
	var p importers.Party
	p.Raw, f = f[:n[0]], f[n[0]:]
	p.E164, f = f[:n[1]], f[n[1]:]
	p.Handle, f = f[:n[2]], f[n[2]:]
	p.Name, p.ID = f[:n[3]], f[n[3]:]
	return p
}

// senderOf is the sender of a model's message.
func (m *Model) senderOf(l *msgLite) importers.Party { return unpackParty(m.parties[l.sender]) }

// senderKey is the key of a model's message's sender (importers.Party.Key).
func (m *Model) senderKey(l *msgLite) string { return m.partyKeys[l.sender] }

// find returns the message with this id, nil when the model has none.
func (m *Model) find(id int64) *msgLite {
	if i := m.findPos(id); i >= 0 {
		return &m.msgs[i]
	}
	return nil
}

// findPos returns the position in m.msgs of the message with this id, -1 when the model has none.
func (m *Model) findPos(id int64) int32 {
	i := sort.Search(len(m.byID), func(i int) bool { return m.msgs[m.byID[i]].ID >= id })
	if i < len(m.byID) && m.msgs[m.byID[i]].ID == id {
		return m.byID[i]
	}
	return -1
}

// errStreamDone stops a pass over the case's messages early.
var errStreamDone = errors.New("done")

// eachFull calls fn with every full message and its derived fields, in the model's order: from
// Messages for a hand-built model, else read from the case as it goes (pseudonymised for a
// redacted model). The case lists messages without a time last and the model first, so that
// takes two passes when there are some.
func (m *Model) eachFull(fn func(msg *casefile.Message, l *msgLite) error) error {
	if m.stream == nil {
		var zero msgLite
		for i := range m.Messages {
			l := &zero
			if i < len(m.msgs) && m.msgs[i].ID == m.Messages[i].ID {
				l = &m.msgs[i]
			}
			if err := fn(&m.Messages[i], l); err != nil {
				return err
			}
		}
		return nil
	}
	k := 0
	for k < len(m.msgs) {
		start := k
		err := m.stream(func(msg casefile.Message) error {
			if k >= len(m.msgs) {
				return errStreamDone
			}
			if msg.ID != m.msgs[k].ID {
				return nil // not yet, or imported after the model was read
			}
			if m.redactKey != nil {
				redactMessage(m.redactKey, &msg)
			}
			if err := fn(&msg, &m.msgs[k]); err != nil {
				return err
			}
			k++
			return nil
		})
		if err != nil && !errors.Is(err, errStreamDone) {
			return err
		}
		if k == start {
			return fmt.Errorf("message %s: no longer in the case", exhibitOf(m.msgs[k].ID))
		}
	}
	return nil
}

func lessLite(a, b *msgLite) bool {
	if a.ms != b.ms {
		return a.ms < b.ms
	}
	return a.ID < b.ID
}

// Figures are the report's key figures.
type Figures struct {
	Messages      int     // every message in the case
	Incoming      int     // received by the case owner
	Senders       int     // distinct senders of incoming messages
	Raids         int     // clusters of the latest analysis that arrived in a burst
	RaidMessages  int     // messages in a cluster that arrived in a burst
	RaidSenders   int     // distinct senders in any cluster
	PeakPerMinute int     // most raid messages in any 60-second window
	UnitCost      float64 // from the case settings
	Currency      string
	Damage        float64 // RaidMessages × UnitCost (analysis.Damage), the GUI's overview figure
	First, Last   time.Time
	Peak          PeakWindow // where PeakPerMinute was counted
}

// PeakWindow is the raid messages behind the peak figure: the first and last of the most raid
// messages sent less than 60 seconds apart.
type PeakWindow struct {
	Start, End                time.Time
	FirstExhibit, LastExhibit string
}

// Raid is one cluster as the report shows it.
type Raid struct {
	ID            int
	Template      string
	Size          int
	Senders       int
	OneShot       int // senders whose only message in the whole case is in this raid
	Start, End    time.Time
	PeakPerMinute int
	Score         float64
	Variants      []Variant // the most frequent wordings, at most maxVariants (the ones the reports show)
	VariantCount  int       // distinct wordings in all
	Joined        []Joined  // one row per sender, in order of their first message in the raid
	members       []int32   // every member, in time order: positions in Model.msgs
	Window        analysis.RaidWindow
	Bursts        int  // bursts against the channel's normal rate, from the analysis
	InBurst       bool // a raid in the key figures' sense (analysis.Result.Raid)
	CoSignals     []RaidCoSignal
}

// RaidCoSignal is a URL, hashtag, mention or media hash that many senders pushed within a short
// window (analysis.CoSignal) and that messages of this raid carry.
type RaidCoSignal struct {
	Kind, Value  string
	InRaid       int       // messages of the raid carrying it
	RaidSenders  int       // distinct senders of those messages
	Messages     int       // messages carrying it in the whole case
	Senders      int       // distinct senders in the whole case
	PeakSenders  int       // most distinct senders within the analysis' co-signal window
	PeakStart    time.Time // start of that window
	FirstExhibit string    // first raid message carrying it
}

// Variant is one verbatim wording of a raid and its differences from the template.
type Variant struct {
	Text  string
	Count int
	Diff  []Span // only for the first maxVariants variants of a raid, the ones the report shows
}

// Span is a run of a variant's text: Changed when it is not in the template.
type Span struct {
	Text    string
	Changed bool
}

// Joined describes one sender's entry into a raid: when and how many messages of the raid had
// already been sent by then. The sender, exhibit and time are those of the sender's first
// message in the raid: [Model.JoinedSender], [Model.JoinedExhibit], [Model.JoinedTime].
type Joined struct {
	msg      int32 // the sender's first message in the raid: position in Model.msgs
	OneShot  bool
	Before   int // raid messages sent strictly before this one
	Messages int // messages of this raid by this sender
}

// JoinedSender is how the sender of j is shown.
func (m *Model) JoinedSender(j *Joined) string { return senderLabel(m.senderOf(&m.msgs[j.msg])) }

// JoinedExhibit is the exhibit id of the sender's first message in the raid.
func (m *Model) JoinedExhibit(j *Joined) string { return exhibitOf(m.msgs[j.msg].ID) }

// JoinedTime is the time of the sender's first message in the raid.
func (m *Model) JoinedTime(j *Joined) time.Time { return m.msgs[j.msg].when() }

// RaidExhibits is the exhibit id of every member of r, in time order.
func (m *Model) RaidExhibits(r *Raid) []string {
	out := make([]string, len(r.members))
	for i, pos := range r.members {
		out[i] = exhibitOf(m.msgs[pos].ID)
	}
	return out
}

// Timeline is the message count over time, the data behind the report's chart.
type Timeline struct {
	Start  time.Time
	Width  time.Duration
	All    []int // incoming messages per bucket
	InRaid []int // of which in a raid
}

// BuildOptions select what BuildModel reads.
type BuildOptions struct {
	Now    time.Time
	Agent  string
	Redact bool
	Signer *Signer
	// late leaves the messages (and what is derived from them) to Model.load: Export writes
	// result.json, which needs the full analysis but none of them, before they are read
	late bool
}

// BuildModel reads everything the bundle needs from c. It only reads the case. It keeps a
// compact row per message: the model reads the full messages again from c (with ctx) when it
// writes messages.csv, messages.jsonl and the RSMF file, so c must stay open until then, and a
// message deleted from c meanwhile is an error (one imported meanwhile is left out).
func BuildModel(ctx context.Context, c *casefile.Case, opt BuildOptions) (*Model, error) {
	m := &Model{Generated: opt.Now.UTC(), Agent: opt.Agent}
	var err error
	if m.Info, err = c.Info(ctx); err != nil {
		return nil, fmt.Errorf("read case info: %w", err)
	}
	if m.Sources, err = c.Sources(ctx); err != nil {
		return nil, fmt.Errorf("read sources: %w", err)
	}
	var key []byte
	if opt.Redact {
		key = pseudonymKey(m.Info.ID, opt.Signer)
		m.redactKey = key
		m.Redacted = true // already: what is written before load must know
	}
	m.stream = func(fn func(casefile.Message) error) error { return c.EachMessage(ctx, fn) }
	// without the clusters' variants (most of a big result): only result.json needs them, and
	// it reads the clusters again, one at a time, when it is written (fullAnalysis)
	switch a, err := c.LatestAnalysisBrief(ctx); {
	case errors.Is(err, casefile.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("read analysis: %w", err)
	default:
		m.Analysis = a
		m.fullAnalysis = func() (*casefile.Analysis, clusterStream, error) {
			// a as read: the rest of the result is the brief one's, and not redacted yet
			skel := *a
			if a.Result != nil {
				r := *a.Result
				r.Clusters = nil
				skel.Result = &r
				if key != nil {
					skel.Result = redactResult(key, &r)
				}
			}
			clusters := func(fn func(*analysis.Cluster) error) (bool, error) {
				null, err := c.AnalysisClusters(ctx, a.Run, func(cl *analysis.Cluster) error {
					if key != nil {
						redactCluster(key, cl)
					}
					return fn(cl)
				})
				if err != nil {
					err = fmt.Errorf("read analysis: %w", err)
				}
				return null, err
			}
			return &skel, clusters, nil
		}
	}
	if m.Decisions, err = c.Decisions(ctx); err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	if m.Custody, err = c.Custody(ctx); err != nil {
		return nil, fmt.Errorf("read custody log: %w", err)
	}
	if opt.Signer != nil {
		m.Fingerprint = opt.Signer.Fingerprint()
	}
	m.load = func() error {
		m.load = nil
		if opt.late {
			// Export's model, whose result.json is written: the flags (hundreds of thousands in
			// a big case, each with the phrases it matched) are now only the messages'
			// suggestions, made before the messages are read, and the full analysis is not
			// read again
			m.fullAnalysis = nil
			m.suggest()
			if m.Analysis != nil && m.Analysis.Result != nil {
				m.Analysis.Result.Flags = nil
			}
		}
		if n, err := c.CountMessages(ctx); err == nil {
			m.msgs = make([]msgLite, 0, n)
		}
		pt := m.newPartyTable()
		err := c.EachMessage(ctx, func(msg casefile.Message) error {
			if key != nil {
				redactMessage(key, &msg)
			}
			m.msgs = append(m.msgs, m.liteOf(&msg, pt))
			return nil
		})
		pt = nil // not held through Derive below
		if err != nil {
			return fmt.Errorf("read messages: %w", err)
		}
		if opt.Redact {
			m.Redact(key)
		}
		m.Derive()
		return nil
	}
	if !opt.late {
		if err := m.load(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// suggest gathers the analysis' triage suggestions (its flags) by message, unless the model has
// them already (or Suggestions of its own).
func (m *Model) suggest() {
	if m.Suggestions != nil || m.sugg != nil || m.Analysis == nil || m.Analysis.Result == nil || len(m.Analysis.Result.Flags) == 0 {
		return
	}
	by := map[int64][]string{}
	for _, fl := range m.Analysis.Result.Flags {
		if fl.Message >= 0 && fl.Message < len(m.Analysis.MessageIDs) {
			id := m.Analysis.MessageIDs[fl.Message]
			if !containsStr(by[id], fl.Category) {
				by[id] = append(by[id], fl.Category)
			}
		}
	}
	m.sugg = newSuggestionTable(by)
}

// suggestionsOf is the triage suggestions of the message with this id (category names).
func (m *Model) suggestionsOf(id int64) []string {
	if m.Suggestions != nil {
		return m.Suggestions[id]
	}
	return m.sugg.of(id)
}

// suggestionTable is the suggestions of a model's messages in a few bytes each: a big case's
// analysis flags hundreds of thousands of messages, with a handful of distinct lists of
// categories between them (as a map of lists they took 22 MB a million messages).
type suggestionTable struct {
	ids   []int64  // increasing
	list  []uint16 // ids[i]'s suggestions: lists[list[i]]
	lists [][]string
	byID  map[int64][]string // instead, when there are more than 65,536 distinct lists
}

func newSuggestionTable(by map[int64][]string) *suggestionTable {
	t := &suggestionTable{ids: make([]int64, 0, len(by))}
	for id := range by {
		t.ids = append(t.ids, id)
	}
	slices.Sort(t.ids)
	t.list = make([]uint16, len(t.ids))
	pos := map[string]uint16{}
	for i, id := range t.ids {
		k := strings.Join(by[id], "\x00")
		p, ok := pos[k]
		if !ok {
			if len(t.lists) > math.MaxUint16 { // not a handful after all: no table
				return &suggestionTable{byID: by}
			}
			p = uint16(len(t.lists))
			pos[k] = p
			t.lists = append(t.lists, by[id])
		}
		t.list[i] = p
	}
	return t
}

func (t *suggestionTable) of(id int64) []string {
	if t == nil {
		return nil
	}
	if t.byID != nil {
		return t.byID[id]
	}
	if i, ok := slices.BinarySearch(t.ids, id); ok {
		return t.lists[t.list[i]]
	}
	return nil
}

// exhibitOf returns the exhibit id of a message id.
func exhibitOf(id int64) string { return casefile.ExhibitID(id) }

// senderLabel is how a party is shown in reports and tables.
func senderLabel(p importers.Party) string {
	switch {
	case p.Raw != "":
		return p.Raw
	case p.Handle != "":
		return "@" + p.Handle
	}
	return p.Key()
}

// Derive computes the raids, senders, figures and timeline from the plain fields. Export calls
// it; tests building a Model by hand call it too.
func (m *Model) Derive() {
	if m.stream == nil {
		sort.SliceStable(m.Messages, func(i, j int) bool {
			a, b := m.Messages[i], m.Messages[j]
			if !a.Time.Equal(b.Time) {
				return a.Time.Before(b.Time)
			}
			return a.ID < b.ID
		})
		m.msgs = make([]msgLite, len(m.Messages))
		pt := m.newPartyTable()
		for i := range m.Messages {
			m.msgs[i] = m.liteOf(&m.Messages[i], pt)
		}
	} else {
		sort.SliceStable(m.msgs, func(i, j int) bool { return lessLite(&m.msgs[i], &m.msgs[j]) })
	}
	m.byID = make([]int32, len(m.msgs))
	for i := range m.byID {
		m.byID[i] = int32(i)
	}
	sort.Slice(m.byID, func(i, j int) bool { return m.msgs[m.byID[i]].ID < m.msgs[m.byID[j]].ID })
	for i := range m.msgs {
		m.msgs[i].Cluster = 0
	}
	var clusters []analysis.Cluster
	if m.Analysis != nil && m.Analysis.Result != nil {
		clusters = m.Analysis.Result.Clusters
		m.suggest()
		for _, cl := range clusters {
			for _, idx := range cl.Members {
				if idx >= 0 && idx < len(m.Analysis.MessageIDs) {
					if l := m.find(m.Analysis.MessageIDs[idx]); l != nil {
						l.Cluster = int32(cl.ID)
					}
				}
			}
		}
	} else {
		for i := range m.msgs {
			m.msgs[i].Cluster = m.msgs[i].stored
		}
	}

	// senders: the distinct keys, numbered in key order (a 1M-message case has hundreds of
	// thousands); senders.csv makes their rows as it writes them
	m.numberSenders()
	counts := make([]int32, len(m.senderParty))  // messages per sender
	incoming := make([]bool, len(m.senderParty)) // sent at least one message the case owner received
	f := Figures{Messages: len(m.msgs), UnitCost: m.Info.UnitCost, Currency: m.Info.Currency}
	for i := range m.msgs {
		msg := &m.msgs[i]
		t := msg.when()
		if !t.IsZero() {
			if f.First.IsZero() || t.Before(f.First) {
				f.First = t
			}
			if t.After(f.Last) {
				f.Last = t
			}
		}
		if !msg.outgoing {
			f.Incoming++
		}
		if s := m.partySender[msg.sender]; s >= 0 {
			counts[s]++
			if !msg.outgoing {
				incoming[s] = true
			}
		}
	}
	for _, in := range incoming {
		if in {
			f.Senders++
		}
	}
	incoming = nil

	// raids
	m.Raids = m.Raids[:0]
	inRaid := make([]bool, len(m.senderParty)) // the sender has a message in a raid
	// a raid's joined senders, by sender number: the position in r.Joined of the one that is
	// there when joinedIn is the raid's number (+1); noKey is the one for messages without
	joinedAt := make([]int32, len(m.senderParty))
	joinedIn := make([]int32, len(m.senderParty))
	var raidMsgs []*msgLite // dated raid messages, for the peak
	for _, cl := range clusters {
		r := Raid{ID: cl.ID, Template: cl.Template, Size: cl.Size, Senders: cl.Senders,
			Start: cl.Start, End: cl.End, Score: cl.Score}
		var members []int32     // positions in m.msgs
		seen := map[int64]int{} // message id -> the analysis' SeenBefore, when it gives it
		for k, idx := range cl.Members {
			if idx < 0 || idx >= len(m.Analysis.MessageIDs) {
				continue
			}
			id := m.Analysis.MessageIDs[idx]
			if pos := m.findPos(id); pos >= 0 {
				members = append(members, pos)
				if len(cl.SeenBefore) == len(cl.Members) {
					seen[id] = cl.SeenBefore[k]
				}
			}
		}
		r.Window = cl.Window
		r.Bursts = len(cl.Bursts)
		r.CoSignals = m.raidCoSignals(cl.Members)
		slices.Sort(members) // m.msgs is in time order
		r.members = members
		var times []time.Time
		variants := map[string]int{}
		var vorder []string
		noKey := -1
		for i, pos := range members {
			msg := &m.msgs[pos]
			t := msg.when()
			if !t.IsZero() {
				times = append(times, t)
				raidMsgs = append(raidMsgs, msg)
			}
			if _, ok := variants[msg.Text]; !ok {
				vorder = append(vorder, msg.Text)
			}
			variants[msg.Text]++
			s := m.partySender[msg.sender]
			j := noKey
			if s >= 0 {
				inRaid[s] = true
				if joinedIn[s] == int32(len(m.Raids)+1) {
					j = int(joinedAt[s])
				} else {
					j = -1
				}
			}
			if j >= 0 {
				r.Joined[j].Messages++
				continue
			}
			before := i
			for before > 0 && m.msgs[members[before-1]].ms == msg.ms && !t.IsZero() {
				before-- // same instant: not "already sent"
			}
			if b, ok := seen[msg.ID]; ok {
				before = b // the analysis' own count (−1: time unknown)
			}
			if s >= 0 {
				joinedAt[s], joinedIn[s] = int32(len(r.Joined)), int32(len(m.Raids)+1)
			} else {
				noKey = len(r.Joined)
			}
			r.Joined = append(r.Joined, Joined{msg: pos, Before: before, Messages: 1})
		}
		for i := range r.Joined {
			j := &r.Joined[i]
			if s := m.partySender[m.msgs[j.msg].sender]; j.Messages == 1 && s >= 0 && counts[s] == 1 {
				j.OneShot = true
				r.OneShot++
			}
		}
		r.PeakPerMinute = peakPerMinute(times)
		if cl.PeakPerMinute > 0 {
			r.PeakPerMinute = cl.PeakPerMinute
		}
		if cl.OneShot > 0 {
			r.OneShot = cl.OneShot
		}
		sort.SliceStable(vorder, func(i, j int) bool { return variants[vorder[i]] > variants[vorder[j]] })
		r.VariantCount = len(vorder)
		// only the ones the reports show: a 1M-message case has a million more
		for _, v := range vorder[:min(len(vorder), maxVariants)] {
			r.Variants = append(r.Variants, Variant{Text: v, Count: variants[v], Diff: wordDiff(r.Template, v)})
		}
		if r.Size == 0 {
			r.Size = len(members)
		}
		r.InBurst = m.Analysis.Result.Raid(&cl)
		m.Raids = append(m.Raids, r)
		if r.InBurst { // what the GUI's key figures count too
			f.Raids++
			f.RaidMessages += len(members)
		}
	}
	for _, in := range inRaid {
		if in {
			f.RaidSenders++
		}
	}
	sort.Slice(raidMsgs, func(i, j int) bool { return lessLite(raidMsgs[i], raidMsgs[j]) })
	raidTimes := make([]time.Time, len(raidMsgs))
	for i, msg := range raidMsgs {
		raidTimes[i] = msg.when()
	}
	var first, last int
	f.PeakPerMinute, first, last = peakWindow(raidTimes)
	if f.PeakPerMinute > 0 {
		a, b := raidMsgs[first], raidMsgs[last]
		f.Peak = PeakWindow{Start: a.when(), End: b.when(), FirstExhibit: exhibitOf(a.ID), LastExhibit: exhibitOf(b.ID)}
	}
	f.Damage = analysis.Damage(f.RaidMessages, f.UnitCost)
	m.Figures = f
	m.Timeline = m.buildTimeline()
	m.RaidTimeline = m.buildRaidTimeline()
}

// numberSenders numbers the messages' distinct sender keys in key order: partySender gives
// each party's number (-1 for a party without a key), senderParty each number's first party.
func (m *Model) numberSenders() {
	ord := make([]int32, len(m.parties))
	for i := range ord {
		ord[i] = int32(i)
	}
	slices.SortFunc(ord, func(a, b int32) int {
		if c := strings.Compare(m.partyKeys[a], m.partyKeys[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	m.partySender = make([]int32, len(m.parties))
	senders := ord[:0] // in place: it is never ahead of the party read
	for _, p := range ord {
		k := m.partyKeys[p]
		switch {
		case k == "":
			m.partySender[p] = -1
			continue
		case len(senders) == 0 || m.partyKeys[senders[len(senders)-1]] != k:
			senders = append(senders, p)
		}
		m.partySender[p] = int32(len(senders) - 1)
	}
	m.senderParty = senders
}

// senderKeyOf is the key of sender number s.
func (m *Model) senderKeyOf(s int32) string { return m.partyKeys[m.senderParty[s]] }

func mergeParty(dst *importers.Party, src importers.Party) {
	if dst.Raw == "" {
		dst.Raw = src.Raw
	}
	if dst.E164 == "" {
		dst.E164 = src.E164
	}
	if dst.Handle == "" {
		dst.Handle = src.Handle
	}
	if dst.Name == "" {
		dst.Name = src.Name
	}
	if dst.ID == "" {
		dst.ID = src.ID
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// peakPerMinute is the largest number of times (sorted) within any 60-second window.
func peakPerMinute(ts []time.Time) int {
	n, _, _ := peakWindow(ts)
	return n
}

// peakWindow is the largest number of times (sorted) less than 60 seconds apart, and the indexes
// of the first and last of them (the earliest such window).
func peakWindow(ts []time.Time) (n, first, last int) {
	j := 0
	for i := range ts {
		for ts[i].Sub(ts[j]) >= time.Minute {
			j++
		}
		if k := i - j + 1; k > n {
			n, first, last = k, j, i
		}
	}
	return n, first, last
}

var niceWidths = []time.Duration{time.Minute, 5 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour, 7 * 24 * time.Hour}

func (m *Model) buildTimeline() Timeline {
	f := m.Figures
	if f.First.IsZero() {
		return Timeline{}
	}
	return m.countTimeline(f.First, f.Last, 150)
}

// buildRaidTimeline counts the raid period, from the first raid's start to the last one's end
// with a tenth of that span (five minutes at least) on each side, in at most 240 intervals.
func (m *Model) buildRaidTimeline() Timeline {
	var a, b time.Time
	for _, r := range m.Raids {
		if r.Start.IsZero() || r.End.IsZero() {
			continue
		}
		if a.IsZero() || r.Start.Before(a) {
			a = r.Start
		}
		if r.End.After(b) {
			b = r.End
		}
	}
	if a.IsZero() {
		return Timeline{}
	}
	pad := max(b.Sub(a)/10, 5*time.Minute)
	return m.countTimeline(a.Add(-pad), b.Add(pad), 240)
}

// countTimeline counts the incoming messages from first to last in the smallest nice interval
// that gives at most most intervals.
func (m *Model) countTimeline(first, last time.Time, most int) Timeline {
	span := last.Sub(first)
	w := niceWidths[len(niceWidths)-1]
	for _, nw := range niceWidths {
		if span/nw <= time.Duration(most) {
			w = nw
			break
		}
	}
	start := first.Truncate(w)
	n := int(last.Sub(start)/w) + 1
	t := Timeline{Start: start, Width: w, All: make([]int, n), InRaid: make([]int, n)}
	for i := range m.msgs {
		msg := &m.msgs[i]
		at := msg.when()
		if at.IsZero() || msg.outgoing {
			continue
		}
		i := int(at.Sub(start) / w)
		if i < 0 || i >= n {
			continue
		}
		t.All[i]++
		if msg.Cluster != 0 {
			t.InRaid[i]++
		}
	}
	return t
}

// decisionText summarises the reviewer's latest decision per subject for a message.
func (m *Model) decisionText(id int64) string {
	latest := map[string]string{}
	var subjects []string
	for _, d := range m.Decisions {
		if d.MessageID != id {
			continue
		}
		if _, ok := latest[d.Subject]; !ok {
			subjects = append(subjects, d.Subject)
		}
		latest[d.Subject] = d.Verdict
	}
	sort.Strings(subjects)
	var parts []string
	for _, s := range subjects {
		parts = append(parts, s+"="+latest[s])
	}
	return strings.Join(parts, "; ")
}

// triageText is the machine's suggestion for a message.
func (m *Model) triageText(id int64) string { return strings.Join(m.suggestionsOf(id), "; ") }

// wordDiff marks the words of v that differ from the template, keeping the spaces as they are.
// The words are aligned in the analysis' normal form (longest common subsequence), so that one
// changed word does not shift the rest; an aligned word is still marked when its verbatim text
// differs from the template's other than by case ("F3rme", "personneeee", "pute," for "pute"),
// since that difference is what makes the message a variant.
func wordDiff(tmpl, v string) []Span {
	if tmpl == v {
		return []Span{{Text: v}}
	}
	wa, wb := splitWords(tmpl), splitWords(v)
	if len(wa)*len(wb) > 40000 {
		return []Span{{Text: v, Changed: true}}
	}
	// words are compared in the analysis' normal form (case, accents, stretched letters), so a
	// variant in capitals is not marked as wholly different
	norm := func(ws []string) []string {
		out := make([]string, len(ws))
		for i, w := range ws {
			if strings.TrimSpace(w) == "" {
				out[i] = " "
			} else if out[i] = analysis.Normalize(w); out[i] == "" {
				out[i] = w
			}
		}
		return out
	}
	a, b := norm(wa), norm(wb)
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Span
	add := func(s string, ch bool) {
		if n := len(out); n > 0 && out[n-1].Changed == ch {
			out[n-1].Text += s
			return
		}
		out = append(out, Span{Text: s, Changed: ch})
	}
	i, j := 0, 0
	for j < len(b) {
		switch {
		case i < len(a) && a[i] == b[j]:
			add(wb[j], strings.TrimSpace(wb[j]) != "" && !strings.EqualFold(wa[i], wb[j]))
			i++
			j++
		case i < len(a) && lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			add(wb[j], strings.TrimSpace(wb[j]) != "")
			j++
		}
	}
	return out
}

// splitWords splits s into words and runs of spaces, so joining them gives s back.
func splitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := r == ' ' || r == '\t' || r == '\n' || r == '\r'
		if i > 0 && sp != inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = sp
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }

// raidCoSignals lists the analysis' co-signals carried by messages of a cluster (members are
// analysis message indexes), most raid senders first.
func (m *Model) raidCoSignals(members []int) []RaidCoSignal {
	if m.Analysis == nil || m.Analysis.Result == nil || len(m.Analysis.Result.CoSignals) == 0 {
		return nil
	}
	in := make(map[int]bool, len(members))
	for _, i := range members {
		in[i] = true
	}
	var out []RaidCoSignal
	for _, cs := range m.Analysis.Result.CoSignals {
		rc := RaidCoSignal{Kind: cs.Kind, Value: cs.Value, Messages: cs.Messages, Senders: cs.Senders,
			PeakSenders: cs.PeakSenders, PeakStart: cs.PeakStart}
		senders := map[string]bool{}
		var first *msgLite
		for _, idx := range cs.Members {
			if !in[idx] || idx < 0 || idx >= len(m.Analysis.MessageIDs) {
				continue
			}
			msg := m.find(m.Analysis.MessageIDs[idx])
			if msg == nil {
				continue
			}
			rc.InRaid++
			senders[m.senderKey(msg)] = true
			if first == nil || lessLite(msg, first) {
				first = msg
			}
		}
		if rc.InRaid == 0 {
			continue
		}
		rc.RaidSenders = len(senders)
		rc.FirstExhibit = exhibitOf(first.ID)
		out = append(out, rc)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].RaidSenders != out[j].RaidSenders {
			return out[i].RaidSenders > out[j].RaidSenders
		}
		return out[i].InRaid > out[j].InRaid
	})
	return out
}
