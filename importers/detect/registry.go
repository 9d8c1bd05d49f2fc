package detect

import (
	"raidtrace/importers"
	"raidtrace/importers/androiddb"
	"raidtrace/importers/applemessages"
	"raidtrace/importers/chattext"
	"raidtrace/importers/csvmap"
	"raidtrace/importers/smsbackup"
	"raidtrace/importers/twilio"
	"raidtrace/importers/xapi"
	"raidtrace/importers/xarchive"
)

// formats lists every import format in the order detection asks them: more specific first.
// Add one line per format; the generic ZIP format ([Zip]) is not listed here, it is always
// tried last.
var formats = []importers.Format{
	smsbackup.Format,
	applemessages.Format, // SQLite: Sniff sees the header only, Probe checks the tables
	androiddb.Format,     // SQLite: Sniff sees the header only, Probe checks the tables
	twilio.JSON,          // {"messages":[…]} or one Message resource (sid + account_sid…)
	twilio.Bulk,          // gzip or JSON lines, one Message resource per line
	twilio.CSV,           // header with From, Body, SentDate and Sid/AccountSid
	xarchive.Format,      // X archive: folder or ZIP (Probe checks data/), window.YTD…, tweets.csv
	xapi.Format,          // X API JSON/JSONL: twarc2, v1.1 statuses, DM events
	csvmap.Plivo,         // header with message_uuid, from/to
	csvmap.Vonage,        // header with message_id, from, to, date_*
	csvmap.Crowdfunding,  // header with a contributor name and an amount
	csvmap.CSV,           // generic CSV: claims only what a preset above recognises
	chattext.Format,      // lines opening with a chat timestamp at the head (a short preamble allowed)
}
