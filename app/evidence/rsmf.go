package evidence

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// RSMF (Relativity Short Message Format, version 1.0.0) export.
//
// An .rsmf file is an RFC 5322 message (like an .eml) with X-RSMF-* headers, a plain-text body
// that a person can read, and an attachment named rsmf.zip that holds rsmf_manifest.json (the
// participants, conversations and events). The manifest follows Relativity's published JSON
// schema for 1.0.0 (rsmf_schema_1_0_0.json): every participant has an id and a display, every
// conversation an id, display, platform, type and participants, every event a type, a
// participant, a conversation and a timestamp, and every id an event or conversation names is
// defined. The case owner (the victim) is the participant [rsmfOwner] whenever a message does
// not name them: the sender of outgoing messages without one, and a member of every
// conversation whose messages name no recipient. Fields RSMF 1.0 lacks (the direction, the
// exhibit id, the attachments, which are not in rsmf.zip) are custom properties. A message
// without a time cannot be an RSMF 1.0 event (the timestamp is required): such messages are in
// the plain-text body and in messages.csv, and their number is in the X-Raidtrace-Untimed
// header. It has not been run through Relativity's own validator (not redistributable).

type rsmfParticipant struct {
	ID      string       `json:"id"`
	Display string       `json:"display"`
	Custom  []rsmfCustom `json:"custom,omitempty"`
}

type rsmfConversation struct {
	ID           string   `json:"id"`
	Display      string   `json:"display"`
	Platform     string   `json:"platform"`
	Type         string   `json:"type"` // "direct" or "channel"
	Participants []string `json:"participants"`
}

type rsmfCustom struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type rsmfEvent struct {
	ID           string       `json:"id"`
	Type         string       `json:"type"` // "message"
	Participant  string       `json:"participant"`
	Conversation string       `json:"conversation"`
	Body         string       `json:"body"`
	Timestamp    string       `json:"timestamp"`
	Custom       []rsmfCustom `json:"custom,omitempty"`
}

// The participants that stand for a party a message does not name, with ids no importer gives
// a party.
const (
	rsmfOwner        = "raidtrace:case-owner"
	rsmfOwnerDisplay = "Case owner (the victim)"
	rsmfUnknown      = "raidtrace:unknown-sender"
)

// rsmfPlatform is the platform of a conversation, which RSMF requires.
func rsmfPlatform(p string) string {
	if p == "" {
		return "unknown"
	}
	return p
}

// rsmfCustoms builds custom properties, leaving out empty values (RSMF requires a value).
func rsmfCustoms(kv ...string) []rsmfCustom {
	var out []rsmfCustom
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, rsmfCustom{kv[i], kv[i+1]})
		}
	}
	return out
}

type rsmfManifest struct {
	Version       string             `json:"version"`
	Participants  []rsmfParticipant  `json:"participants"`
	Conversations []rsmfConversation `json:"conversations"`
	Events        []rsmfEvent        `json:"events"`
}

// rsmfManifestOf builds the manifest without its events: one participant per party, one
// conversation per source conversation id (or, when the source gives none, per platform and
// sender: a direct conversation with the case owner). [rsmfEventOf] gives the events. It uses
// the participants and conversations gathered while messages.csv was written, when there are.
func (m *Model) rsmfManifestOf() (rsmfManifest, int, error) {
	if h := m.rsmfPre; h != nil {
		m.rsmfPre = nil
		return h.manifest(), h.untimed, nil
	}
	h := newRSMFHead()
	err := m.eachFull(func(msg *casefile.Message, _ *msgLite) error {
		h.add(msg)
		return nil
	})
	return h.manifest(), h.untimed, err
}

// rsmfHead gathers the participants and conversations of the RSMF manifest, message by message.
// untimed counts the messages left out for want of a time.
type rsmfHead struct {
	man     rsmfManifest
	parts   map[string]bool
	convs   map[string]int32 // position in man.Conversations, which is in order of first message
	untimed int
}

func newRSMFHead() *rsmfHead {
	return &rsmfHead{man: rsmfManifest{Version: "1.0.0"}, parts: map[string]bool{}, convs: map[string]int32{}}
}

func (h *rsmfHead) addPart(p importers.Party) {
	if k := p.Key(); k != "" && !h.parts[k] {
		h.parts[k] = true
		h.man.Participants = append(h.man.Participants, rsmfParticipant{ID: k, Display: senderLabel(p),
			Custom: rsmfCustoms("account_id", p.ID)})
	}
}

func (h *rsmfHead) addStand(id, display string) {
	if !h.parts[id] {
		h.parts[id] = true
		h.man.Participants = append(h.man.Participants, rsmfParticipant{ID: id, Display: display})
	}
}

func (h *rsmfHead) add(msg *casefile.Message) {
	if msg.Time.IsZero() {
		h.untimed++
		return
	}
	h.addPart(msg.Sender)
	for _, r := range msg.Recipients {
		h.addPart(r)
	}
	from, to, cid, typ := rsmfConversationOf(msg)
	switch from {
	case rsmfOwner:
		h.addStand(rsmfOwner, rsmfOwnerDisplay)
	case rsmfUnknown:
		h.addStand(rsmfUnknown, "Unknown sender")
	}
	k, ok := h.convs[cid]
	if !ok {
		k = int32(len(h.man.Conversations))
		h.convs[cid] = k
		h.man.Conversations = append(h.man.Conversations, rsmfConversation{ID: cid, Display: cid,
			Platform: rsmfPlatform(msg.Platform), Type: typ, Participants: make([]string, 0, 1+max(len(to), 1))})
	}
	c := &h.man.Conversations[k]
	join := func(p string) {
		if !containsStr(c.Participants, p) {
			c.Participants = append(c.Participants, p)
		}
	}
	join(from)
	for _, p := range to {
		join(p)
	}
	if len(to) == 0 && from != rsmfOwner {
		// an incoming message that names no recipient was received by the case owner
		h.addStand(rsmfOwner, rsmfOwnerDisplay)
		join(rsmfOwner)
	}
}

// manifest is the manifest so far, participants sorted, with no events.
func (h *rsmfHead) manifest() rsmfManifest {
	man := h.man
	sort.Slice(man.Participants, func(i, j int) bool { return man.Participants[i].ID < man.Participants[j].ID })
	if man.Participants == nil {
		man.Participants = []rsmfParticipant{}
	}
	if man.Conversations == nil {
		man.Conversations = []rsmfConversation{}
	}
	man.Events = []rsmfEvent{}
	return man
}

// rsmfEvents holds the manifest's events as written between its "[" and "]", compressed in a
// temporary file (a million events are hundreds of megabytes even compressed).
type rsmfEvents struct {
	f  *os.File
	bw *bufio.Writer
	n  int
	fw *flate.Writer
}

// newRSMFEvents starts the compressed events in a new temporary file in dir ("" for the
// system's temporary folder).
func newRSMFEvents(dir string) (*rsmfEvents, error) {
	f, err := os.CreateTemp(dir, ".rsmf-events-*")
	if err != nil {
		return nil, fmt.Errorf("rsmf events: %w", err)
	}
	e := &rsmfEvents{f: f, bw: bufio.NewWriterSize(f, 64<<10)}
	e.fw, _ = flate.NewWriter(e.bw, flate.BestSpeed)
	return e, nil
}

// finish ends the compressed stream.
func (e *rsmfEvents) finish() error {
	if err := e.fw.Close(); err != nil {
		return err
	}
	return e.bw.Flush()
}

// copyTo writes the events, uncompressed, to w.
func (e *rsmfEvents) copyTo(w io.Writer) error {
	if _, err := e.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, flate.NewReader(bufio.NewReaderSize(e.f, 64<<10)))
	return err
}

// discard closes and removes the temporary file; e may be nil.
func (e *rsmfEvents) discard() {
	if e != nil && e.f != nil {
		e.f.Close()
		os.Remove(e.f.Name())
		e.f = nil
	}
}

// add writes msg's event to w, after a comma for all but the first; a message without a time
// has no event (see [rsmfHead.add]).
func (e *rsmfEvents) add(w io.Writer, msg *casefile.Message, l *msgLite) error {
	if msg.Time.IsZero() {
		return nil
	}
	ev, err := json.MarshalIndent(rsmfEventOf(msg, l.Cluster), "  ", " ")
	if err != nil {
		return err
	}
	sep := "\n  "
	if e.n > 0 {
		sep = ",\n  "
	}
	e.n++
	if _, err := io.WriteString(w, sep); err != nil {
		return err
	}
	_, err = w.Write(ev)
	return err
}

// rsmfConversationOf is a message's sender and recipient participant ids and its conversation.
// The sender is never empty: an outgoing message without one was sent by [rsmfOwner], an
// incoming one by [rsmfUnknown].
func rsmfConversationOf(msg *casefile.Message) (from string, to []string, cid, typ string) {
	from = msg.Sender.Key()
	if from == "" {
		from = rsmfUnknown
		if msg.Direction == importers.Outgoing {
			from = rsmfOwner
		}
	}
	for _, r := range msg.Recipients {
		if k := r.Key(); k != "" && k != from {
			to = append(to, k)
		}
	}
	cid = msg.Conversation
	typ = "channel"
	if cid == "" {
		other := from
		if msg.Direction == importers.Outgoing && len(to) > 0 {
			other = to[0]
		}
		cid = msg.Platform + ":" + other
		typ = "direct"
	}
	return from, to, cid, typ
}

// rsmfEvent is the message event of one message, carrying its exhibit id, direction, source
// hash, location, cluster and attachments as custom fields.
func rsmfEventOf(msg *casefile.Message, cluster int32) rsmfEvent {
	from, _, cid, _ := rsmfConversationOf(msg)
	ev := rsmfEvent{ID: exhibitOf(msg.ID), Type: "message", Participant: from, Conversation: cid,
		Body: msg.Text, Timestamp: fmtTime(msg.Time)}
	dir := ""
	switch msg.Direction {
	case importers.Incoming:
		dir = "incoming"
	case importers.Outgoing:
		dir = "outgoing"
	}
	ev.Custom = rsmfCustoms("exhibit_id", exhibitOf(msg.ID), "direction", dir, "source_sha256", msg.SourceSHA256,
		"location", msg.Location, "cluster_id", clusterText(cluster))
	for j, a := range msg.Attachments {
		ev.Custom = append(ev.Custom, rsmfCustoms(fmt.Sprintf("attachment_%d", j+1), attachmentsText([]importers.Attachment{a}))...)
	}
	return ev
}

// writeRSMFManifest writes rsmf_manifest.json as json.MarshalIndent(manifest, "", " ") would,
// one event at a time, and returns the number of events and of messages left out for want of
// a time.
func (m *Model) writeRSMFManifest(w io.Writer) (events, untimed int, err error) {
	man, untimed, err := m.rsmfManifestOf()
	if err != nil {
		return 0, 0, err
	}
	// as json.MarshalIndent(man, "", " ") writes it (a million participants and conversations
	// would be held several times over), its empty events list at the end held back: the events
	// are written in its place
	bw := bufio.NewWriterSize(w, 64<<10)
	const tail = "[]\n}"
	hold := &holdBack{w: bw, n: len(tail)}
	hw := bufio.NewWriterSize(hold, 64<<10)
	if err := streamJSON(hw, man, " ", true); err != nil {
		return 0, 0, err
	}
	if err := hw.Flush(); err != nil {
		return 0, 0, err
	}
	if string(hold.held) != tail {
		return 0, 0, fmt.Errorf("rsmf manifest: unexpected layout")
	}
	bw.WriteString("[")
	n := 0
	if pre := m.rsmfEvents; pre != nil {
		// gathered (compressed) while messages.csv was written
		m.rsmfEvents = nil
		err := pre.copyTo(bw)
		pre.discard()
		if err != nil {
			return 0, 0, fmt.Errorf("rsmf events: %w", err)
		}
		n = pre.n
	} else {
		ev := &rsmfEvents{}
		if err := m.eachFull(func(msg *casefile.Message, l *msgLite) error { return ev.add(bw, msg, l) }); err != nil {
			return 0, 0, err
		}
		n = ev.n
	}
	if n > 0 {
		bw.WriteString("\n ")
	}
	bw.WriteString("]\n}")
	return n, untimed, bw.Flush()
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// WriteRSMF writes the messages as one RSMF 1.0 file (MIME, with rsmf.zip attached). The
// manifest is compressed as it is written into a temporary file (in m.scratch), hashed on the
// way, as its hash names the MIME boundary, then copied in base64: not held in memory.
func (m *Model) WriteRSMF(w io.Writer) error {
	zf, err := os.CreateTemp(m.scratch, ".rsmf-zip-*")
	if err != nil {
		return fmt.Errorf("rsmf: %w", err)
	}
	defer func() {
		zf.Close()
		os.Remove(zf.Name())
	}()
	zsum := sha256.New()
	zbw := bufio.NewWriterSize(io.MultiWriter(zf, zsum), 64<<10)
	zw := zip.NewWriter(zbw)
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "rsmf_manifest.json", Method: zip.Deflate, Modified: m.Generated})
	if err != nil {
		return err
	}
	events, untimed, err := m.writeRSMFManifest(fw)
	if err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := zbw.Flush(); err != nil {
		return fmt.Errorf("rsmf: %w", err)
	}
	var begin, end time.Time
	for i := range m.msgs {
		t := m.msgs[i].when()
		if t.IsZero() {
			continue
		}
		if begin.IsZero() || t.Before(begin) {
			begin = t
		}
		if t.After(end) {
			end = t
		}
	}
	boundary := "raidtrace-" + hex.EncodeToString(zsum.Sum(nil))[:24]
	b := bufio.NewWriterSize(w, 64<<10)
	hdr := func(k, v string) { fmt.Fprintf(b, "%s: %s\r\n", k, v) }
	hdr("From", "raidtrace@localhost")
	hdr("To", "raidtrace@localhost")
	hdr("Subject", "Raidtrace case "+m.Info.ID)
	hdr("Date", m.Generated.UTC().Format(time.RFC1123Z))
	hdr("MIME-Version", "1.0")
	hdr("X-RSMF-Version", "1.0.0")
	hdr("X-RSMF-Generator", m.Agent)
	hdr("X-RSMF-EventCount", fmt.Sprint(events))
	if !begin.IsZero() {
		hdr("X-RSMF-BeginDate", fmtTime(begin))
		hdr("X-RSMF-EndDate", fmtTime(end))
	}
	hdr("X-RSMF-HasAttachments", "false")
	if untimed > 0 {
		hdr("X-Raidtrace-Untimed", fmt.Sprintf("%d messages without a time are not RSMF events (see the text part and messages.csv)", untimed))
	}
	hdr("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	fmt.Fprintf(b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary)
	text := newBase64Lines(b)
	for i := range m.msgs {
		msg := &m.msgs[i]
		fmt.Fprintf(text, "%s  %s  %s: %s\n", exhibitOf(msg.ID), fmtTime(msg.when()), senderLabel(*m.senderOf(msg)), msg.Text)
	}
	text.Close()
	fmt.Fprintf(b, "--%s\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"rsmf.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary)
	z := newBase64Lines(b)
	if _, err := zf.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rsmf: %w", err)
	}
	if _, err := io.Copy(z, bufio.NewReaderSize(zf, 64<<10)); err != nil {
		return fmt.Errorf("rsmf: %w", err)
	}
	z.Close()
	fmt.Fprintf(b, "--%s--\r\n", boundary)
	return b.Flush()
}

// base64Lines encodes what is written to it in base64, in lines of 76 characters each ended by
// CRLF (the last one may be shorter; an empty input gives one empty line).
type base64Lines struct {
	enc  io.WriteCloser
	w    *bufio.Writer
	line *crlfLines
}

func newBase64Lines(w *bufio.Writer) *base64Lines {
	l := &crlfLines{w: w}
	return &base64Lines{enc: base64.NewEncoder(base64.StdEncoding, l), w: w, line: l}
}

func (b *base64Lines) Write(p []byte) (int, error) { return b.enc.Write(p) }

func (b *base64Lines) Close() error {
	err := b.enc.Close()
	b.w.WriteString("\r\n")
	return err
}

type crlfLines struct {
	w   *bufio.Writer
	col int
}

func (l *crlfLines) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if l.col == 76 {
			l.w.WriteString("\r\n")
			l.col = 0
		}
		k := min(76-l.col, len(p))
		l.w.Write(p[:k])
		l.col += k
		p = p[k:]
	}
	return n, nil
}
