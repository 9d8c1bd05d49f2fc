package twilio_test

import (
	"context"
	"fmt"
	"strings"

	"raidtrace/importers"
	"raidtrace/importers/twilio"
)

func ExampleReadJSON() {
	page := `{"messages": [
	  {"sid": "SM1", "from": "whatsapp:+33612345678", "to": "whatsapp:+33700000001", "body": "dégage",
	   "date_sent": "Tue, 05 Mar 2024 21:14:03 +0000", "direction": "inbound", "num_segments": "1", "status": "received"},
	  {"sid": "SM2", "from": "+33612345679", "to": "+33700000001", "body": "dégage !",
	   "date_sent": "not a date", "direction": "inbound", "num_segments": "1", "status": "received"}
	], "page": 0}`
	var c importers.Collector
	if err := twilio.ReadJSON(context.Background(), strings.NewReader(page), importers.Options{}, &c); err != nil {
		fmt.Println(err)
	}
	for _, r := range c.Records {
		fmt.Println(r.Location, r.Platform, r.Sender.E164, r.Time.Format("2006-01-02 15:04:05"), r.Extra["status"], r.Text)
	}
	for _, p := range c.Problems {
		fmt.Println(p)
	}
	// Output:
	// /messages/0 whatsapp +33612345678 2024-03-05 21:14:03 received dégage
	// /messages/1 twilio +33612345679 0001-01-01 00:00:00 received dégage !
	// /messages/1: date_sent: unrecognised date "not a date" (want RFC 2822, RFC 3339 or 2006-01-02 15:04:05); message kept without a time
}

func ExampleReadCSV() {
	// The console CSV's columns are matched by name, in any order.
	export := "Body,Status,SentDate,ApiVersion,NumSegments,AccountSid,Sid,Direction,From,To,Price,PriceUnit\r\n" +
		"\"dégage\",received,2024-03-05 21:14:03,2010-04-01,1,AC1,SM1,inbound,+33612345678,+33700000001,-0.0075,USD\r\n" +
		"\"broken\",received\r\n"
	var c importers.Collector
	if err := twilio.ReadCSV(context.Background(), strings.NewReader(export), importers.Options{}, &c); err != nil {
		fmt.Println(err)
	}
	for _, r := range c.Records {
		fmt.Println(r.Location, r.PlatformID, r.Sender.E164, r.Direction, r.Time.Format("2006-01-02 15:04:05"), r.Extra["price"], r.Text)
	}
	for _, p := range c.Problems {
		fmt.Println(p)
	}
	// Output:
	// line 2 SM1 +33612345678 in 2024-03-05 21:14:03 -0.0075 dégage
	// line 3: row skipped: it has 2 fields, the header has 12
}
