package evidence

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// timeLayout is the UTC time format of every table: RFC 3339 with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// MessageColumns is the header of data/messages.csv.
var MessageColumns = []string{"exhibit_id", "source_sha256", "location", "time_utc", "raw_time", "time_zone",
	"sender", "sender_e164", "sender_handle", "sender_name", "sender_id", "recipients", "direction",
	"platform", "platform_id", "text", "attachments", "cluster_id", "triage", "reviewer_decision",
	"conversation", "kind", "record_hash", "recipients_e164"}

func partiesText(ps []importers.Party) string {
	var s []string
	for _, p := range ps {
		if l := senderLabel(p); l != "" {
			s = append(s, l)
		}
	}
	return strings.Join(s, "; ")
}

// recipientsE164 lists the recipients' numbers in E.164 where the import could read one, in the
// order of the recipients column ("" for a recipient without one).
func recipientsE164(ps []importers.Party) string {
	var s []string
	any := false
	for _, p := range ps {
		s = append(s, p.E164)
		any = any || p.E164 != ""
	}
	if !any {
		return ""
	}
	return strings.Join(s, "; ")
}

func attachmentsText(as []importers.Attachment) string {
	var s []string
	for _, a := range as {
		t := a.Name
		if a.MIME != "" {
			t += " (" + a.MIME + ")"
		}
		if a.SHA256 != "" {
			t += " sha256:" + a.SHA256
		}
		s = append(s, strings.TrimSpace(t))
	}
	return strings.Join(s, "; ")
}

func clusterText(id int32) string {
	if id == 0 {
		return ""
	}
	return strconv.Itoa(int(id))
}

// WriteMessagesCSV writes every message, one row each, with the header [MessageColumns]. Texts
// are verbatim (a spreadsheet may read a text starting with "=" as a formula: open the file as
// text).
func (m *Model) WriteMessagesCSV(w io.Writer) error {
	t, err := m.newMessageTables(w, nil)
	if err != nil {
		return err
	}
	if err := m.eachFull(t.add); err != nil {
		return err
	}
	return t.flush()
}

// WriteMessagesJSONL writes every message as one JSON object per line.
func (m *Model) WriteMessagesJSONL(w io.Writer) error {
	t, err := m.newMessageTables(nil, w)
	if err != nil {
		return err
	}
	if err := m.eachFull(t.add); err != nil {
		return err
	}
	return t.flush()
}

// messageTables writes messages.csv and/or messages.jsonl, so that one pass over the case's
// messages can write both.
type messageTables struct {
	m    *Model
	cbw  *bufio.Writer
	cw   *csv.Writer
	jbw  *bufio.Writer
	enc  *json.Encoder
	also func(msg *casefile.Message, l *msgLite) error // called for every message too, when set
}

// newMessageTables starts the tables whose writer is not nil (the CSV header first).
func (m *Model) newMessageTables(csvW, jsonlW io.Writer) (*messageTables, error) {
	t := &messageTables{m: m}
	if csvW != nil {
		t.cbw = bufio.NewWriter(csvW)
		t.cw = csv.NewWriter(t.cbw)
		if err := t.cw.Write(MessageColumns); err != nil {
			return nil, err
		}
	}
	if jsonlW != nil {
		t.jbw = bufio.NewWriter(jsonlW)
		t.enc = json.NewEncoder(t.jbw)
		t.enc.SetEscapeHTML(false)
	}
	return t, nil
}

func (t *messageTables) add(msg *casefile.Message, l *msgLite) error {
	m := t.m
	if t.also != nil {
		if err := t.also(msg, l); err != nil {
			return err
		}
	}
	dec := m.decisionText(msg.ID)
	if t.cw != nil {
		row := []string{exhibitOf(msg.ID), msg.SourceSHA256, msg.Location, fmtTime(msg.Time), msg.RawTime,
			msg.TimeZone, senderLabel(msg.Sender), msg.Sender.E164, msg.Sender.Handle, msg.Sender.Name,
			msg.Sender.ID, partiesText(msg.Recipients), string(msg.Direction), msg.Platform, msg.PlatformID,
			msg.Text, attachmentsText(msg.Attachments), clusterText(l.Cluster),
			m.triageText(msg.ID), dec, msg.Conversation, msg.Kind, msg.Hash, recipientsE164(msg.Recipients)}
		if err := t.cw.Write(row); err != nil {
			return err
		}
	}
	if t.enc != nil {
		return t.enc.Encode(messageJSON{ExhibitID: exhibitOf(msg.ID), SourceSHA256: msg.SourceSHA256,
			Location: msg.Location, TimeUTC: fmtTime(msg.Time), RawTime: msg.RawTime, TimeZone: msg.TimeZone,
			Sender: msg.Sender, Recipients: msg.Recipients, Direction: string(msg.Direction),
			Platform: msg.Platform, PlatformID: msg.PlatformID, Conversation: msg.Conversation, Kind: msg.Kind,
			Text: msg.Text, Attachments: msg.Attachments, Extra: msg.Extra, ClusterID: int(l.Cluster),
			Triage: m.suggestionsOf(msg.ID), Decision: dec, RecordHash: msg.Hash})
	}
	return nil
}

// flushCSV and flushJSONL end each table.
func (t *messageTables) flushCSV() error {
	if t.cw == nil {
		return nil
	}
	t.cw.Flush()
	if err := t.cw.Error(); err != nil {
		return err
	}
	return t.cbw.Flush()
}

func (t *messageTables) flushJSONL() error {
	if t.jbw == nil {
		return nil
	}
	return t.jbw.Flush()
}

func (t *messageTables) flush() error {
	if err := t.flushCSV(); err != nil {
		return err
	}
	return t.flushJSONL()
}

// messageJSON is one line of data/messages.jsonl.
type messageJSON struct {
	ExhibitID    string                 `json:"exhibit_id"`
	SourceSHA256 string                 `json:"source_sha256"`
	Location     string                 `json:"location"`
	TimeUTC      string                 `json:"time_utc"`
	RawTime      string                 `json:"raw_time,omitempty"`
	TimeZone     string                 `json:"time_zone,omitempty"`
	Sender       importers.Party        `json:"sender"`
	Recipients   []importers.Party      `json:"recipients,omitempty"`
	Direction    string                 `json:"direction"`
	Platform     string                 `json:"platform"`
	PlatformID   string                 `json:"platform_id,omitempty"`
	Conversation string                 `json:"conversation,omitempty"`
	Kind         string                 `json:"kind,omitempty"`
	Text         string                 `json:"text"`
	Attachments  []importers.Attachment `json:"attachments,omitempty"`
	Extra        map[string]string      `json:"extra,omitempty"`
	ClusterID    int                    `json:"cluster_id,omitempty"`
	Triage       []string               `json:"triage,omitempty"`
	Decision     string                 `json:"reviewer_decision,omitempty"`
	RecordHash   string                 `json:"record_hash"`
}

func writeCSV(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteClustersCSV writes one row per raid.
func (m *Model) WriteClustersCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "size", "senders", "one_shot", "start", "end", "peak_per_minute", "bursts", "raid", "score", "template", "exhibits"})
	for _, r := range m.Raids {
		if err := cw.Write([]string{strconv.Itoa(r.ID), strconv.Itoa(r.Size), strconv.Itoa(r.Senders),
			strconv.Itoa(r.OneShot), fmtTime(r.Start), fmtTime(r.End), strconv.Itoa(r.PeakPerMinute),
			strconv.Itoa(r.Bursts), strconv.FormatBool(r.InBurst), strconv.FormatFloat(r.Score, 'f', 3, 64), r.Template, strings.Join(m.RaidExhibits(&r), " ")}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSendersCSV writes the identifiers annex: every sender identifier with counts and times,
// row by row (a 1M-message case has hundreds of thousands of senders).
func (m *Model) WriteSendersCSV(w io.Writer) error {
	// each sender's messages in the model's order, by a counting sort on the sender numbers
	n := len(m.senderParty)
	start := make([]int32, n+1)
	for i := range m.msgs {
		if s := m.partySender[m.msgs[i].sender]; s >= 0 {
			start[s+1]++
		}
	}
	for s := range n {
		start[s+1] += start[s]
	}
	pos := make([]int32, start[n])
	next := slices.Clone(start[:n])
	for i := range m.msgs {
		if s := m.partySender[m.msgs[i].sender]; s >= 0 {
			pos[next[s]] = int32(i)
			next[s]++
		}
	}
	next = nil
	cw := csv.NewWriter(w)
	cw.Write([]string{"sender", "e164", "handle", "account_id", "name", "raw", "messages", "first_utc", "last_utc", "clusters"})
	var cl []byte
	var clusters []int
	for s := range n {
		// the first message's party, completed by the others' (one key, several spellings)
		var party importers.Party
		var first, last time.Time
		clusters = clusters[:0]
		for k, p := range pos[start[s]:start[s+1]] {
			l := &m.msgs[p]
			if k == 0 {
				party = m.senderOf(l)
			} else {
				mergeParty(&party, m.senderOf(l))
			}
			if t := l.when(); !t.IsZero() {
				if first.IsZero() || t.Before(first) {
					first = t
				}
				if t.After(last) {
					last = t
				}
			}
			if c := int(l.Cluster); c != 0 && !containsInt(clusters, c) {
				clusters = append(clusters, c)
			}
		}
		sort.Ints(clusters)
		cl = cl[:0]
		for i, c := range clusters {
			if i > 0 {
				cl = append(cl, ' ')
			}
			cl = strconv.AppendInt(cl, int64(c), 10)
		}
		if err := cw.Write([]string{m.senderKeyOf(int32(s)), party.E164, party.Handle, party.ID, party.Name, party.Raw,
			strconv.Itoa(int(start[s+1] - start[s])), fmtTime(first), fmtTime(last), string(cl)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTimelineCSV writes the data behind the timeline chart of the whole case.
func (m *Model) WriteTimelineCSV(w io.Writer) error { return writeTimeline(w, m.Timeline) }

// WriteRaidTimelineCSV writes the raid period in finer intervals (RaidTimeline), the data behind
// the report's zoomed chart; only the header when no raid is dated.
func (m *Model) WriteRaidTimelineCSV(w io.Writer) error { return writeTimeline(w, m.RaidTimeline) }

func writeTimeline(w io.Writer, t Timeline) error {
	rows := [][]string{{"bucket_start_utc", "bucket_end_utc", "incoming_messages", "raid_messages"}}
	for i := range t.All {
		s := t.Start.Add(time.Duration(i) * t.Width)
		rows = append(rows, []string{fmtTime(s), fmtTime(s.Add(t.Width)), strconv.Itoa(t.All[i]), strconv.Itoa(t.InRaid[i])})
	}
	return writeCSV(w, rows)
}

// KeyFigureColumns is the header of data/analysis/key-figures.csv.
var KeyFigureColumns = []string{"figure", "value", "start_utc", "end_utc", "first_exhibit", "last_exhibit", "basis"}

// WriteKeyFiguresCSV writes the report's key figures, one row each, with what each is counted
// from, so that a reader can count it again from the bundle's tables.
func (m *Model) WriteKeyFiguresCSV(w io.Writer) error {
	f := m.Figures
	n := strconv.Itoa
	rows := [][]string{KeyFigureColumns,
		{"messages", n(f.Messages), "", "", "", "", "rows of data/messages.csv"},
		{"messages_received", n(f.Incoming), "", "", "", "", "rows of data/messages.csv whose direction is not \"out\""},
		{"senders_received", n(f.Senders), "", "", "", "", "distinct senders of the messages received"},
		{"raids", n(f.Raids), "", "", "", "", "rows of data/clusters.csv whose raid is true: clusters with a burst of their own against the channel's normal rate (bursts ≥ 1) or whose core window lies mostly within a burst of their channel"},
		{"raid_messages", n(f.RaidMessages), "", "", "", "", "sum of size over those rows of data/clusters.csv"},
		{"raid_senders", n(f.RaidSenders), "", "", "", "", "distinct senders of those messages"},
		{"peak_raid_messages_60s", n(f.PeakPerMinute), fmtTime(f.Peak.Start), fmtTime(f.Peak.End), f.Peak.FirstExhibit, f.Peak.LastExhibit,
			"the most raid messages sent less than 60 seconds apart: the raid messages of data/messages.csv from first_exhibit to last_exhibit, in time order (per-minute counts in data/analysis/timeline-raids.csv)"},
		{"period", fmtTime(f.First) + "/" + fmtTime(f.Last), fmtTime(f.First), fmtTime(f.Last), "", "", "first and last dated message of data/messages.csv"},
	}
	cur := f.Currency
	if cur == "" {
		cur = "EUR"
	}
	if f.UnitCost > 0 {
		rows = append(rows,
			[]string{"unit_cost", strconv.FormatFloat(f.UnitCost, 'f', -1, 64) + " " + cur, "", "", "", "", "cost of handling one message, from the case settings"},
			[]string{"damage_estimate", strconv.FormatFloat(f.Damage, 'f', 2, 64) + " " + cur, "", "", "", "", "raid_messages × unit_cost"})
	} else {
		rows = append(rows, []string{"damage_estimate", "", "", "", "", "", "unit cost not set in the case settings"})
	}
	return writeCSV(w, rows)
}

// WriteRaidWindowsCSV writes each raid's window (the shaded areas of the chart).
func (m *Model) WriteRaidWindowsCSV(w io.Writer) error {
	rows := [][]string{{"cluster_id", "start_utc", "end_utc", "size", "peak_per_minute"}}
	for _, r := range m.Raids {
		rows = append(rows, []string{strconv.Itoa(r.ID), fmtTime(r.Start), fmtTime(r.End), strconv.Itoa(r.Size), strconv.Itoa(r.PeakPerMinute)})
	}
	return writeCSV(w, rows)
}

// WriteJoinedCSV writes, for every raid, one row per sender in the order they joined: their first
// message of the raid, its time, how many messages of the raid had arrived before it (what they
// could see), their messages in the raid and whether it was their only message in the case.
func (m *Model) WriteJoinedCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"cluster_id", "order", "sender", "exhibit_id", "time_utc", "raid_messages_before", "messages_in_raid", "one_shot"})
	for _, r := range m.Raids {
		for k := range r.Joined {
			j := &r.Joined[k]
			before := strconv.Itoa(j.Before)
			if j.Before < 0 {
				before = ""
			}
			cw.Write([]string{strconv.Itoa(r.ID), strconv.Itoa(k + 1), m.JoinedSender(j), m.JoinedExhibit(j), fmtTime(m.JoinedTime(j)), before,
				strconv.Itoa(j.Messages), strconv.FormatBool(j.OneShot)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCustodyJSONL writes the custody log, one entry per line, exactly as hashed.
func (m *Model) WriteCustodyJSONL(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, e := range m.Custody {
		b, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("custody entry %d: %w", e.Seq, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
