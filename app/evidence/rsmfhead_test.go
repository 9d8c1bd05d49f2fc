package evidence

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
	"time"

	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// refHead is the plain way to gather the RSMF participants and conversations, with strings
// and maps (the export did it so until it held 170 MB for a million messages): the reference
// the compact rsmfHead must match.
type refHead struct {
	man     rsmfManifest
	parts   map[string]bool
	convs   map[string]int32 // position in man.Conversations, which is in order of first message
	untimed int
}

func newRefHead() *refHead {
	return &refHead{man: rsmfManifest{Version: "1.0.0"}, parts: map[string]bool{}, convs: map[string]int32{}}
}

func (h *refHead) addPart(p importers.Party) {
	if k := p.Key(); k != "" && !h.parts[k] {
		h.parts[k] = true
		h.man.Participants = append(h.man.Participants, rsmfParticipant{ID: k, Display: senderLabel(p),
			Custom: rsmfCustoms("account_id", p.ID)})
	}
}

func (h *refHead) addStand(id, display string) {
	if !h.parts[id] {
		h.parts[id] = true
		h.man.Participants = append(h.man.Participants, rsmfParticipant{ID: id, Display: display})
	}
}

func (h *refHead) add(msg *casefile.Message) {
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
func (h *refHead) manifest() rsmfManifest {
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

// TestRSMFHeadMatchesReference builds the RSMF manifest of random messages (parties sharing a
// key under different names, recipients, stand-ins, source conversation ids that are also the
// id of a direct conversation, untimed messages) with the export's compact head and with the
// plain reference, and wants the same manifest and the same bytes as json.MarshalIndent.
func TestRSMFHeadMatchesReference(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 20, 0, 0, 0, time.UTC)
	pool := []importers.Party{
		{},
		{Raw: "06 12 34 56 01", E164: "+33612345601"},
		{Raw: "+33 6 12 34 56 01", E164: "+33612345601"}, // the same key, another label
		{Raw: "06 11 11 11 11", E164: "+33611111111", Name: "Maman"},
		{Handle: "Raider", ID: "42"},
		{Handle: "raider"},                // key "raider"
		{Raw: "raider"},                   // the same key, raw only
		{Name: "Sans numéro"},             // a name only
		{Raw: "me", E164: "+33600000000"}, // the owner, as a recipient
		{Raw: rsmfOwner},                  // a party with a stand-in's key
	}
	convs := []string{"", "", "", "group-1", "sms:+33612345601", "x:raider", "sms:"}
	platforms := []string{"sms", "sms", "x", ""}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		n := 1 + r.IntN(60)
		msgs := make([]casefile.Message, n)
		for i := range msgs {
			rec := importers.Record{Location: fmt.Sprint("line ", i+1), Platform: platforms[r.IntN(len(platforms))],
				Time: t0.Add(time.Duration(i) * time.Minute), Sender: pool[r.IntN(len(pool))],
				Direction:    importers.Direction([]importers.Direction{importers.Incoming, importers.Outgoing, ""}[r.IntN(3)]),
				Conversation: convs[r.IntN(len(convs))], Text: fmt.Sprint("m", i)}
			for range r.IntN(3) {
				rec.Recipients = append(rec.Recipients, pool[r.IntN(len(pool))])
			}
			if r.IntN(10) == 0 {
				rec.Time = time.Time{}
			}
			msgs[i] = casefile.Message{ID: int64(i + 1), SourceID: 1, SourceSHA256: "aa", Hash: fmt.Sprint("h", i), Record: rec}
		}
		if seed%2 == 1 {
			// out of the model's order: the rows do not line up, parties are looked up by key
			r.Shuffle(len(msgs), func(i, j int) { msgs[i], msgs[j] = msgs[j], msgs[i] })
		}
		m := &Model{Info: casefile.Info{ID: "case-head"}, Generated: testNow, Agent: "raidtrace/test", Messages: msgs}
		m.Derive()

		ref := newRefHead()
		for i := range m.Messages {
			ref.add(&m.Messages[i])
		}
		want := ref.manifest()
		got, untimed, err := m.rsmfManifestOf()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) || untimed != ref.untimed {
			t.Fatalf("seed %d: manifest (untimed %d):\n%+v\nwant (untimed %d):\n%+v", seed, untimed, got, ref.untimed, want)
		}
		m.eachFull(func(msg *casefile.Message, l *msgLite) error {
			if !msg.Time.IsZero() {
				want.Events = append(want.Events, rsmfEventOf(msg, l.Cluster))
			}
			return nil
		})
		wantJS, _ := json.MarshalIndent(want, "", " ")
		var b bytes.Buffer
		bw := bufio.NewWriter(&b)
		if _, _, err := m.writeRSMFManifest(bw); err != nil {
			t.Fatal(err)
		}
		bw.Flush()
		if !bytes.Equal(b.Bytes(), wantJS) {
			t.Fatalf("seed %d: rsmf_manifest.json:\n%s\nwant:\n%s", seed, b.Bytes(), wantJS)
		}
	}
}

// rsmfManifestOf is the manifest without its events, held whole, as the export never holds it
// (it writes the head a participant and a conversation at a time, [rsmfHead.writeHead]).
func (m *Model) rsmfManifestOf() (rsmfManifest, int, error) {
	h, err := m.rsmfHeadOf()
	if err != nil {
		return rsmfManifest{}, 0, err
	}
	man := rsmfManifest{Version: "1.0.0", Participants: []rsmfParticipant{}, Conversations: []rsmfConversation{},
		Events: []rsmfEvent{}}
	h.sortParticipants()
	for _, r := range h.parts {
		man.Participants = append(man.Participants, h.participant(r))
	}
	for i := range h.convs {
		man.Conversations = append(man.Conversations, h.conversation(i))
	}
	return man, h.untimed, nil
}
