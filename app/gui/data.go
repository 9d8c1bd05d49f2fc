package gui

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
)

// caseData is a snapshot of an open case, read once off the UI goroutine and then only read by
// the screens: plain slices that List and Table callbacks index without further queries.
type caseData struct {
	info     casefile.Info
	loc      *time.Location
	sources  []casefile.Source
	msgs     []casefile.Message
	an       *casefile.Analysis // nil before the first analysis
	clusters []analysis.Cluster
	// members[k] are the message indexes (into msgs) of clusters[k], in time order.
	members   [][]int
	clusterOf []int32 // cluster ID per message, 0 when in none
	byID      map[int64]int
	sender    []string // sender key per message
	senders   []senderInfo
	senderIdx map[string]int
	decisions map[decisionKey]casefile.Decision
	decided   map[int64]bool // messages with any decision
	decMu     sync.RWMutex   // guards decided, which background searches read
	search    []string       // sender + " " + text per message, what the search box matches
	// input is the analysis input (casefile.AnalysisInput of the messages in MessageIDs order);
	// inputMsg maps its positions to indexes into msgs. Both nil before an analysis.
	input    []analysis.Message
	inputMsg []int
	flags    map[int][]analysis.Flag // triage suggestions by message index
	figs     figures
	srcName  map[int64]string
	// notAnalysed counts the messages the latest analysis did not see (imported after it); 0
	// before any analysis.
	notAnalysed int
}

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
	info, err := c.Info(ctx)
	if err != nil {
		return nil, err
	}
	d := &caseData{info: info, loc: time.UTC}
	if info.TimeZone != "" {
		if l, err := time.LoadLocation(info.TimeZone); err == nil {
			d.loc = l
		}
	}
	if d.sources, err = c.Sources(ctx); err != nil {
		return nil, err
	}
	if d.msgs, err = c.Messages(ctx); err != nil {
		return nil, err
	}
	an, err := c.LatestAnalysis(ctx)
	switch {
	case errors.Is(err, casefile.ErrNotFound):
	case err != nil:
		return nil, err
	default:
		d.an = an
	}
	decs, err := c.Decisions(ctx)
	if err != nil {
		return nil, err
	}
	d.build(decs)
	return d, nil
}

func (d *caseData) build(decs []casefile.Decision) {
	n := len(d.msgs)
	d.byID = make(map[int64]int, n)
	d.sender = make([]string, n)
	d.search = make([]string, n)
	d.clusterOf = make([]int32, n)
	d.senderIdx = map[string]int{}
	d.srcName = map[int64]string{}
	for _, s := range d.sources {
		d.srcName[s.ID] = s.Name
	}
	for i := range d.msgs {
		m := &d.msgs[i]
		d.byID[m.ID] = i
		k := m.Sender.Key()
		d.sender[i] = k
		d.search[i] = k + " " + m.Text
		d.clusterOf[i] = int32(m.ClusterID)
		if m.Direction == "out" {
			continue
		}
		si, ok := d.senderIdx[k]
		if !ok {
			si = len(d.senders)
			d.senderIdx[k] = si
			d.senders = append(d.senders, senderInfo{key: k})
		}
		d.senders[si].msgs = append(d.senders[si].msgs, i)
	}
	d.flags = map[int][]analysis.Flag{}
	if d.an != nil && d.an.Result != nil {
		d.input = make([]analysis.Message, len(d.an.MessageIDs))
		d.inputMsg = make([]int, len(d.an.MessageIDs))
		for k, id := range d.an.MessageIDs {
			i, ok := d.byID[id]
			if !ok {
				d.inputMsg[k] = -1
				d.input[k] = analysis.Message{Skip: true}
				continue
			}
			d.inputMsg[k] = i
			d.input[k] = casefile.AnalysisInput(d.msgs[i])
		}
		for _, f := range d.an.Result.Flags {
			if f.Message >= 0 && f.Message < len(d.inputMsg) && d.inputMsg[f.Message] >= 0 {
				i := d.inputMsg[f.Message]
				d.flags[i] = append(d.flags[i], f)
			}
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
			for _, in := range c.Members {
				if in < 0 || in >= len(d.an.MessageIDs) {
					continue
				}
				i, ok := d.byID[d.an.MessageIDs[in]]
				if !ok {
					continue
				}
				d.members[k] = append(d.members[k], i)
				d.clusterOf[i] = int32(c.ID)
			}
		}
	}
	for i := range d.senders {
		s := &d.senders[i]
		seen := map[int32]bool{}
		for _, mi := range s.msgs {
			if c := d.clusterOf[mi]; c != 0 && !seen[c] {
				seen[c] = true
				s.clusters = append(s.clusters, int(c))
			}
		}
		sort.Ints(s.clusters)
	}
	sort.SliceStable(d.senders, func(a, b int) bool {
		if len(d.senders[a].msgs) != len(d.senders[b].msgs) {
			return len(d.senders[a].msgs) > len(d.senders[b].msgs)
		}
		return d.senders[a].key < d.senders[b].key
	})
	for i, s := range d.senders {
		d.senderIdx[s.key] = i
	}
	d.figs = d.computeFigures()
	d.decisions = map[decisionKey]casefile.Decision{}
	d.decided = map[int64]bool{}
	for _, dec := range decs {
		d.decisions[decisionKey{dec.MessageID, dec.Subject}] = dec
		d.decided[dec.MessageID] = true
	}
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
	for _, m := range d.msgs {
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
	for _, m := range d.msgs {
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
		t := d.msgs[i].Text
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
