package evidence

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// rsmf10 is what Relativity's rsmf_schema_1_0_0.json defines, object by object: the properties
// it knows (anything else is a later version's, such as 2.0's "direction"), those it requires,
// and those that must be non-empty strings.
var rsmf10 = map[string]struct{ known, required, nonEmpty []string }{
	"manifest":     {[]string{"version", "participants", "conversations", "events"}, []string{"version", "participants", "conversations", "events"}, nil},
	"participant":  {[]string{"id", "display", "email", "avatar", "custom"}, []string{"id", "display"}, []string{"id", "display"}},
	"conversation": {[]string{"id", "display", "platform", "type", "participants", "custom"}, []string{"id", "display", "platform", "type", "participants"}, []string{"id", "display", "platform"}},
	"event": {[]string{"id", "type", "parent", "body", "participant", "conversation", "timestamp", "deleted", "importance", "reactions", "attachments", "edits", "custom"},
		[]string{"type", "participant", "conversation", "timestamp"}, []string{"participant", "conversation"}},
	"custom":     {[]string{"name", "value"}, []string{"name", "value"}, []string{"name", "value"}},
	"attachment": {[]string{"id", "display", "size"}, []string{"id", "display", "size"}, []string{"id", "display"}},
}

// checkRSMF10 checks an RSMF file against RSMF 1.0.0: its headers, and its manifest against
// the schema's structure (see rsmf10), the schema's enums and date-time format, and the
// references the schema's descriptions require (every participant an event or conversation
// names is defined, every event's conversation is, ids are unique, an event's participant is a
// member of its conversation). It returns one line per departure, naming a JSON pointer.
func checkRSMF10(t *testing.T, file []byte) []string {
	t.Helper()
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	head, _, _ := bytes.Cut(file, []byte("\r\n\r\n"))
	headers := map[string]string{}
	for _, l := range strings.Split(string(head), "\r\n") {
		k, v, _ := strings.Cut(l, ": ")
		headers[k] = v
	}
	if headers["X-RSMF-Version"] != "1.0.0" {
		bad("header X-RSMF-Version is %q, want 1.0.0", headers["X-RSMF-Version"])
	}
	var raw []byte
	for name, s := range rsmfParts(t, file) {
		if strings.HasSuffix(name, "rsmf_manifest.json") {
			raw = []byte(s)
		}
	}
	if raw == nil {
		return append(errs, "no rsmf_manifest.json in rsmf.zip")
	}
	var man map[string]any
	if err := json.Unmarshal(raw, &man); err != nil {
		return append(errs, fmt.Sprintf("rsmf_manifest.json: %v", err))
	}
	object := func(ptr, kind string, v any) map[string]any {
		o, ok := v.(map[string]any)
		if !ok {
			bad("%s: not an object", ptr)
			return nil
		}
		def := rsmf10[kind]
		for k := range o {
			if !containsStr(def.known, k) {
				bad("%s/%s: not a property of an RSMF 1.0.0 %s", ptr, k, kind)
			}
		}
		for _, k := range def.required {
			if _, ok := o[k]; !ok {
				bad("%s: required %q missing", ptr, k)
			}
		}
		for _, k := range def.nonEmpty {
			if s, ok := o[k].(string); ok && s == "" || o[k] != nil && !ok {
				bad("%s/%s: %v, want a non-empty string", ptr, k, o[k])
			}
		}
		return o
	}
	array := func(ptr string, v any) []any {
		a, ok := v.([]any)
		if !ok {
			bad("%s: not an array", ptr)
		}
		return a
	}
	customs := func(ptr string, v any) {
		if v != nil {
			for i, c := range array(ptr, v) {
				object(fmt.Sprintf("%s/%d", ptr, i), "custom", c)
			}
		}
	}
	object("", "manifest", man)
	if v, _ := man["version"].(string); v != "1.0.0" {
		bad("/version is %q, want 1.0.0", v)
	}
	parts := map[string]bool{}
	for i, p := range array("/participants", man["participants"]) {
		ptr := fmt.Sprintf("/participants/%d", i)
		if o := object(ptr, "participant", p); o != nil {
			id, _ := o["id"].(string)
			if parts[id] {
				bad("%s/id: %q defined twice", ptr, id)
			}
			parts[id] = true
			customs(ptr+"/custom", o["custom"])
		}
	}
	convs := map[string][]any{}
	for i, c := range array("/conversations", man["conversations"]) {
		ptr := fmt.Sprintf("/conversations/%d", i)
		o := object(ptr, "conversation", c)
		if o == nil {
			continue
		}
		id, _ := o["id"].(string)
		if _, ok := convs[id]; ok {
			bad("%s/id: %q defined twice", ptr, id)
		}
		if typ := o["type"]; typ != "direct" && typ != "channel" {
			bad("%s/type: %v, want direct or channel", ptr, typ)
		}
		members := array(ptr+"/participants", o["participants"])
		for j, p := range members {
			if s, _ := p.(string); !parts[s] {
				bad("%s/participants/%d: %v is not a defined participant", ptr, j, p)
			}
		}
		convs[id] = members
		customs(ptr+"/custom", o["custom"])
	}
	events := array("/events", man["events"])
	for i, e := range events {
		ptr := fmt.Sprintf("/events/%d", i)
		o := object(ptr, "event", e)
		if o == nil {
			continue
		}
		switch o["type"] {
		case "message", "disclaimer", "join", "leave":
		default:
			bad("%s/type: %v, not an RSMF 1.0.0 event type", ptr, o["type"])
		}
		p, _ := o["participant"].(string)
		if !parts[p] {
			bad("%s/participant: %q is not a defined participant", ptr, p)
		}
		c, _ := o["conversation"].(string)
		members, ok := convs[c]
		if !ok {
			bad("%s/conversation: %q is not a defined conversation", ptr, c)
		}
		found := false
		for _, m := range members {
			found = found || m == p
		}
		if ok && !found {
			bad("%s/participant: %q is not among the participants of conversation %q", ptr, p, c)
		}
		ts, _ := o["timestamp"].(string)
		if _, err := time.Parse(time.RFC3339Nano, ts); err != nil {
			bad("%s/timestamp: %q is not a date-time: %v", ptr, ts, err)
		}
		if o["body"] != nil {
			if _, ok := o["body"].(string); !ok {
				bad("%s/body: not a string", ptr)
			}
		}
		customs(ptr+"/custom", o["custom"])
		if o["attachments"] != nil {
			for j, a := range array(ptr+"/attachments", o["attachments"]) {
				object(fmt.Sprintf("%s/attachments/%d", ptr, j), "attachment", a)
			}
		}
	}
	if n, err := strconv.Atoi(headers["X-RSMF-EventCount"]); err != nil || n != len(events) {
		bad("header X-RSMF-EventCount is %q, the manifest has %d events", headers["X-RSMF-EventCount"], len(events))
	}
	sort.Strings(errs)
	return errs
}

// rsmfModel is a hand-built model with what RSMF 1.0 cannot say directly: outgoing messages
// without a sender, incoming ones without recipients or without a sender, a message without a
// time, a channel conversation, a platform left empty, and an attachment with no name.
func rsmfModel() *Model {
	t0 := time.Date(2024, 5, 1, 20, 13, 7, 0, time.UTC)
	in, out := importers.Incoming, importers.Outgoing
	msg := func(id int64, d time.Duration, dir importers.Direction, from importers.Party, to []importers.Party, text string) casefile.Message {
		m := casefile.Message{ID: id, SourceID: 1, SourceSHA256: "aa", Hash: fmt.Sprint("h", id), Record: importers.Record{
			Location: fmt.Sprint("line ", id), Platform: "sms", Time: t0.Add(d), Sender: from, Recipients: to, Direction: dir, Text: text}}
		return m
	}
	troll := importers.Party{Raw: "06 12 34 56 01", E164: "+33612345601"}
	mum := importers.Party{Raw: "06 11 11 11 11", E164: "+33611111111", Name: "Maman"}
	msgs := []casefile.Message{
		msg(1, 0, in, troll, nil, "dégage"),
		msg(2, time.Minute, out, importers.Party{}, []importers.Party{mum}, "j'arrive"),
		msg(3, 2*time.Minute, out, importers.Party{}, nil, "note à moi-même"),
		msg(4, 3*time.Minute, in, importers.Party{}, nil, "numéro masqué"),
		msg(5, 4*time.Minute, in, mum, []importers.Party{{Raw: "me", E164: "+33600000000"}}, "ça va ?"),
		msg(6, 5*time.Minute, in, importers.Party{Handle: "raider", ID: "42"}, nil, "@victime"),
		msg(7, 0, in, troll, nil, "sans date"),
	}
	msgs[5].Platform, msgs[5].Conversation = "", "group-1"
	msgs[5].Attachments = []importers.Attachment{{MIME: "image/png", Size: 10, SHA256: "ff"}, {}}
	msgs[6].Time = time.Time{}
	return &Model{Info: casefile.Info{ID: "case-rsmf"}, Generated: testNow, Agent: "raidtrace/test", Messages: msgs}
}

// TestRSMF10Valid checks the RSMF files of a hand-built model (in full and pseudonymised) and
// of an exported bag against RSMF 1.0.0.
func TestRSMF10Valid(t *testing.T) {
	render := func(m *Model) []byte {
		m.Derive()
		var b bytes.Buffer
		if err := m.WriteRSMF(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	redacted := rsmfModel()
	redacted.Redact(pseudonymKey("case-rsmf", nil))
	bagRSMF, err := os.ReadFile(filepath.Join(sharedBag(t), "data", "rsmf", "raidtrace.rsmf"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"hand-built": render(rsmfModel()), "hand-built, pseudonymised": render(redacted), "exported bag": bagRSMF}
	for name, f := range files {
		if errs := checkRSMF10(t, f); len(errs) > 0 {
			t.Errorf("%s: not RSMF 1.0.0:\n  %s", name, strings.Join(errs, "\n  "))
		}
	}

	// the case owner: the sender of outgoing messages without one, and in every conversation
	// whose messages name no recipient
	var man rsmfManifest
	for n, s := range rsmfParts(t, files["hand-built"]) {
		if strings.HasSuffix(n, "rsmf_manifest.json") {
			if err := json.Unmarshal([]byte(s), &man); err != nil {
				t.Fatal(err)
			}
		}
	}
	byID := map[string]rsmfEvent{}
	for _, e := range man.Events {
		byID[e.ID] = e
	}
	if len(man.Events) != 6 {
		t.Errorf("%d events, want 6 (the message without a time left out)", len(man.Events))
	}
	if _, ok := byID["M000007"]; ok {
		t.Errorf("the message without a time is an event")
	}
	for _, tt := range []struct{ exhibit, want string }{
		{"M000001", "+33612345601"}, {"M000002", rsmfOwner}, {"M000003", rsmfOwner}, {"M000004", rsmfUnknown}, {"M000005", "+33611111111"},
	} {
		if got := byID[tt.exhibit].Participant; got != tt.want {
			t.Errorf("%s: participant %q, want %q", tt.exhibit, got, tt.want)
		}
	}
	members := map[string][]string{}
	for _, c := range man.Conversations {
		members[c.ID] = c.Participants
	}
	for _, tt := range []struct{ conv, who string }{
		{"sms:+33612345601", rsmfOwner}, {"sms:+33611111111", rsmfOwner}, {"group-1", rsmfOwner}, {"sms:+33611111111", "+33611111111"},
	} {
		if !containsStr(members[tt.conv], tt.who) {
			t.Errorf("conversation %s: participants %q lack %q", tt.conv, members[tt.conv], tt.who)
		}
	}
	if e := byID["M000006"]; fmt.Sprint(e.Custom) != "[{exhibit_id M000006} {direction incoming} {source_sha256 aa} {location line 6} {attachment_1 (image/png) sha256:ff}]" {
		t.Errorf("M000006 custom fields: %v", e.Custom)
	}
	if h := string(files["hand-built"]); !strings.Contains(h, "\r\nX-RSMF-EventCount: 6\r\n") || !strings.Contains(h, "\r\nX-Raidtrace-Untimed: 1 ") {
		t.Errorf("headers do not count 6 events and 1 message without a time")
	}
}

// TestRSMF10CheckerCatches makes sure checkRSMF10 is not blind: manifests breaking RSMF 1.0.0
// in each way the export could are reported.
func TestRSMF10CheckerCatches(t *testing.T) {
	good := rsmfModel()
	good.Derive()
	tests := []struct {
		name   string
		change func(*rsmfManifest)
		want   string
	}{
		{"event without participant", func(m *rsmfManifest) { m.Events[1].Participant = "" }, "/events/1/participant"},
		{"undefined participant", func(m *rsmfManifest) { m.Events[0].Participant = "nobody" }, `"nobody" is not a defined participant`},
		{"undefined conversation", func(m *rsmfManifest) { m.Events[0].Conversation = "c9" }, `"c9" is not a defined conversation`},
		{"participant outside its conversation", func(m *rsmfManifest) { m.Conversations[0].Participants = m.Conversations[0].Participants[1:] }, "is not among the participants"},
		{"no timestamp", func(m *rsmfManifest) { m.Events[2].Timestamp = "" }, "/events/2/timestamp"},
		{"empty platform", func(m *rsmfManifest) { m.Conversations[0].Platform = "" }, "/conversations/0/platform"},
		{"bad type", func(m *rsmfManifest) { m.Conversations[0].Type = "group" }, "/conversations/0/type"},
		{"empty custom value", func(m *rsmfManifest) { m.Events[0].Custom = append(m.Events[0].Custom, rsmfCustom{"x", ""}) }, "/events/0/custom/"},
		{"2.0 field", func(m *rsmfManifest) { m.Version = "2.0.0" }, "/version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			man, _, err := good.rsmfManifestOf()
			if err != nil {
				t.Fatal(err)
			}
			for _, msg := range good.Messages {
				if !msg.Time.IsZero() {
					man.Events = append(man.Events, rsmfEventOf(&msg, 0))
				}
			}
			tt.change(&man)
			var b bytes.Buffer
			js, _ := json.Marshal(man)
			if err := writeTestRSMF(&b, js, len(man.Events)); err != nil {
				t.Fatal(err)
			}
			errs := checkRSMF10(t, b.Bytes())
			if !strings.Contains(strings.Join(errs, "\n"), tt.want) {
				t.Errorf("want a report containing %q; got:\n  %s", tt.want, strings.Join(errs, "\n  "))
			}
		})
	}
	// a 2.0 property in a 1.0.0 manifest
	var b bytes.Buffer
	writeTestRSMF(&b, []byte(`{"version":"1.0.0","participants":[{"id":"p","display":"p"}],"conversations":[{"id":"c","display":"c","platform":"sms","type":"direct","participants":["p"]}],"events":[{"type":"message","participant":"p","conversation":"c","timestamp":"2024-05-01T20:13:07Z","direction":"incoming"}]}`), 1)
	if errs := checkRSMF10(t, b.Bytes()); !strings.Contains(strings.Join(errs, "\n"), "/events/0/direction: not a property") {
		t.Errorf("direction in a 1.0.0 manifest not reported: %q", errs)
	}
}

// writeTestRSMF wraps a manifest in an RSMF file laid out as WriteRSMF lays it out.
func writeTestRSMF(b *bytes.Buffer, manifest []byte, events int) error {
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	fw, err := zw.Create("rsmf_manifest.json")
	if err != nil {
		return err
	}
	fw.Write(manifest)
	if err := zw.Close(); err != nil {
		return err
	}
	fmt.Fprintf(b, "X-RSMF-Version: 1.0.0\r\nX-RSMF-EventCount: %d\r\nContent-Type: multipart/mixed; boundary=\"raidtrace-x\"\r\n\r\n", events)
	fmt.Fprintf(b, "--raidtrace-x\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\ndGV4dA==\r\n")
	fmt.Fprintf(b, "--raidtrace-x\r\nContent-Type: application/zip\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n--raidtrace-x--\r\n",
		base64.StdEncoding.EncodeToString(z.Bytes()))
	return nil
}
