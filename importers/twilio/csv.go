package twilio

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"raidtrace/importers"
	"raidtrace/importers/csvrows"
)

// csvColumns maps a normalised console CSV header (lower case, letters and digits only) to the
// Message field it fills. SentDate is the documented name; the others are tolerated spellings.
var csvColumns = map[string]string{
	"from": "from", "to": "to", "body": "body", "status": "status",
	"sentdate": "date_sent", "datesent": "date_sent", "datecreated": "date_created", "createddate": "date_created",
	"numsegments": "num_segments", "nummedia": "num_media", "errorcode": "error_code", "errormessage": "error_message",
	"accountsid": "account_sid", "sid": "sid", "messagesid": "sid", "direction": "direction",
	"price": "price", "priceunit": "price_unit", "messagingservicesid": "messaging_service_sid",
}

// normHeader lower-cases a header name and keeps only its letters and digits, so that "SentDate",
// "Sent Date" and "sent_date" match.
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ReadCSV reads the Twilio console's CSV export. Columns are matched by header name in any order
// (the two documented orders and spelling variants); the delimiter is sniffed from the header
// (a comma, or semicolons after a re-save by Excel); a UTF-8 BOM and CRLF line ends are tolerated
// (as in encoding/csv, a CRLF inside a quoted body is read as LF), and so are carriage return line
// ends, with a warning ([csvrows.NewReader]); a file that is not UTF-8 and has
// no UTF-8 accented letter is read as Windows-1252, with a warning on line 1.
// Records are located by the line their row starts on. A row with the wrong number of fields or a
// quoting error is reported and skipped; the header must name at least From, Body and SentDate.
var (
	reasonEmptyCSV      = importers.NewReason("twilio-csv-empty", "empty file, want a header row: not this format")
	reasonMissingColumn = importers.NewReason("twilio-csv-missing-column", "missing column {{.Columns}}; header is {{.Header}}")
)

func ReadCSV(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	ph := importers.NewPhones(opt.Region)
	r, legacy := importers.LegacyReader(r)
	cr, br := csvrows.NewReader(r, opt.RecordLimit())
	cr.ReuseRecord = true
	peek, _ := br.Peek(64 << 10)
	first, comma, sep := csvrows.HeaderLine(peek)
	cr.Comma = comma
	if sep {
		cr.Read() // the "sep=;" line
	}
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return &importers.ParseError{Line: 1, Err: reasonEmptyCSV.M().Wrap(importers.ErrNotFormat)}
		}
		return &importers.ParseError{Line: 1, Err: csvrows.ReasonHeader.M("Err", err).Wrap(err)}
	}
	header = csvrows.RepairHeader(append([]string(nil), header...), string(first), cr.Comma)
	index := map[string]int{}
	for i, h := range header {
		if f, ok := csvColumns[normHeader(h)]; ok {
			if _, dup := index[f]; !dup {
				index[f] = i
			}
		}
	}
	var missing []string
	for _, need := range []struct{ field, name string }{{"from", "From"}, {"body", "Body"}} {
		if _, ok := index[need.field]; !ok {
			missing = append(missing, need.name)
		}
	}
	_, sent := index["date_sent"]
	_, created := index["date_created"]
	if !sent && !created {
		missing = append(missing, "SentDate")
	}
	if len(missing) > 0 {
		return &importers.ParseError{Line: 1, Err: reasonMissingColumn.M("Columns", strings.Join(missing, ", "), "Header", fmt.Sprintf("%q", header)).Wrap(nil)}
	}
	if legacy {
		sink.Problem(importers.LegacyWarning.Warning("line 1"))
	}
	return csvrows.Rows(ctx, cr, len(header), csvrows.Exact, sink, func(row []string, loc string) error {
		get := func(f string) string {
			if i, ok := index[f]; ok {
				return row[i]
			}
			return ""
		}
		m := message{
			Sid: get("sid"), AccountSid: get("account_sid"), MessagingServiceSid: scalar(get("messaging_service_sid")),
			Body: get("body"), DateCreated: get("date_created"), DateSent: get("date_sent"),
			Direction: get("direction"), ErrorCode: scalar(get("error_code")), ErrorMessage: scalar(get("error_message")),
			From: get("from"), To: get("to"), NumMedia: scalar(get("num_media")), NumSegments: scalar(get("num_segments")),
			Price: scalar(get("price")), PriceUnit: scalar(get("price_unit")), Status: get("status"),
		}
		rec := m.record(loc, opt, ph, sink)
		for i, v := range row {
			if _, known := csvColumns[normHeader(header[i])]; known || v == "" || normHeader(header[i]) == "apiversion" {
				continue
			}
			if rec.Extra == nil {
				rec.Extra = map[string]string{}
			}
			rec.Extra[header[i]] = v // a column this reader does not know, kept under its own name
		}
		return sink.Record(rec)
	})
}

// SniffCSV claims a CSV whose header has Twilio's From, Body, SentDate and a sid or ApiVersion
// column.
func SniffCSV(head []byte, _ string) bool {
	line, comma, _ := csvrows.HeaderLine(bytes.TrimPrefix(head, bom))
	seen := map[string]bool{}
	for _, h := range strings.Split(string(line), string(comma)) {
		seen[normHeader(h)] = true
	}
	return seen["from"] && seen["body"] && (seen["sentdate"] || seen["datesent"]) &&
		(seen["sid"] || seen["messagesid"] || seen["accountsid"] || seen["apiversion"] || seen["numsegments"])
}
