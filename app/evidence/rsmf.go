package evidence

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"raidtrace/importers"
)

// RSMF (Relativity Short Message Format, version 1.0.0) export.
//
// An .rsmf file is an RFC 5322 message (like an .eml) with X-RSMF-* headers, a plain-text body
// that a person can read, and an attachment named rsmf.zip that holds rsmf_manifest.json (the
// participants, conversations and events). This follows the public RSMF 1.0 description as far
// as it is known here; it has not been checked against Relativity's own validator.

type rsmfParticipant struct {
	ID        string `json:"id"`
	Display   string `json:"display,omitempty"`
	AccountID string `json:"account_id,omitempty"`
}

type rsmfConversation struct {
	ID           string   `json:"id"`
	Display      string   `json:"display,omitempty"`
	Platform     string   `json:"platform,omitempty"`
	Type         string   `json:"type"` // "direct" or "channel"
	Participants []string `json:"participants"`
}

type rsmfCustom struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type rsmfAttachment struct {
	ID      string `json:"id"`
	Display string `json:"display,omitempty"`
	Size    int64  `json:"size,omitempty"`
}

type rsmfEvent struct {
	ID           string           `json:"id"`
	Type         string           `json:"type"` // "message"
	Participant  string           `json:"participant,omitempty"`
	Conversation string           `json:"conversation"`
	Body         string           `json:"body"`
	Timestamp    string           `json:"timestamp,omitempty"`
	Direction    string           `json:"direction,omitempty"` // "incoming", "outgoing"
	Attachments  []rsmfAttachment `json:"attachments,omitempty"`
	Custom       []rsmfCustom     `json:"custom,omitempty"`
}

type rsmfManifest struct {
	Version       string             `json:"version"`
	Participants  []rsmfParticipant  `json:"participants"`
	Conversations []rsmfConversation `json:"conversations"`
	Events        []rsmfEvent        `json:"events"`
}

// rsmfManifestOf builds the manifest: one participant per party, one conversation per source
// conversation id (or, when the source gives none, per platform and sender: a direct
// conversation with the case owner), one message event per message, carrying its exhibit id,
// cluster and source hash as custom fields.
func (m *Model) rsmfManifestOf() rsmfManifest {
	man := rsmfManifest{Version: "1.0.0"}
	parts := map[string]bool{}
	addPart := func(p importers.Party) string {
		k := p.Key()
		if k == "" {
			return ""
		}
		if !parts[k] {
			parts[k] = true
			man.Participants = append(man.Participants, rsmfParticipant{ID: k, Display: senderLabel(p), AccountID: p.ID})
		}
		return k
	}
	convs := map[string]*rsmfConversation{}
	var corder []string
	for i := range m.Messages {
		msg := &m.Messages[i]
		from := addPart(msg.Sender)
		var to []string
		for _, r := range msg.Recipients {
			if k := addPart(r); k != "" {
				to = append(to, k)
			}
		}
		cid := msg.Conversation
		typ := "channel"
		if cid == "" {
			other := from
			if msg.Direction == importers.Outgoing && len(to) > 0 {
				other = to[0]
			}
			cid = msg.Platform + ":" + other
			typ = "direct"
		}
		c := convs[cid]
		if c == nil {
			c = &rsmfConversation{ID: cid, Display: cid, Platform: msg.Platform, Type: typ}
			convs[cid] = c
			corder = append(corder, cid)
		}
		for _, p := range append([]string{from}, to...) {
			if p != "" && !containsStr(c.Participants, p) {
				c.Participants = append(c.Participants, p)
			}
		}
		ev := rsmfEvent{ID: exhibitOf(msg.ID), Type: "message", Participant: from, Conversation: cid,
			Body: msg.Text, Timestamp: fmtTime(msg.Time)}
		switch msg.Direction {
		case importers.Incoming:
			ev.Direction = "incoming"
		case importers.Outgoing:
			ev.Direction = "outgoing"
		}
		for j, a := range msg.Attachments {
			ev.Attachments = append(ev.Attachments, rsmfAttachment{ID: fmt.Sprintf("%s-%d", exhibitOf(msg.ID), j+1), Display: a.Name, Size: a.Size})
		}
		ev.Custom = []rsmfCustom{{"exhibit_id", exhibitOf(msg.ID)}, {"source_sha256", msg.SourceSHA256}, {"location", msg.Location}}
		if cl := m.clusterOf[msg.ID]; cl != 0 {
			ev.Custom = append(ev.Custom, rsmfCustom{"cluster_id", fmt.Sprint(cl)})
		}
		man.Events = append(man.Events, ev)
	}
	sort.Slice(man.Participants, func(i, j int) bool { return man.Participants[i].ID < man.Participants[j].ID })
	for _, id := range corder {
		man.Conversations = append(man.Conversations, *convs[id])
	}
	if man.Participants == nil {
		man.Participants = []rsmfParticipant{}
	}
	if man.Conversations == nil {
		man.Conversations = []rsmfConversation{}
	}
	if man.Events == nil {
		man.Events = []rsmfEvent{}
	}
	return man
}

func containsStr(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// WriteRSMF writes the messages as one RSMF 1.0 file (MIME, with rsmf.zip attached).
func (m *Model) WriteRSMF(w io.Writer) error {
	man := m.rsmfManifestOf()
	mj, err := json.MarshalIndent(man, "", " ")
	if err != nil {
		return err
	}
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "rsmf_manifest.json", Method: zip.Deflate, Modified: m.Generated})
	if err != nil {
		return err
	}
	fw.Write(mj)
	if err := zw.Close(); err != nil {
		return err
	}
	var begin, end time.Time
	for _, msg := range m.Messages {
		if msg.Time.IsZero() {
			continue
		}
		if begin.IsZero() || msg.Time.Before(begin) {
			begin = msg.Time
		}
		if msg.Time.After(end) {
			end = msg.Time
		}
	}
	boundary := "raidtrace-" + sha256Hex(zbuf.Bytes())[:24]
	var b bytes.Buffer
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", "raidtrace@localhost")
	hdr("To", "raidtrace@localhost")
	hdr("Subject", "Raidtrace case "+m.Info.ID)
	hdr("Date", m.Generated.UTC().Format(time.RFC1123Z))
	hdr("MIME-Version", "1.0")
	hdr("X-RSMF-Version", "1.0.0")
	hdr("X-RSMF-Generator", m.Agent)
	hdr("X-RSMF-EventCount", fmt.Sprint(len(man.Events)))
	if !begin.IsZero() {
		hdr("X-RSMF-BeginDate", fmtTime(begin))
		hdr("X-RSMF-EndDate", fmtTime(end))
	}
	hdr("X-RSMF-HasAttachments", "false")
	hdr("Content-Type", `multipart/mixed; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary)
	var text strings.Builder
	for _, msg := range m.Messages {
		fmt.Fprintf(&text, "%s  %s  %s: %s\n", exhibitOf(msg.ID), fmtTime(msg.Time), senderLabel(msg.Sender), msg.Text)
	}
	writeBase64Lines(&b, []byte(text.String()))
	fmt.Fprintf(&b, "--%s\r\nContent-Type: application/zip\r\nContent-Disposition: attachment; filename=\"rsmf.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary)
	writeBase64Lines(&b, zbuf.Bytes())
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	_, err = w.Write(b.Bytes())
	return err
}

func writeBase64Lines(b *bytes.Buffer, data []byte) {
	s := base64.StdEncoding.EncodeToString(data)
	for len(s) > 76 {
		b.WriteString(s[:76])
		b.WriteString("\r\n")
		s = s[76:]
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
