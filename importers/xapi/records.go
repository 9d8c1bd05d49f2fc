package xapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"sort"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/jsonerr"
)

// user is an account as the API gives it: v2 (id, username, name) or v1.1 (id, id_str,
// screen_name, name). Mentions have the same fields.
type user struct {
	ID         json.Number `json:"id"`
	IDStr      string      `json:"id_str"`
	Username   string      `json:"username"`
	ScreenName string      `json:"screen_name"`
	Name       string      `json:"name"`
}

func (u *user) id() string {
	if u.IDStr != "" {
		return u.IDStr
	}
	return u.ID.String()
}

func (u *user) handle() string {
	if u.Username != "" {
		return u.Username
	}
	return u.ScreenName
}

func (u *user) party() importers.Party {
	return importers.Party{ID: u.id(), Handle: u.handle(), Name: u.Name}
}

type entities struct {
	Mentions     []user `json:"mentions"`      // v2
	UserMentions []user `json:"user_mentions"` // v1.1
}

// object is the union of every JSON object a capture holds: envelopes (pages, search results,
// event lists), v2 and v1.1 tweets, legacy DMs and DM events. One decode serves every shape;
// which fields are set tells the shape.
type object struct {
	// v2 envelopes (twarc2 pages and stream lines)
	Data     json.RawMessage `json:"data"`
	Includes *struct {
		Users []user `json:"users"`
	} `json:"includes"`
	// v1.1 envelopes
	Statuses []json.RawMessage `json:"statuses"`
	Results  []json.RawMessage `json:"results"`
	Events   []json.RawMessage `json:"events"`
	DMEvents []json.RawMessage `json:"direct_message_events"`
	Event    json.RawMessage   `json:"event"`
	DM       json.RawMessage   `json:"direct_message"`
	Users    json.RawMessage   `json:"users"`
	Apps     map[string]struct {
		Name string `json:"name"`
	} `json:"apps"`
	Errors json.RawMessage `json:"errors"`

	// a tweet, v2 or v1.1
	ID            json.Number `json:"id"`
	IDStr         string      `json:"id_str"`
	Text          *string     `json:"text"`
	FullText      *string     `json:"full_text"`
	ExtendedTweet *struct {
		FullText string `json:"full_text"`
	} `json:"extended_tweet"`
	NoteTweet *struct {
		Text string `json:"text"`
	} `json:"note_tweet"`
	CreatedAt string   `json:"created_at"`
	Lang      string   `json:"lang"`
	Entities  entities `json:"entities"`
	// v2
	AuthorID         string      `json:"author_id"`
	Author           *user       `json:"author"`
	ConversationID   string      `json:"conversation_id"`
	InReplyToUserID  json.Number `json:"in_reply_to_user_id"`
	ReferencedTweets []struct {
		Type string `json:"type"`
		ID   string `json:"id"`
	} `json:"referenced_tweets"`
	// v2 DM events (/2/dm_events)
	EventType        string      `json:"event_type"`
	DMConversationID string      `json:"dm_conversation_id"`
	SenderIDTop      json.Number `json:"sender_id"`
	ParticipantIDs   []string    `json:"participant_ids"`
	// v1.1
	User                 *user  `json:"user"`
	InReplyToStatusIDStr string `json:"in_reply_to_status_id_str"`
	InReplyToUserIDStr   string `json:"in_reply_to_user_id_str"`
	InReplyToScreenName  string `json:"in_reply_to_screen_name"`
	RetweetedStatus      *struct {
		IDStr string `json:"id_str"`
	} `json:"retweeted_status"`
	QuotedStatusIDStr string `json:"quoted_status_id_str"`
	// v1.1 legacy DM
	Sender              *user  `json:"sender"`
	Recipient           *user  `json:"recipient"`
	SenderIDStr         string `json:"sender_id_str"`
	SenderScreenName    string `json:"sender_screen_name"`
	RecipientIDStr      string `json:"recipient_id_str"`
	RecipientScreenName string `json:"recipient_screen_name"`
	// v1.1 DM event
	Type             string `json:"type"`
	CreatedTimestamp string `json:"created_timestamp"`
	MessageCreate    *struct {
		Target struct {
			RecipientID string `json:"recipient_id"`
		} `json:"target"`
		SenderID    string `json:"sender_id"`
		SourceAppID string `json:"source_app_id"`
		MessageData struct {
			Text string `json:"text"`
		} `json:"message_data"`
	} `json:"message_create"`
}

func (o *object) id() string {
	if o.IDStr != "" {
		return o.IDStr
	}
	return o.ID.String()
}

// streamNotices are the keys of v1.1 stream control messages, which are not messages.
var streamNotices = []string{"delete", "limit", "scrub_geo", "status_withheld", "user_withheld",
	"disconnect", "warning", "friends", "friends_str", "event", "control"}

// users maps account ids to accounts, from includes.users or a DM event list's users.
type users map[string]user

func (us users) party(id string) importers.Party {
	if u, ok := us[id]; ok {
		p := u.party()
		if p.ID == "" {
			p.ID = id
		}
		return p
	}
	return importers.Party{ID: id}
}

var (
	reasonNotObject = importers.NewReason("xapi-not-object", "not a JSON object")
	reasonEventType = importers.NewReason("xapi-event-type", "direct message event of type {{.Type}} is not a message")
	reasonNotice    = importers.NewReason("xapi-stream-notice", "stream notice {{.Notice}}, not a message")
	reasonAPIError  = importers.NewReason("xapi-api-error", "API error response: {{.Errors}}")
	reasonNotTweet  = importers.NewReason("xapi-not-tweet", "not a tweet or direct message (keys: {{.Keys}})")
	reasonOwnerOne  = importers.NewReason("xapi-owner-one", "no case owner given (--owner): the direction of this direct message is left unknown; import again with --owner and the owner's account id or handle to set it")
	reasonOwnerNone = importers.NewReason("xapi-owner-none", "no case owner given (--owner), and no one account is party to all {{.N}} direct messages of the file: their direction is left unknown; import again with --owner and the owner's account id or handle to set it")
	reasonBadTime   = importers.NewReason("xapi-bad-time", "time {{.Raw}} not understood; imported without a time")
	// the owner taken from the messages
	reasonOwnerTaken = importers.NewReason("xapi-owner-taken", "no case owner given (--owner): account {{.Owner}}, party to all {{.N}} direct messages of the file, is taken for the owner; the directions of the messages follow from it")
)

// value decodes one JSON object (or, inside an envelope, one element) located at base+ptr.
func (d *decoder) value(raw []byte, base, ptr string) error {
	return d.valueWith(raw, base, ptr, nil, nil)
}

func (d *decoder) valueWith(raw []byte, base, ptr string, us users, apps map[string]string) error {
	loc := join(base, ptr)
	if len(raw) == 0 || raw[0] != '{' {
		d.problem(loc, reasonNotObject.M())
		return nil
	}
	var o object
	err := json.Unmarshal(raw, &o)
	var typeErr *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &typeErr) {
		d.problem(loc, reasonInvalidJSON.M("Err", syntaxReason(err)))
		return nil
	}
	if err != nil { // a field of an unexpected type: keep what decoded, say so
		defer func(reason importers.Msg) { d.warn(loc, reason) }(jsonerr.ReasonImportedAnyway.M("Err", jsonerr.TypeReason(err)))
	}

	switch {
	case o.Data != nil && (o.Data[0] == '[' || o.Data[0] == '{'):
		us = users{}
		if o.Includes != nil {
			for _, u := range o.Includes.Users {
				us[u.id()] = u
			}
		}
		return d.elements(o.Data, base, ptr+"/data", us, nil)
	case o.Statuses != nil || o.Results != nil:
		key, list := "/statuses", o.Statuses
		if o.Statuses == nil {
			key, list = "/results", o.Results
		}
		for i, e := range list {
			if err := d.valueWith(e, base, ptr+key+"/"+strconv.Itoa(i), nil, nil); err != nil {
				return err
			}
		}
		return nil
	case o.Events != nil || o.DMEvents != nil:
		key, list := "/events", o.Events
		if o.Events == nil {
			key, list = "/direct_message_events", o.DMEvents
		}
		us = decodeUsers(o.Users)
		apps = map[string]string{}
		for id, a := range o.Apps {
			apps[id] = a.Name
		}
		for i, e := range list {
			if err := d.valueWith(e, base, ptr+key+"/"+strconv.Itoa(i), us, apps); err != nil {
				return err
			}
		}
		return nil
	case o.Event != nil && o.Event[0] == '{':
		return d.valueWith(o.Event, base, ptr+"/event", decodeUsers(o.Users), nil)
	case o.DM != nil && o.DM[0] == '{':
		return d.valueWith(o.DM, base, ptr+"/direct_message", nil, nil)
	case o.MessageCreate != nil || o.Type == "message_create":
		return d.emit(d.dmEvent(&o, us, apps), loc)
	case o.Type != "":
		d.problem(loc, reasonEventType.M("Type", strconv.Quote(o.Type)))
		return nil
	case o.EventType != "":
		if o.EventType != "MessageCreate" {
			d.problem(loc, reasonEventType.M("Type", strconv.Quote(o.EventType)))
			return nil
		}
		return d.emit(d.v2DM(&o, us), loc)
	case o.Sender != nil || o.SenderIDStr != "" || o.SenderScreenName != "":
		return d.emit(d.legacyDM(&o), loc)
	case o.User != nil && (o.Text != nil || o.FullText != nil):
		return d.emit(d.v1Status(&o), loc)
	case o.id() != "" && o.Text != nil && (o.AuthorID != "" || o.Author != nil || o.ConversationID != ""):
		return d.emit(d.v2Tweet(&o, us), loc)
	}
	var m map[string]json.RawMessage
	json.Unmarshal(raw, &m)
	for _, k := range streamNotices {
		if _, ok := m[k]; ok {
			d.problem(loc, reasonNotice.M("Notice", strconv.Quote(k)))
			return nil
		}
	}
	if o.Errors != nil {
		d.problem(loc, reasonAPIError.M("Errors", truncate(string(o.Errors), 200)))
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	d.problem(loc, reasonNotTweet.M("Keys", truncate(strings.Join(keys, ", "), 200)))
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// elements decodes data, a v2 tweet or an array of them.
func (d *decoder) elements(data json.RawMessage, base, ptr string, us users, apps map[string]string) error {
	if data[0] == '{' {
		return d.valueWith(data, base, ptr, us, apps)
	}
	var list []json.RawMessage
	if err := json.Unmarshal(data, &list); err != nil {
		d.problem(join(base, ptr), jsonerr.ReasonCannotDecode.M("Err", jsonerr.TypeReason(err)))
		return nil
	}
	for i, e := range list {
		if err := d.valueWith(e, base, ptr+"/"+strconv.Itoa(i), us, apps); err != nil {
			return err
		}
	}
	return nil
}

func decodeUsers(raw json.RawMessage) users {
	us := users{}
	if len(raw) == 0 {
		return us
	}
	if raw[0] == '{' {
		var m map[string]user
		if json.Unmarshal(raw, &m) == nil {
			for id, u := range m {
				us[id] = u
			}
		}
		return us
	}
	var l []user
	if json.Unmarshal(raw, &l) == nil {
		for _, u := range l {
			us[u.id()] = u
		}
	}
	return us
}

// emit sends r after setting its location and direction. Without a case owner, direct messages
// are held until the end of the input, when [decoder.flushDMs] settles their direction.
func (d *decoder) emit(r importers.Record, loc string) error {
	r.Location = loc
	r.Kind = "message"
	if d.owner == "" && r.Platform == "x-dm" {
		d.holdDM(r)
		return nil
	}
	if d.owner != "" && (r.Sender.ID == d.owner || strings.ToLower(r.Sender.Handle) == d.owner) {
		r.Direction = importers.Outgoing
	} else {
		r.Direction = importers.Incoming
	}
	return d.send(r)
}

// partyKey returns the ids (or, when there is none, lower-case handles) of p.
func partyKey(p importers.Party) string {
	if p.ID != "" {
		return p.ID
	}
	return strings.ToLower(p.Handle)
}

// holdDM keeps r, a direct message read without a case owner, and narrows the accounts party to
// every direct message held so far.
func (d *decoder) holdDM(r importers.Record) {
	parties := map[string]bool{}
	if k := partyKey(r.Sender); k != "" {
		parties[k] = true
	}
	for _, p := range r.Recipients {
		if k := partyKey(p); k != "" {
			parties[k] = true
		}
	}
	switch {
	case len(parties) < 2:
		// A message whose sender or recipient is not known says nothing about the owner, and
		// the owner cannot be told to be party to it: no one is taken for the owner.
		d.common = map[string]bool{}
	case len(d.held) == 0:
		d.common = parties
	default:
		for k := range d.common {
			if !parties[k] {
				delete(d.common, k)
			}
		}
	}
	d.held = append(d.held, r)
}

// flushDMs sends the direct messages held for want of a case owner. When exactly one account is
// party (sender or recipient) to every one of them, it is taken for the owner: its messages are
// outgoing, the others incoming, and a warning says so. Otherwise their direction stays unknown
// and one warning asks for the owner.
func (d *decoder) flushDMs() error {
	held := d.held
	d.held = nil
	if len(held) == 0 {
		return nil
	}
	owner := ""
	if len(d.common) == 1 {
		for k := range d.common {
			owner = k
		}
	}
	first := held[0].Location
	switch {
	case owner != "":
		d.warn(first, reasonOwnerTaken.M("Owner", owner, "N", len(held)))
	case len(held) == 1:
		d.warn(first, reasonOwnerOne.M())
	default:
		d.warn(first, reasonOwnerNone.M("N", len(held)))
	}
	for _, r := range held {
		switch {
		case owner == "":
			r.Direction = importers.Unknown
		case partyKey(r.Sender) == owner:
			r.Direction = importers.Outgoing
		default:
			r.Direction = importers.Incoming
		}
		if err := d.send(r); err != nil {
			return err
		}
	}
	return nil
}

// send reports r's missing time, if so, and hands r to the sink.
func (d *decoder) send(r importers.Record) error {
	loc := r.Location
	if r.Time.IsZero() {
		d.warn(loc, reasonBadTime.M("Raw", strconv.Quote(r.RawTime)))
	}
	d.count++
	if d.count%256 == 0 {
		if err := d.ctx.Err(); err != nil {
			return err
		}
	}
	if err := d.sink.Record(r); err != nil {
		return fmt.Errorf("%s: %w", loc, err)
	}
	return nil
}

func setExtra(r *importers.Record, k, v string) {
	if v == "" {
		return
	}
	if r.Extra == nil {
		r.Extra = map[string]string{}
	}
	r.Extra[k] = v
}

// addRecipient appends p to r's recipients unless an equal id or handle is already there.
func addRecipient(r *importers.Record, p importers.Party) {
	if p.IsZero() {
		return
	}
	for i, q := range r.Recipients {
		if (p.ID != "" && q.ID == p.ID) || (p.ID == "" && p.Handle != "" && strings.EqualFold(q.Handle, p.Handle)) {
			if q.Handle == "" {
				r.Recipients[i].Handle = p.Handle
			}
			if q.Name == "" {
				r.Recipients[i].Name = p.Name
			}
			return
		}
	}
	r.Recipients = append(r.Recipients, p)
}

// v2Text undoes the escaping the live v2 API applies to &, < and > (and nothing else, so that
// text a sender typed is never changed).
var v2Text = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

func (d *decoder) v2Tweet(o *object, us users) importers.Record {
	r := importers.Record{Platform: "x", PlatformID: o.id(), Conversation: o.ConversationID, RawTime: o.CreatedAt}
	r.Time = parseTime(time.RFC3339Nano, o.CreatedAt)
	if o.Author != nil {
		r.Sender = o.Author.party()
	} else {
		r.Sender = us.party(o.AuthorID)
	}
	if r.Sender.ID == "" {
		r.Sender.ID = o.AuthorID
	}
	r.Text = v2Text.Replace(*o.Text)
	if o.NoteTweet != nil && o.NoteTweet.Text != "" {
		r.Text = v2Text.Replace(o.NoteTweet.Text)
		setExtra(&r, "note_tweet", "true")
	}
	if reply := o.InReplyToUserID.String(); reply != "" {
		setExtra(&r, "in_reply_to_user_id", reply)
		p := us.party(reply)
		for _, m := range o.Entities.Mentions {
			if m.id() == reply && p.Handle == "" {
				p.Handle = m.handle()
			}
		}
		addRecipient(&r, p)
	}
	for _, m := range o.Entities.Mentions {
		p := m.party()
		if u, ok := us[p.ID]; ok && p.Name == "" {
			p.Name = u.Name
		}
		addRecipient(&r, p)
	}
	var refs []string
	for _, rt := range o.ReferencedTweets {
		refs = append(refs, rt.Type+":"+rt.ID)
		if rt.Type == "retweeted" {
			setExtra(&r, "retweet", "true")
		}
	}
	setExtra(&r, "referenced_tweets", strings.Join(refs, ","))
	setExtra(&r, "lang", o.Lang)
	return r
}

func (d *decoder) v1Status(o *object) importers.Record {
	r := importers.Record{Platform: "x", PlatformID: o.id(), RawTime: o.CreatedAt}
	r.Time = parseTime(time.RubyDate, o.CreatedAt)
	r.Sender = o.User.party()
	switch {
	case o.ExtendedTweet != nil && o.ExtendedTweet.FullText != "":
		r.Text = o.ExtendedTweet.FullText
	case o.FullText != nil:
		r.Text = *o.FullText
	case o.Text != nil:
		r.Text = *o.Text
	}
	r.Text = html.UnescapeString(r.Text)
	replyUser := o.InReplyToUserIDStr
	if replyUser == "" {
		replyUser = o.InReplyToUserID.String()
	}
	if replyUser != "" || o.InReplyToScreenName != "" {
		addRecipient(&r, importers.Party{ID: replyUser, Handle: o.InReplyToScreenName})
	}
	for _, m := range o.Entities.UserMentions {
		addRecipient(&r, m.party())
	}
	setExtra(&r, "in_reply_to_status_id", o.InReplyToStatusIDStr)
	setExtra(&r, "in_reply_to_user_id", replyUser)
	setExtra(&r, "in_reply_to_screen_name", o.InReplyToScreenName)
	setExtra(&r, "quoted_status_id", o.QuotedStatusIDStr)
	if o.RetweetedStatus != nil {
		setExtra(&r, "retweet", "true")
		setExtra(&r, "retweeted_status_id", o.RetweetedStatus.IDStr)
	}
	setExtra(&r, "lang", o.Lang)
	return r
}

// conversation returns the platform's one-to-one conversation id, "<smaller id>-<larger id>",
// as the account archive writes it, so that API and archive DMs share a thread.
func conversation(a, b string) string {
	if a == "" || b == "" {
		return ""
	}
	if len(a) > len(b) || (len(a) == len(b) && a > b) {
		a, b = b, a
	}
	return a + "-" + b
}

func (d *decoder) legacyDM(o *object) importers.Record {
	r := importers.Record{Platform: "x-dm", PlatformID: o.id(), RawTime: o.CreatedAt}
	r.Time = parseTime(time.RubyDate, o.CreatedAt)
	if o.Sender != nil {
		r.Sender = o.Sender.party()
	}
	if r.Sender.ID == "" {
		r.Sender.ID = o.SenderIDStr
	}
	if r.Sender.Handle == "" {
		r.Sender.Handle = o.SenderScreenName
	}
	var to importers.Party
	if o.Recipient != nil {
		to = o.Recipient.party()
	}
	if to.ID == "" {
		to.ID = o.RecipientIDStr
	}
	if to.Handle == "" {
		to.Handle = o.RecipientScreenName
	}
	addRecipient(&r, to)
	r.Conversation = conversation(r.Sender.ID, to.ID)
	if o.Text != nil {
		r.Text = html.UnescapeString(*o.Text)
	}
	return r
}

func (d *decoder) dmEvent(o *object, us users, apps map[string]string) importers.Record {
	r := importers.Record{Platform: "x-dm", PlatformID: o.id(), RawTime: o.CreatedTimestamp}
	if ms, err := strconv.ParseInt(o.CreatedTimestamp, 10, 64); err == nil {
		r.Time = time.UnixMilli(ms).UTC()
	}
	if mc := o.MessageCreate; mc != nil {
		r.Sender = us.party(mc.SenderID)
		addRecipient(&r, us.party(mc.Target.RecipientID))
		r.Conversation = conversation(mc.SenderID, mc.Target.RecipientID)
		r.Text = html.UnescapeString(mc.MessageData.Text)
		if name := apps[mc.SourceAppID]; name != "" {
			setExtra(&r, "source_app", name)
		}
	}
	return r
}

func (d *decoder) v2DM(o *object, us users) importers.Record {
	r := importers.Record{Platform: "x-dm", PlatformID: o.id(), Conversation: o.DMConversationID, RawTime: o.CreatedAt}
	r.Time = parseTime(time.RFC3339Nano, o.CreatedAt)
	sender := o.SenderIDTop.String()
	r.Sender = us.party(sender)
	for _, p := range o.ParticipantIDs {
		if p != sender {
			addRecipient(&r, us.party(p))
		}
	}
	if o.Text != nil {
		r.Text = v2Text.Replace(*o.Text)
	}
	return r
}

func parseTime(layout, s string) time.Time {
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
