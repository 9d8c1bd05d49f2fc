package applemessages_test

import (
	"context"
	"fmt"

	"raidtrace/importers"
	"raidtrace/importers/applemessages"
)

func ExampleImport() {
	var c importers.Collector
	if err := applemessages.Import(context.Background(), "testdata/chat.db", importers.Options{}, &c); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Records {
		fmt.Printf("%s: %s %s %-8s %q\n", r.Location, r.Platform, r.Direction, r.Kind, r.Text)
	}
	// Output:
	// message ROWID 1: sms in message  "salut"
	// message ROWID 2: imessage in message  "on arrive"
	// message ROWID 3: imessage in reaction "Liked"
	// message ROWID 4: imessage out message  "moi"
}
