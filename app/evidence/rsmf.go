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
	"slices"
	"sort"
	"strings"
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

// rsmfHeadOf gathers the manifest's participants and conversations: one participant per party,
// one conversation per source conversation id (or, when the source gives none, per platform and
// sender: a direct conversation with the case owner); [rsmfEventOf] gives the events. It is the
// head gathered while messages.csv was written, when there is one, else one gathered now.
func (m *Model) rsmfHeadOf() (*rsmfHead, error) {
	if h := m.rsmfPre; h != nil {
		m.rsmfPre = nil
		return h, nil
	}
	h := newRSMFHead(m)
	err := m.eachFull(func(msg *casefile.Message, l *msgLite) error {
		h.add(msg, l)
		return nil
	})
	return h, err
}

// rsmfHead gathers the participants and conversations of the RSMF manifest, message by message,
// in a compact form, as a big case has about as many of both as it has senders: a participant
// is a position in the model's table of parties whenever a party there has its key (the strings
// are the model's, not copies), a conversation a few numbers. A key is known by its id: the
// model's number of that sender (>= 0, see [Model.numberSenders]), or -(i+1) for otherKeys[i],
// a key no model party has (a recipient, a stand-in). untimed counts the messages left out for
// want of a time.
type rsmfHead struct {
	m         *Model
	seen      []bool // by key id >= 0: a participant has that key
	other     map[string]int32
	otherKeys []string
	parts     []int32 // the participants: >= 0 a position in m.parties, < 0 -(i+1) for extra[i]
	extra     []rsmfParticipant
	convs     []rsmfConv       // in order of first message
	byID      map[string]int32 // the source's conversation ids: position in convs
	// the direct conversations: by platform (position in platforms), then by key id, their
	// position in convs plus one (0: none yet); a slice per platform rather than a map, as a
	// big SMS case has one per sender (hundreds of thousands); those with a party that is no
	// sender's (a negative key id) by platform and key id
	direct      [][]int32
	directOther map[[2]int32]int32
	platforms   []string
	platID      map[string]int32
	members     []rsmfMember // the conversations' participants, as lists
	to          []int32      // scratch: the recipients of a message
	untimed     int
}

// rsmfConv is a conversation: the source's id, or for a direct conversation (id "") the
// platform and the party the case owner talks with (its id is platform + ":" + their key).
type rsmfConv struct {
	id          string
	platform    int32 // position in rsmfHead.platforms, of its first message
	who         int32 // key id
	first, last int32 // its participants, in rsmfHead.members; -1: none
}

type rsmfMember struct{ key, next int32 }

// newRSMFHead starts the head of a derived model's manifest.
func newRSMFHead(m *Model) *rsmfHead {
	// as many conversations as senders, in a direct case such as an SMS backup
	return &rsmfHead{m: m, seen: make([]bool, len(m.senderParty)), other: map[string]int32{}, byID: map[string]int32{},
		platID: map[string]int32{}, convs: make([]rsmfConv, 0, len(m.senderParty))}
}

// keyID is the id of key k, and whether it has one.
func (h *rsmfHead) keyID(k string) (int32, bool) {
	m := h.m
	i := sort.Search(len(m.senderParty), func(i int) bool { return m.senderKeyOf(int32(i)) >= k })
	if i < len(m.senderParty) && m.senderKeyOf(int32(i)) == k {
		return int32(i), true
	}
	id, ok := h.other[k]
	return id, ok
}

// key is the key of a key id.
func (h *rsmfHead) key(id int32) string {
	if id >= 0 {
		return h.m.senderKeyOf(id)
	}
	return h.otherKeys[-id-1]
}

// claim returns the id of key k (not ""), and whether no participant had it before.
func (h *rsmfHead) claim(k string) (int32, bool) {
	id, ok := h.keyID(k)
	switch {
	case !ok:
		h.otherKeys = append(h.otherKeys, k)
		id = -int32(len(h.otherKeys))
		h.other[k] = id
		return id, true
	case id >= 0 && !h.seen[id]:
		h.seen[id] = true
		return id, true
	}
	return id, false
}

// party adds the participant of a party with a key, unless one has that key already, and
// returns the key's id.
func (h *rsmfHead) party(p *importers.Party) int32 {
	id, isNew := h.claim(p.Key())
	if isNew {
		h.extra = append(h.extra, rsmfParticipant{ID: h.key(id), Display: senderLabel(*p),
			Custom: rsmfCustoms("account_id", p.ID)})
		h.parts = append(h.parts, -int32(len(h.extra)))
	}
	return id
}

// stand adds a participant that stands for a party a message does not name, and returns its id.
func (h *rsmfHead) stand(id, display string) int32 {
	k, isNew := h.claim(id)
	if isNew {
		h.extra = append(h.extra, rsmfParticipant{ID: id, Display: display})
		h.parts = append(h.parts, -int32(len(h.extra)))
	}
	return k
}

// add gathers the participants and conversation of msg, whose model row is l.
func (h *rsmfHead) add(msg *casefile.Message, l *msgLite) {
	if msg.Time.IsZero() {
		h.untimed++
		return
	}
	m := h.m
	// the sender (rsmfConversationOf says the same with strings)
	from, named := int32(0), true
	switch {
	case int(l.sender) < len(m.partySender) && m.partySender[l.sender] >= 0 && m.senderOf(l) == msg.Sender:
		from = m.partySender[l.sender]
		if !h.seen[from] {
			h.seen[from] = true
			h.parts = append(h.parts, l.sender)
		}
	case msg.Sender.Key() != "":
		from = h.party(&msg.Sender)
	default:
		named = false
	}
	h.to = h.to[:0]
	for i := range msg.Recipients {
		if msg.Recipients[i].Key() == "" {
			continue
		}
		if id := h.party(&msg.Recipients[i]); !named || id != from {
			h.to = append(h.to, id)
		}
	}
	if !named {
		if msg.Direction == importers.Outgoing {
			from = h.stand(rsmfOwner, rsmfOwnerDisplay)
		} else {
			from = h.stand(rsmfUnknown, "Unknown sender")
		}
		// a recipient with the stand-in's key is not one (as with a named sender)
		h.to = slices.DeleteFunc(h.to, func(id int32) bool { return id == from })
	}
	var c int32
	if msg.Conversation != "" {
		c = h.sourceConv(msg.Conversation, msg.Platform)
	} else {
		other := from
		if msg.Direction == importers.Outgoing && len(h.to) > 0 {
			other = h.to[0]
		}
		c = h.directConv(msg.Platform, other)
	}
	h.join(c, from)
	for _, id := range h.to {
		h.join(c, id)
	}
	if len(h.to) == 0 {
		// an incoming message that names no recipient was received by the case owner
		if o := h.stand(rsmfOwner, rsmfOwnerDisplay); o != from {
			h.join(c, o)
		}
	}
}

// platform is the position of a platform name in h.platforms.
func (h *rsmfHead) platform(p string) int32 {
	i, ok := h.platID[p]
	if !ok {
		i = int32(len(h.platforms))
		h.platID[p] = i
		h.platforms = append(h.platforms, p)
	}
	return i
}

// newConv adds a conversation and returns its position.
func (h *rsmfHead) newConv(c rsmfConv) int32 {
	c.first, c.last = -1, -1
	h.convs = append(h.convs, c)
	return int32(len(h.convs) - 1)
}

// sourceConv is the position of the conversation with the source's id cid, added when new. A
// direct conversation whose id (platform:key) is cid is that conversation: ids name one each.
func (h *rsmfHead) sourceConv(cid, platform string) int32 {
	if c, ok := h.byID[cid]; ok {
		return c
	}
	for i := range len(cid) {
		if cid[i] != ':' {
			continue
		}
		if p, ok := h.platID[cid[:i]]; ok {
			if id, ok := h.keyID(cid[i+1:]); ok {
				if c, ok := h.directOf(p, id); ok {
					h.byID[cid] = c
					return c
				}
			}
		}
	}
	c := h.newConv(rsmfConv{id: cid, platform: h.platform(platform)})
	h.byID[cid] = c
	return c
}

// directConv is the position of the direct conversation on a platform with the party whose key
// id is who, added when new.
func (h *rsmfHead) directConv(platform string, who int32) int32 {
	p := h.platform(platform)
	if c, ok := h.directOf(p, who); ok {
		return c
	}
	c := int32(-1)
	if len(h.byID) > 0 {
		// a source conversation may have the id this one would have
		if s, ok := h.byID[platform+":"+h.key(who)]; ok {
			c = s
		}
	}
	if c < 0 {
		c = h.newConv(rsmfConv{platform: p, who: who})
	}
	if who < 0 {
		if h.directOther == nil {
			h.directOther = map[[2]int32]int32{}
		}
		h.directOther[[2]int32{p, who}] = c
		return c
	}
	for len(h.direct) <= int(p) {
		h.direct = append(h.direct, nil)
	}
	d := h.direct[p]
	if int(who) >= len(d) {
		n := max(int(who)+1, len(h.m.senderParty))
		d = slices.Grow(d, n-len(d))[:n]
		h.direct[p] = d
	}
	d[who] = c + 1
	return c
}

// directOf is the position in convs of the direct conversation on platform p with the party
// whose key id is who, if there is one.
func (h *rsmfHead) directOf(p, who int32) (int32, bool) {
	if who < 0 {
		c, ok := h.directOther[[2]int32{p, who}]
		return c, ok
	}
	if int(p) >= len(h.direct) || int(who) >= len(h.direct[p]) || h.direct[p][who] == 0 {
		return 0, false
	}
	return h.direct[p][who] - 1, true
}

// join makes the party with key id k a participant of conversation c, unless it is one.
func (h *rsmfHead) join(c, k int32) {
	cv := &h.convs[c]
	for i := cv.first; i >= 0; i = h.members[i].next {
		if h.members[i].key == k {
			return
		}
	}
	h.members = append(h.members, rsmfMember{key: k, next: -1})
	n := int32(len(h.members) - 1)
	if cv.last >= 0 {
		h.members[cv.last].next = n
	} else {
		cv.first = n
	}
	cv.last = n
}

// participantKey is the id (key) of a participant in h.parts.
func (h *rsmfHead) participantKey(r int32) string {
	if r < 0 {
		return h.extra[-r-1].ID
	}
	return h.m.partyKeys[r]
}

// sortParticipants orders h.parts by id, as the manifest lists them.
func (h *rsmfHead) sortParticipants() {
	slices.SortFunc(h.parts, func(a, b int32) int { return strings.Compare(h.participantKey(a), h.participantKey(b)) })
}

// participant is the manifest entry of a participant in h.parts.
func (h *rsmfHead) participant(r int32) rsmfParticipant {
	if r < 0 {
		return h.extra[-r-1]
	}
	p := unpackParty(h.m.parties[r])
	return rsmfParticipant{ID: h.m.partyKeys[r], Display: senderLabel(p), Custom: rsmfCustoms("account_id", p.ID)}
}

// conversation is the manifest entry of h.convs[i].
func (h *rsmfHead) conversation(i int) rsmfConversation {
	c := &h.convs[i]
	id, typ := c.id, "channel"
	if id == "" {
		id, typ = h.platforms[c.platform]+":"+h.key(c.who), "direct"
	}
	out := rsmfConversation{ID: id, Display: id, Platform: rsmfPlatform(h.platforms[c.platform]), Type: typ,
		Participants: []string{}}
	for j := c.first; j >= 0; j = h.members[j].next {
		out.Participants = append(out.Participants, h.key(h.members[j].key))
	}
	return out
}

// writeHead writes the manifest as json.MarshalIndent(manifest, "", " ") would, up to its
// events: from the opening brace to `"events": `, a participant or conversation at a time.
func (h *rsmfHead) writeHead(bw *bufio.Writer) error {
	bw.WriteString("{\n \"version\": \"1.0.0\",\n \"participants\": ")
	h.sortParticipants()
	err := writeJSONList(bw, len(h.parts), func(i int) any { return h.participant(h.parts[i]) })
	if err == nil {
		bw.WriteString(",\n \"conversations\": ")
		err = writeJSONList(bw, len(h.convs), func(i int) any { return h.conversation(i) })
	}
	bw.WriteString(",\n \"events\": ")
	return err
}

// writeJSONList writes a list of n items, a member of a top-level object, as
// json.MarshalIndent(v, "", " ") does.
func writeJSONList(bw *bufio.Writer, n int, item func(i int) any) error {
	if n == 0 {
		bw.WriteString("[]")
		return nil
	}
	bw.WriteString("[")
	for i := range n {
		js, err := json.MarshalIndent(item(i), "  ", " ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		bw.Write(js)
	}
	bw.WriteString("\n ]")
	return nil
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
	h, err := m.rsmfHeadOf()
	if err != nil {
		return 0, 0, err
	}
	// the events are written one at a time too: a million participants, conversations and
	// events would be held several times over
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := h.writeHead(bw); err != nil {
		return 0, 0, err
	}
	untimed = h.untimed
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
		fmt.Fprintf(text, "%s  %s  %s: %s\n", exhibitOf(msg.ID), fmtTime(msg.when()), senderLabel(m.senderOf(msg)), msg.Text)
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
