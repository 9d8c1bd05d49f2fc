package xarchive

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/jsonerr"
)

// archive holds what one import learns as it goes: the owner, the id→handle map built from
// mentions and replies, and the note tweets waiting for their tweet.
type archive struct {
	ctx  context.Context
	opt  importers.Options
	sink importers.Sink

	files    []member
	manifest []manifestFile
	owner    importers.Party
	handles  map[string]importers.Party // account id → handle and name seen in the archive
	notes    map[int64][]*note          // by creation second
	noteList []*note
	done     int64 // bytes read, for opt.Progress
	total    int64 // bytes of all the files to read, 0 when unknown
	failed   error
	sinkErr  error
}

func newArchive(ctx context.Context, opt importers.Options, sink importers.Sink) *archive {
	a := &archive{ctx: ctx, opt: opt, sink: sink, handles: map[string]importers.Party{},
		notes: map[int64][]*note{}}
	if o := strings.TrimPrefix(strings.TrimSpace(opt.Owner), "@"); o != "" {
		if _, err := strconv.ParseUint(o, 10, 64); err == nil {
			a.owner.ID = o
		} else {
			a.owner.Handle = o
		}
	}
	return a
}

func (a *archive) problem(loc string, reason importers.Msg) {
	a.sink.Problem(reason.Problem(loc))
}

func (a *archive) warn(loc string, reason importers.Msg) {
	a.sink.Problem(reason.Warning(loc))
}

var (
	reasonBadTime      = importers.NewReason("x-bad-time", "time {{.Raw}} not understood; imported without a time")
	reasonNoJSON       = importers.NewReason("x-no-json", "no JSON {{.Char}} found")
	reasonCount        = importers.NewReason("x-manifest-count", "manifest announces {{.Want}} entries, the file holds {{.N}}")
	reasonOwnerDiffers = importers.NewReason("x-owner-differs", "case owner {{.Owner}} differs from the archive's account {{.Account}}")
	reasonNoNote       = importers.NewReason("x-no-note-tweet", "no noteTweet object")
	reasonNoteAlone    = importers.NewReason("x-note-alone", "long post matched no tweet (same second, same beginning); imported on its own")
	reasonNoFullText   = importers.NewReason("x-tweet-incomplete", "tweet without id or full_text")
	reasonNoConv       = importers.NewReason("x-no-dm-conversation", "no dmConversation object")
	reasonUnknownItem  = importers.NewReason("x-unknown-dm-item", "unknown conversation item: {{.Keys}}")
	reasonNoDMText     = importers.NewReason("x-dm-without-text", "direct message without text")
)

// emit sends r to the sink; a sink error stops the import.
func (a *archive) emit(r importers.Record) error {
	if r.Kind == "" {
		r.Kind = "message"
	}
	if r.Time.IsZero() {
		a.warn(r.Location, reasonBadTime.M("Raw", strconv.Quote(r.RawTime)))
	}
	if err := a.sink.Record(r); err != nil {
		a.sinkErr = fmt.Errorf("%s: %w", r.Location, err)
		return a.sinkErr
	}
	return nil
}

// isOwner reports whether id is the archive owner's account id.
func (a *archive) isOwner(id string) bool { return id != "" && id == a.owner.ID }

// direction tells a DM's direction from its sender.
func (a *archive) direction(sender string) importers.Direction {
	switch {
	case a.owner.ID == "":
		return importers.Unknown
	case sender == a.owner.ID:
		return importers.Outgoing
	}
	return importers.Incoming
}

// party returns the account id with the handle and name learnt from the archive.
func (a *archive) party(id string) importers.Party {
	if id == "" {
		return importers.Party{}
	}
	if a.isOwner(id) {
		return a.owner
	}
	p := a.handles[id]
	p.ID = id
	return p
}

// learn records a handle (and name) for an account id.
func (a *archive) learn(id, handle, name string) {
	if id == "" || handle == "" || a.isOwner(id) {
		return
	}
	p := a.handles[id]
	p.Handle = handle
	if name != "" {
		p.Name = name
	}
	a.handles[id] = p
}

// elements decodes the JSON array that follows the first open bracket of r (after a
// "window.YTD.x.part0 = " or "Grailbird.data.y =" wrapper), one element at a time, with
// [jsonerr.Scanner], and returns how many elements it read. An element that is not valid JSON or
// is longer than the record limit (opt.RecordLimit()) is reported at name#/i and the next one is
// read; when the file ends inside the array, the complete elements before the end are decoded
// and a ParseError located at the element where it ends is returned.
func (a *archive) elements(r *bufio.Reader, name string, fn func(i int, raw json.RawMessage) error) (int, error) {
	skipped, err := skipTo(r, '[')
	if err != nil {
		return 0, err
	}
	s := jsonerr.NewScanner(io.MultiReader(strings.NewReader("["), r), skipped-1, a.opt.RecordLimit())
	n := 0
	err = s.Array("", func(e jsonerr.Element) error {
		n++
		if err := a.ctx.Err(); err != nil {
			return err
		}
		if !e.Problem.IsZero() {
			p := e.Problem.Problem(name + "#" + e.Pointer)
			p.Warning = e.Warning
			a.sink.Problem(p)
			if e.Warning {
				n--
			}
			return nil
		}
		return fn(e.Index, e.Raw)
	})
	var d *jsonerr.Damage
	if errors.As(err, &d) {
		return n, d.At("#" + d.Pointer)
	}
	return n, err
}

// skipTo reads r up to and including the first c, and returns how many bytes it read; the JS
// wrapper before it is not JSON.
func skipTo(r *bufio.Reader, c byte) (int64, error) {
	var n int64
	for {
		b, err := r.ReadByte()
		if err == io.EOF {
			return n, &importers.ParseError{Location: "start of file",
				Err: importers.Truncated(reasonNoJSON.M("Char", strconv.Quote(string(c))))}
		}
		if err != nil {
			return n, err
		}
		n++
		if b == c {
			return n, nil
		}
	}
}

// unmarshal decodes raw into v. A field of an unexpected type is only a warning when ok()
// says the essentials decoded and the field is none of them (essential lists their JSON names);
// otherwise the element is reported and skipped. It reports whether to go on with v.
func (a *archive) unmarshal(loc string, raw []byte, v any, ok func() bool, essential ...string) bool {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return true
	}
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		a.problem(loc, jsonerr.ReasonCannotDecode.M("Err", err))
		return false
	}
	field := te.Field[strings.LastIndex(te.Field, ".")+1:]
	if ok() && !slices.Contains(essential, field) {
		a.warn(loc, jsonerr.ReasonImportedAnyway.M("Err", jsonerr.TypeReason(err)))
		return true
	}
	a.problem(loc, jsonerr.TypeReason(err))
	return false
}

// manifestFile is one entry of manifest.js's dataTypes.<type>.files.
type manifestFile struct {
	dataType, fileName string
	part, count        int
}

func (a *archive) readManifest(src source, name string) error {
	rc, _, err := src.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	r := bufio.NewReader(rc)
	if _, err := skipTo(r, '{'); err != nil {
		return err
	}
	var m struct {
		UserInfo struct {
			AccountID   string `json:"accountId"`
			UserName    string `json:"userName"`
			DisplayName string `json:"displayName"`
		} `json:"userInfo"`
		DataTypes map[string]struct {
			Files []struct {
				FileName   string `json:"fileName"`
				GlobalName string `json:"globalName"`
				Count      string `json:"count"`
			} `json:"files"`
		} `json:"dataTypes"`
	}
	if err := json.NewDecoder(io.MultiReader(strings.NewReader("{"), r)).Decode(&m); err != nil {
		return err
	}
	a.setOwner(m.UserInfo.AccountID, m.UserInfo.UserName, m.UserInfo.DisplayName)
	for typ, dt := range m.DataTypes {
		for _, f := range dt.Files {
			count, err := strconv.Atoi(f.Count)
			if err != nil {
				count = -1
			}
			part := 0
			if i := strings.LastIndex(f.GlobalName, ".part"); i >= 0 {
				part, _ = strconv.Atoi(f.GlobalName[i+5:])
			}
			a.manifest = append(a.manifest, manifestFile{dataType: typ, fileName: f.FileName, part: part, count: count})
		}
	}
	return nil
}

// setOwner fills what is still unknown about the owner.
func (a *archive) setOwner(id, handle, name string) {
	if a.owner.ID == "" {
		a.owner.ID = id
	}
	if a.owner.Handle == "" {
		a.owner.Handle = handle
	}
	if a.owner.Name == "" {
		a.owner.Name = name
	}
}

// checkCount warns when a file holds another number of entries than the manifest announced.
func (a *archive) checkCount(m member, n int) {
	if m.count >= 0 && n != m.count {
		a.warn(m.where(), reasonCount.M("Want", m.count, "N", n))
	}
}

func (a *archive) readAccount(r *bufio.Reader, m member) error {
	_, err := a.elements(r, m.name, func(i int, raw json.RawMessage) error {
		var e struct {
			Account struct {
				AccountID   string `json:"accountId"`
				Username    string `json:"username"`
				DisplayName string `json:"accountDisplayName"`
			} `json:"account"`
		}
		if json.Unmarshal(raw, &e) == nil {
			acc := e.Account
			if a.owner.ID != "" && acc.AccountID != "" && a.owner.ID != acc.AccountID && a.owner.Handle == "" {
				a.warn(m.name, reasonOwnerDiffers.M("Owner", a.owner.ID, "Account", acc.AccountID))
			}
			// account.js is the authority on the owner.
			if acc.AccountID != "" {
				a.owner = importers.Party{ID: acc.AccountID, Handle: acc.Username, Name: acc.DisplayName}
			}
		}
		return nil
	})
	return err
}

// note is a long post from note-tweet.js.
type note struct {
	id, text, raw, loc string
	created            time.Time
	used               bool
}

func (a *archive) readNotes(r *bufio.Reader, m member) error {
	n, err := a.elements(r, m.name, func(i int, raw json.RawMessage) error {
		loc := fmt.Sprintf("%s#/%d/noteTweet", m.name, i)
		var e struct {
			NoteTweet *struct {
				NoteTweetID string `json:"noteTweetId"`
				CreatedAt   string `json:"createdAt"`
				Core        struct {
					Text     string `json:"text"`
					Mentions []struct {
						ScreenName string `json:"screenName"`
					} `json:"mentions"`
				} `json:"core"`
			} `json:"noteTweet"`
		}
		if !a.unmarshal(loc, raw, &e, func() bool { return e.NoteTweet != nil && e.NoteTweet.Core.Text != "" }, "text", "createdAt", "noteTweetId") {
			return nil
		}
		if e.NoteTweet == nil {
			a.problem(loc, reasonNoNote.M())
			return nil
		}
		nt := &note{id: e.NoteTweet.NoteTweetID, text: e.NoteTweet.Core.Text, raw: e.NoteTweet.CreatedAt, loc: loc}
		nt.created, _ = time.Parse(time.RFC3339Nano, nt.raw)
		nt.created = nt.created.UTC()
		a.noteList = append(a.noteList, nt)
		sec := nt.created.Unix()
		a.notes[sec] = append(a.notes[sec], nt)
		return nil
	})
	a.checkCount(m, n)
	return err
}

// matchNote finds the unused note created in the same second as a tweet whose (truncated) text
// begins it.
func (a *archive) matchNote(t time.Time, text string) *note {
	cands := a.notes[t.Unix()]
	if len(cands) == 0 {
		return nil
	}
	prefix := text
	if i := strings.LastIndex(prefix, "…"); i >= 0 {
		prefix = prefix[:i]
	}
	if i := strings.Index(prefix, "http"); i >= 0 {
		prefix = prefix[:i]
	}
	prefix = strings.Join(strings.Fields(prefix), " ")
	var only *note
	free := 0
	for _, nt := range cands {
		if nt.used {
			continue
		}
		free++
		only = nt
		if prefix != "" && strings.HasPrefix(strings.Join(strings.Fields(nt.text), " "), prefix) {
			return nt
		}
	}
	if prefix == "" && free == 1 {
		return only
	}
	return nil
}

// flushNotes imports the notes that no tweet claimed, so that none is lost.
func (a *archive) flushNotes() {
	for _, nt := range a.noteList {
		if nt.used || a.sinkErr != nil {
			continue
		}
		r := importers.Record{Location: nt.loc, Platform: "x", Time: nt.created, RawTime: nt.raw,
			Sender: a.owner, Direction: importers.Outgoing, Text: nt.text,
			Extra: map[string]string{"note_tweet_id": nt.id}}
		a.warn(nt.loc, reasonNoteAlone.M())
		if a.emit(r) != nil {
			return
		}
	}
}

// tweetJS is an entry of tweets.js / tweet.js / deleted-tweets.js.
type tweetJS struct {
	ID                   json.Number `json:"id"`
	IDStr                string      `json:"id_str"`
	FullText             *string     `json:"full_text"`
	Text                 *string     `json:"text"`
	CreatedAt            string      `json:"created_at"`
	DeletedAt            string      `json:"deleted_at"`
	Lang                 string      `json:"lang"`
	InReplyToStatusIDStr string      `json:"in_reply_to_status_id_str"`
	InReplyToUserIDStr   string      `json:"in_reply_to_user_id_str"`
	InReplyToScreenName  string      `json:"in_reply_to_screen_name"`
	Entities             struct {
		UserMentions []struct {
			Name       string `json:"name"`
			ScreenName string `json:"screen_name"`
			IDStr      string `json:"id_str"`
		} `json:"user_mentions"`
	} `json:"entities"`
	EditInfo struct {
		Edit *struct {
			InitialTweetID string `json:"initialTweetId"`
		} `json:"edit"`
	} `json:"edit_info"`
}

func (t *tweetJS) id() string {
	if t.IDStr != "" {
		return t.IDStr
	}
	return t.ID.String()
}

func (t *tweetJS) text() (string, bool) {
	switch {
	case t.FullText != nil:
		return *t.FullText, true
	case t.Text != nil:
		return *t.Text, true
	}
	return "", false
}

func (a *archive) readTweets(r *bufio.Reader, m member) error {
	n, err := a.elements(r, m.name, func(i int, raw json.RawMessage) error {
		loc := fmt.Sprintf("%s#/%d/tweet", m.name, i)
		var e struct {
			Tweet json.RawMessage `json:"tweet"`
		}
		t := &tweetJS{}
		ok := func() bool { _, has := t.text(); return t.id() != "" && has }
		essential := []string{"id", "id_str", "full_text", "text", "created_at"}
		if err := json.Unmarshal(raw, &e); err == nil && e.Tweet != nil {
			if !a.unmarshal(loc, e.Tweet, t, ok, essential...) {
				return nil
			}
		} else {
			// 2019 archives (tweet.js) hold the tweet objects without a "tweet" wrapper.
			loc = fmt.Sprintf("%s#/%d", m.name, i)
			if !a.unmarshal(loc, raw, t, ok, essential...) {
				return nil
			}
		}
		text, has := t.text()
		if t.id() == "" || !has {
			a.problem(loc, reasonNoFullText.M())
			return nil
		}
		rec := importers.Record{Location: loc, Platform: "x", PlatformID: t.id(), RawTime: t.CreatedAt,
			Sender: a.owner, Direction: importers.Outgoing, Text: html.UnescapeString(text)}
		rec.Time = parseTime(time.RubyDate, t.CreatedAt)
		extra := map[string]string{}
		set := func(k, v string) {
			if v != "" {
				extra[k] = v
			}
		}
		if t.InReplyToUserIDStr != "" || t.InReplyToScreenName != "" {
			a.learn(t.InReplyToUserIDStr, t.InReplyToScreenName, "")
			rec.Recipients = append(rec.Recipients, importers.Party{ID: t.InReplyToUserIDStr, Handle: t.InReplyToScreenName})
		}
		for _, mn := range t.Entities.UserMentions {
			a.learn(mn.IDStr, mn.ScreenName, mn.Name)
			if mn.IDStr != "" && mn.IDStr == t.InReplyToUserIDStr {
				rec.Recipients[0].Name = mn.Name
				continue
			}
			rec.Recipients = append(rec.Recipients, importers.Party{ID: mn.IDStr, Handle: mn.ScreenName, Name: mn.Name})
		}
		set("in_reply_to_status_id", t.InReplyToStatusIDStr)
		set("in_reply_to_user_id", t.InReplyToUserIDStr)
		set("in_reply_to_screen_name", t.InReplyToScreenName)
		set("lang", t.Lang)
		if strings.HasPrefix(text, "RT @") {
			extra["retweet"] = "true"
		}
		if t.EditInfo.Edit != nil {
			set("initialTweetId", t.EditInfo.Edit.InitialTweetID)
		}
		if m.kind == kindDeleted {
			extra["deleted_at"] = t.DeletedAt // as written: "Sat Nov 09 15:30:00 +0000 2024"
		}
		if nt := a.matchNote(rec.Time, rec.Text); nt != nil {
			nt.used = true
			extra["note_tweet_id"] = nt.id
			extra["truncated_full_text"] = rec.Text
			rec.Text = nt.text
		}
		if len(extra) > 0 {
			rec.Extra = extra
		}
		return a.emit(rec)
	})
	a.checkCount(m, n)
	return err
}

// dmMessage is a messageCreate item of a DM conversation.
type dmMessage struct {
	ID          string   `json:"id"`
	SenderID    string   `json:"senderId"`
	RecipientID string   `json:"recipientId"`
	Text        *string  `json:"text"`
	CreatedAt   string   `json:"createdAt"`
	MediaURLs   []string `json:"mediaUrls"`
	Reactions   []struct {
		SenderID    string `json:"senderId"`
		ReactionKey string `json:"reactionKey"`
		EventID     string `json:"eventId"`
		CreatedAt   string `json:"createdAt"`
	} `json:"reactions"`
}

// dmEvent is a non-message item of a group conversation.
type dmEvent struct {
	InitiatingUserID     string   `json:"initiatingUserId"`
	UserIDs              []string `json:"userIds"`
	ParticipantsSnapshot []string `json:"participantsSnapshot"`
	Name                 string   `json:"name"`
	CreatedAt            string   `json:"createdAt"`
}

var dmEventKeys = []string{"joinConversation", "participantsJoin", "participantsLeave", "conversationNameUpdate"}

func (a *archive) readDMs(r *bufio.Reader, m member) error {
	platform := "x-dm"
	n, err := a.elements(r, m.name, func(i int, raw json.RawMessage) error {
		loc := fmt.Sprintf("%s#/%d/dmConversation", m.name, i)
		var e struct {
			Conv *struct {
				ConversationID string            `json:"conversationId"`
				Messages       []json.RawMessage `json:"messages"`
			} `json:"dmConversation"`
		}
		if err := json.Unmarshal(raw, &e); err != nil || e.Conv == nil {
			reason := reasonNoConv.M()
			if err != nil {
				reason = jsonerr.ReasonCannotDecode.M("Err", jsonerr.TypeReason(err))
			}
			a.problem(loc, reason)
			return nil
		}
		conv := e.Conv.ConversationID
		for j, mraw := range e.Conv.Messages {
			mloc := fmt.Sprintf("%s/messages/%d", loc, j)
			var item map[string]json.RawMessage
			if err := json.Unmarshal(mraw, &item); err != nil {
				a.problem(mloc, jsonerr.ReasonCannotDecode.M("Err", jsonerr.TypeReason(err)))
				continue
			}
			if mc, ok := item["messageCreate"]; ok {
				if err := a.dmMessage(mloc+"/messageCreate", mc, conv, platform); err != nil {
					return err
				}
				continue
			}
			done := false
			for _, k := range dmEventKeys {
				if ev, ok := item[k]; ok {
					if err := a.dmEvent(mloc+"/"+k, k, ev, conv, platform); err != nil {
						return err
					}
					done = true
					break
				}
			}
			if !done {
				keys := make([]string, 0, len(item))
				for k := range item {
					keys = append(keys, k)
				}
				a.problem(mloc, reasonUnknownItem.M("Keys", strings.Join(keys, ", ")))
			}
		}
		return nil
	})
	a.checkCount(m, n)
	return err
}

func (a *archive) dmMessage(loc string, raw json.RawMessage, conv, platform string) error {
	var dm dmMessage
	if !a.unmarshal(loc, raw, &dm, func() bool { return dm.ID != "" && dm.Text != nil }, "id", "text", "senderId", "createdAt") {
		return nil
	}
	if dm.Text == nil {
		a.problem(loc, reasonNoDMText.M())
		return nil
	}
	rec := importers.Record{Location: loc, Platform: platform, PlatformID: dm.ID, Conversation: conv,
		RawTime: dm.CreatedAt, Time: parseTime(time.RFC3339Nano, dm.CreatedAt),
		Sender: a.party(dm.SenderID), Direction: a.direction(dm.SenderID), Text: html.UnescapeString(*dm.Text)}
	if dm.RecipientID != "" {
		rec.Recipients = []importers.Party{a.party(dm.RecipientID)}
	}
	for _, u := range dm.MediaURLs {
		rec.Attachments = append(rec.Attachments, importers.Attachment{Name: u})
	}
	if err := a.emit(rec); err != nil {
		return err
	}
	for k, re := range dm.Reactions {
		rr := importers.Record{Location: fmt.Sprintf("%s/reactions/%d", loc, k), Platform: platform,
			PlatformID: re.EventID, Conversation: conv, RawTime: re.CreatedAt,
			Time: parseTime(time.RFC3339Nano, re.CreatedAt), Sender: a.party(re.SenderID),
			Direction: a.direction(re.SenderID), Text: re.ReactionKey, Kind: "reaction",
			Extra: map[string]string{"messageId": dm.ID}}
		if err := a.emit(rr); err != nil {
			return err
		}
	}
	return nil
}

func (a *archive) dmEvent(loc, key string, raw json.RawMessage, conv, platform string) error {
	var ev dmEvent
	if !a.unmarshal(loc, raw, &ev, func() bool { return ev.CreatedAt != "" }, "createdAt", "initiatingUserId") {
		return nil
	}
	sender, added := ev.InitiatingUserID, ev.UserIDs
	if sender == "" && len(ev.UserIDs) == 1 {
		sender, added = ev.UserIDs[0], nil // participantsLeave names who left
	}
	rec := importers.Record{Location: loc, Platform: platform, Conversation: conv, RawTime: ev.CreatedAt,
		Time: parseTime(time.RFC3339Nano, ev.CreatedAt), Sender: a.party(sender),
		Direction: a.direction(sender), Kind: "event", Extra: map[string]string{"event": key}}
	if len(ev.ParticipantsSnapshot) > 0 {
		rec.Extra["participantsSnapshot"] = strings.Join(ev.ParticipantsSnapshot, ",")
	}
	if len(ev.UserIDs) > 0 {
		rec.Extra["userIds"] = strings.Join(ev.UserIDs, ",")
		for _, u := range added {
			rec.Recipients = append(rec.Recipients, a.party(u))
		}
	}
	if ev.Name != "" {
		rec.Extra["name"] = ev.Name
	}
	return a.emit(rec)
}

func parseTime(layout, s string) time.Time {
	t, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
