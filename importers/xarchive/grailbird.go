package xarchive

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"

	"raidtrace/importers"
	"raidtrace/importers/csvrows"
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
		a.warn(m.where(), reasonUserDetails.M("Err", err))
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
			a.problem(loc, reasonNoIDText.M())
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

// readGrailCSV reads tweets.csv: every field quoted, raw LF and CR inside text fields. Rows are
// read with [csvrows], so that a row longer than the record limit is reported and skipped without
// being held (however long a forged text field is), and a damaged row is reported and skipped.
func (a *archive) readGrailCSV(r *bufio.Reader, m member) error {
	cr, _ := csvrows.NewReader(&crKeeper{r: r}, a.opt.RecordLimit())
	cr.LazyQuotes = false // every field is quoted: a stray quote is damage, reported
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil
		}
		return &importers.ParseError{Line: 1, Err: csvrows.ReasonHeader.M("Err", err).Wrap(err)}
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimPrefix(h, "\ufeff")] = i
	}
	if a.owner.IsZero() {
		a.warn(m.where(), reasonNoOwner.M())
	}
	for _, need := range []string{"tweet_id", "timestamp", "text"} {
		if _, ok := col[need]; !ok {
			return &importers.ParseError{Line: 1, Err: reasonNoColumn.M("Column", strconv.Quote(need)).Wrap(importers.ErrNotFormat)}
		}
	}
	ls := &lineSink{sink: a.sink, name: m.name}
	err = csvrows.Rows(a.ctx, cr, len(header), csvrows.Exact, ls, func(rec []string, at string) error {
		ls.flush()
		loc := ls.loc(at)
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return rec[i]
			}
			return ""
		}
		id, ts := get("tweet_id"), get("timestamp")
		if id == "" {
			a.problem(loc, reasonNoTweetID.M())
			return nil
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
		return a.emit(out)
	})
	if err != nil {
		return err
	}
	if ls.quote != nil { // the last row's quoted field ran to the end of the file: cut short
		return &importers.ParseError{Location: ls.quoteAt, Err: importers.Truncated(reasonNeverClosed.M())}
	}
	ls.flush()
	return nil
}

var (
	reasonUserDetails = importers.NewReason("x-user-details", "user details not readable: {{.Err}}")
	reasonNoIDText    = importers.NewReason("x-tweet-no-id-text", "tweet without id or text")
	reasonNoOwner     = importers.NewReason("x-csv-no-owner", "tweets.csv does not name its owner (no data/js/user_details.js): set the case owner to attribute these tweets")
	reasonNoColumn    = importers.NewReason("x-csv-no-column", "not this format: no {{.Column}} column")
	reasonNoTweetID   = importers.NewReason("x-csv-no-tweet-id", "no tweet_id")
	reasonNeverClosed = importers.NewReason("csv-quote-never-closed", "quoted field never closed")
)

// quoteProblem is the reason [csvrows.Rows] gives a row with a quoted field that is not closed
// right, as encoding/csv finds it both for a stray quote and at the end of a file cut short.
var quoteProblem = "row skipped: " + csv.ErrQuote.Error()

// lineSink puts the member name before the line locations of [csvrows.Rows]'s problems and holds
// back a quote error until the next row or problem shows it was not at the end of the file.
type lineSink struct {
	sink    importers.Sink
	name    string
	quote   *importers.Problem
	quoteAt string // the quote error's line, as csvrows gives it
}

func (s *lineSink) loc(at string) string {
	if s.name == "" {
		return at
	}
	return s.name + " " + at
}

func (s *lineSink) Record(r importers.Record) error { return s.sink.Record(r) }

func (s *lineSink) Problem(p importers.Problem) {
	s.flush()
	at := p.Location
	p.Location = s.loc(at)
	if !p.Warning && p.Reason == quoteProblem {
		s.quote, s.quoteAt = &p, at
		return
	}
	s.sink.Problem(p)
}

// flush reports the quote error held back.
func (s *lineSink) flush() {
	if s.quote != nil {
		s.sink.Problem(*s.quote)
		s.quote = nil
	}
}

// keptCR stands in for a carriage return inside a quoted field while encoding/csv reads it
// (encoding/csv turns a quoted "\r\n" into "\n"; tweets.csv texts hold real CRs).
const keptCR = "\uE00D"

// crKeeper replaces each CR inside a quoted CSV field by keptCR.
type crKeeper struct {
	r        io.Reader
	inQuote  bool
	buf, out []byte
	pending  []byte // what is left of out to hand on
}

func (c *crKeeper) Read(p []byte) (int, error) {
	for len(c.pending) == 0 {
		if cap(c.buf) == 0 {
			c.buf = make([]byte, 32<<10)
		}
		n, err := c.r.Read(c.buf[:cap(c.buf)])
		out := c.out[:0]
		for b := c.buf[:n]; len(b) > 0; {
			i := bytes.IndexAny(b, "\"\r")
			if i < 0 {
				out = append(out, b...)
				break
			}
			out = append(out, b[:i]...)
			switch {
			case b[i] == '"':
				c.inQuote = !c.inQuote
				out = append(out, '"')
			case c.inQuote: // a CR inside a quoted field
				out = append(out, keptCR...)
			default:
				out = append(out, '\r')
			}
			b = b[i+1:]
		}
		c.out, c.pending = out, out
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
