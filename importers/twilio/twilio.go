// Package twilio reads the message logs of the Twilio SMS gateway: API JSON (one Message resource
// or a list page), BulkExport JSONL (gzipped or not) and the console's CSV export.
//
// A raid on a number run through Twilio shows up in these logs as many inbound messages in a short
// time. Each Twilio message becomes one [importers.Record] with the message sid as PlatformID, the
// sender as the log gives it (E.164 filled in when it is a phone number, alphanumeric sender ids kept
// raw), the direction (inbound → incoming, outbound-* → outgoing) and the gateway fields worth keeping
// as evidence in Extra: status, error_code, price, price_unit, num_segments, num_media,
// messaging_service_sid, account_sid.
//
// Platform is "whatsapp" when the sender or recipient carries Twilio's "whatsapp:" prefix and
// "twilio" otherwise, so that the gateway number is its own channel for burst analysis.
//
// Dates: the API writes RFC 2822 ([time.RFC1123Z]), BulkExport writes UTC ISO-8601 and the console
// CSV's layout is not documented, so every reader accepts RFC 2822, RFC 3339 and
// "2006-01-02 15:04:05" (read as UTC), and keeps the source string in Record.RawTime. A date that
// parses as none of them is reported as a warning and the message is kept with no time.
//
// The package only reads: it never writes files, opens no network connection and imports no GUI.
package twilio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"raidtrace/importers"
)

// Formats for detection and the case file.
var (
	JSON = importers.StreamFormat("twilio-json", "Twilio API JSON (messages)", SniffJSON, ReadJSON)
	Bulk = importers.StreamFormat("twilio-bulk", "Twilio BulkExport (JSON lines)", SniffBulk, ReadBulk)
	CSV  = importers.StreamFormat("twilio-csv", "Twilio console CSV export", SniffCSV, ReadCSV)
)

// message is the part of a Twilio Message resource the importer keeps. The numeric-looking fields
// are strings in the API but numbers or null elsewhere, so they use scalar.
type message struct {
	Sid                 string `json:"sid"`
	AccountSid          string `json:"account_sid"`
	MessagingServiceSid scalar `json:"messaging_service_sid"`
	Body                string `json:"body"`
	DateCreated         string `json:"date_created"`
	DateSent            string `json:"date_sent"`
	Direction           string `json:"direction"`
	ErrorCode           scalar `json:"error_code"`
	ErrorMessage        scalar `json:"error_message"`
	From                string `json:"from"`
	To                  string `json:"to"`
	NumMedia            scalar `json:"num_media"`
	NumSegments         scalar `json:"num_segments"`
	Price               scalar `json:"price"`
	PriceUnit           scalar `json:"price_unit"`
	Status              string `json:"status"`
}

// scalar is a JSON string, number, boolean or null, kept as text ("" for null).
type scalar string

func (s *scalar) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = scalar(v)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return reasonScalar.M("Start", fmt.Sprintf("%.20s", b)).Wrap(nil)
	default:
		*s = scalar(b)
	}
	return nil
}

// dateLayouts are tried in order on every Twilio date.
// The console CSV's layout is not documented (formats.md §4.3), so neighbours of the documented
// ones are accepted too: one-digit days in RFC 2822, a space instead of "T" before an offset.
var dateLayouts = []string{time.RFC1123Z, time.RFC3339Nano, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05 MST",
	"2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}

// parseDate reads a Twilio date; zone-less layouts are UTC, as Twilio logs in UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, reasonDateForm.M("Value", strconv.Quote(s)).Wrap(nil)
}

var (
	reasonScalar   = importers.NewReason("twilio-not-scalar", "want a string or number, got {{.Start}}")
	reasonBadDate  = importers.NewReason("twilio-bad-date", "date_sent: {{.Err}}; message kept without a time")
	reasonDateForm = importers.NewReason("twilio-date-form", "unrecognised date {{.Value}} (want RFC 2822, RFC 3339 or 2006-01-02 15:04:05)")
)

// record turns a decoded message into a Record, reporting a bad date as a warning on sink.
func (m *message) record(loc string, opt importers.Options, ph *importers.Phones, sink importers.Sink) importers.Record {
	rec := importers.Record{
		Location:   loc,
		Platform:   "twilio",
		PlatformID: m.Sid,
		Text:       m.Body,
		Kind:       "message",
		Direction:  direction(m.Direction),
	}
	if strings.HasPrefix(m.From, "whatsapp:") || strings.HasPrefix(m.To, "whatsapp:") {
		rec.Platform = "whatsapp"
	}
	if m.From != "" {
		rec.Sender = ph.Party(m.From, "")
	}
	if m.To != "" {
		rec.Recipients = []importers.Party{ph.Party(m.To, "")}
	}
	if rec.Direction == importers.Unknown && opt.Owner != "" {
		switch {
		case sameParty(m.From, opt.Owner, opt.Region):
			rec.Direction = importers.Outgoing
		case sameParty(m.To, opt.Owner, opt.Region):
			rec.Direction = importers.Incoming
		}
	}
	raw := m.DateSent
	if strings.TrimSpace(raw) == "" {
		raw = m.DateCreated
	}
	rec.RawTime = raw
	if strings.TrimSpace(raw) != "" {
		t, err := parseDate(raw)
		if err != nil {
			sink.Problem(reasonBadDate.M("Err", err).Warning(loc))
		}
		rec.Time = t
	}
	extra := map[string]string{}
	for k, v := range map[string]string{
		"status": m.Status, "error_code": string(m.ErrorCode), "error_message": string(m.ErrorMessage),
		"price": string(m.Price), "price_unit": string(m.PriceUnit), "num_segments": string(m.NumSegments),
		"num_media": string(m.NumMedia), "messaging_service_sid": string(m.MessagingServiceSid),
		"account_sid": m.AccountSid,
	} {
		if v != "" {
			extra[k] = v
		}
	}
	if len(extra) > 0 {
		rec.Extra = extra
	}
	return rec
}

// direction maps Twilio's direction values.
func direction(s string) importers.Direction {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "inbound" || s == "incoming" || s == "received":
		return importers.Incoming
	case strings.HasPrefix(s, "outbound") || strings.HasPrefix(s, "outgoing"):
		return importers.Outgoing
	}
	return importers.Unknown
}

func sameParty(raw, owner, region string) bool {
	if raw == "" {
		return false
	}
	if raw == owner {
		return true
	}
	a, b := importers.E164(raw, region), importers.E164(owner, region)
	return a != "" && a == b
}
