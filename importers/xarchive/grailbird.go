package xarchive

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"strings"

	"raidtrace/importers"
)

// grailTime is the time layout of the pre-2019 archive, in tweets.csv and the monthly JS files.
const grailTime = "2006-01-02 15:04:05 -0700"

func (a *archive) readGrailUser(r *bufio.Reader, m member) error {
	if _, err := skipTo(r, '{'); err != nil {
		return err
	}
	var u struct {
		ID         json.Number `json:"id"`
		IDStr      string      `json:"id_str"`
		ScreenName string      `json:"screen_name"`
		FullName   string      `json:"full_name"`
	}
	if err := json.NewDecoder(io.MultiReader(strings.NewReader("{"), r)).Decode(&u); err != nil {
		a.warn(m.where(), "user details not readable: "+err.Error())
		return nil
	}
	id := u.IDStr
	if id == "" {
		id = u.ID.String()
	}
	a.setOwner(id, u.ScreenName, u.FullName)
	return nil
}

// grailTweet is an entry of data/js/tweets/YYYY_MM.js; its ids are JSON numbers above 2^53.
type grailTweet struct {
	ID                   json.Number `json:"id"`
	IDStr                string      `json:"id_str"`
	Text                 *string     `json:"text"`
	CreatedAt            string      `json:"created_at"`
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
	User *struct {
		IDStr      string `json:"id_str"`
		ScreenName string `json:"screen_name"`
		Name       string `json:"name"`
	} `json:"user"`
	RetweetedStatus *struct {
		IDStr string `json:"id_str"`
	} `json:"retweeted_status"`
}

func (a *archive) readGrailJS(r *bufio.Reader, m member) error {
	_, err := a.elements(r, m.name, func(i int, raw json.RawMessage) error {
		loc := fmt.Sprintf("%s#/%d", m.name, i)
		var t grailTweet
		id := func() string {
			if t.IDStr != "" {
				return t.IDStr
			}
			return t.ID.String()
		}
		if !a.unmarshal(loc, raw, &t, func() bool { return id() != "" && t.Text != nil }, "id", "id_str", "text", "created_at") {
			return nil
		}
		if id() == "" || t.Text == nil {
			a.problem(loc, "tweet without id or text")
			return nil
		}
		rec := importers.Record{Location: loc, Platform: "x", PlatformID: id(), RawTime: t.CreatedAt,
			Time: parseTime(grailTime, t.CreatedAt), Sender: a.owner, Direction: importers.Outgoing,
			Text: html.UnescapeString(*t.Text)}
		if t.User != nil {
			rec.Sender = importers.Party{ID: t.User.IDStr, Handle: t.User.ScreenName, Name: t.User.Name}
			if a.owner.ID != "" && t.User.IDStr != a.owner.ID {
				rec.Direction = importers.Incoming
			}
		}
		extra := map[string]string{}
		if t.InReplyToUserIDStr != "" || t.InReplyToScreenName != "" {
			a.learn(t.InReplyToUserIDStr, t.InReplyToScreenName, "")
			rec.Recipients = append(rec.Recipients, importers.Party{ID: t.InReplyToUserIDStr, Handle: t.InReplyToScreenName})
			extra["in_reply_to_user_id"] = t.InReplyToUserIDStr
			extra["in_reply_to_screen_name"] = t.InReplyToScreenName
		}
		if t.InReplyToStatusIDStr != "" {
			extra["in_reply_to_status_id"] = t.InReplyToStatusIDStr
		}
		for _, mn := range t.Entities.UserMentions {
			a.learn(mn.IDStr, mn.ScreenName, mn.Name)
			if mn.IDStr == "" || mn.IDStr != t.InReplyToUserIDStr {
				rec.Recipients = append(rec.Recipients, importers.Party{ID: mn.IDStr, Handle: mn.ScreenName, Name: mn.Name})
			}
		}
		if t.RetweetedStatus != nil {
			extra["retweet"] = "true"
			extra["retweeted_status_id"] = t.RetweetedStatus.IDStr
		}
		for k, v := range extra {
			if v == "" {
				delete(extra, k)
			}
		}
		if len(extra) > 0 {
			rec.Extra = extra
		}
		return a.emit(rec)
	})
	return err
}

// readGrailCSV reads tweets.csv: every field quoted, raw LF and CR inside text fields.
func (a *archive) readGrailCSV(r *bufio.Reader, m member) error {
	cr := csv.NewReader(&crKeeper{r: r})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil
		}
		return &importers.ParseError{Line: 1, Err: fmt.Errorf("header: %w", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	if a.owner.IsZero() {
		a.warn(m.where(), "tweets.csv does not name its owner (no data/js/user_details.js): set the case owner to attribute these tweets")
	}
	for _, need := range []string{"tweet_id", "timestamp", "text"} {
		if _, ok := col[need]; !ok {
			return &importers.ParseError{Line: 1, Err: fmt.Errorf("%w: no %q column", importers.ErrNotFormat, need)}
		}
	}
	var quote *csv.ParseError // a quote error, reported once we know whether the file ends there
	for {
		if err := a.ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if quote != nil {
			if err == io.EOF { // the quoted field ran to the end of the file: cut short
				return &importers.ParseError{Line: quote.StartLine, Location: fmt.Sprintf("line %d", quote.StartLine),
					Err: fmt.Errorf("%w: quoted field never closed", importers.ErrTruncated)}
			}
			a.problem(lineLoc(m.name, quote.StartLine), quote.Error())
			quote = nil
		}
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if errors.Is(err, csv.ErrQuote) {
				quote = pe
				continue
			}
			a.problem(lineLoc(m.name, pe.StartLine), err.Error())
			continue
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		loc := lineLoc(m.name, line)
		if len(rec) != len(header) {
			a.problem(loc, fmt.Sprintf("%d fields, the header has %d", len(rec), len(header)))
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return rec[i]
			}
			return ""
		}
		id, ts := get("tweet_id"), get("timestamp")
		if id == "" {
			a.problem(loc, "no tweet_id")
			continue
		}
		out := importers.Record{Location: loc, Platform: "x", PlatformID: id, RawTime: ts,
			Time: parseTime(grailTime, ts), Sender: a.owner, Direction: importers.Outgoing,
			Text: html.UnescapeString(strings.ReplaceAll(get("text"), keptCR, "\r"))}
		extra := map[string]string{}
		for _, k := range []string{"in_reply_to_status_id", "in_reply_to_user_id", "retweeted_status_id",
			"retweeted_status_user_id", "retweeted_status_timestamp", "expanded_urls", "source"} {
			if v := get(k); v != "" {
				extra[k] = v
			}
		}
		if u := get("in_reply_to_user_id"); u != "" {
			out.Recipients = []importers.Party{a.party(u)}
		}
		if extra["retweeted_status_id"] != "" {
			extra["retweet"] = "true"
		}
		if len(extra) > 0 {
			out.Extra = extra
		}
		if err := a.emit(out); err != nil {
			return err
		}
	}
}

// keptCR stands in for a carriage return inside a quoted field while encoding/csv reads it
// (encoding/csv turns a quoted "\r\n" into "\n"; tweets.csv texts hold real CRs).
const keptCR = "\uE00D"

// crKeeper replaces each CR inside a quoted CSV field by keptCR.
type crKeeper struct {
	r       io.Reader
	inQuote bool
	buf     []byte
	pending []byte
}

func (c *crKeeper) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if cap(c.buf) == 0 {
			c.buf = make([]byte, 32<<10)
		}
		n, err := c.r.Read(c.buf[:cap(c.buf)])
		out := c.pending[:0]
		for _, b := range c.buf[:n] {
			switch {
			case b == '"':
				c.inQuote = !c.inQuote
				out = append(out, b)
			case b == '\r' && c.inQuote:
				out = append(out, keptCR...)
			default:
				out = append(out, b)
			}
		}
		c.pending = out
		if n == 0 && err != nil {
			return 0, err
		}
	}
	n := copy(p, c.pending)
	c.pending = c.pending[n:]
	return n, nil
}

// lineLoc is the location of a line of a member: "tweets.csv line 40".
func lineLoc(name string, line int) string {
	if name == "" {
		return fmt.Sprintf("line %d", line)
	}
	return fmt.Sprintf("%s line %d", name, line)
}
