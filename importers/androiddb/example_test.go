package androiddb_test

import (
	"context"
	"fmt"

	"raidtrace/importers"
	"raidtrace/importers/androiddb"
)

func ExampleImport() {
	var c importers.Collector
	opt := importers.Options{Owner: "06 00 00 00 00"} // the phone's own number, for sent messages
	if err := androiddb.Import(context.Background(), "testdata/mmssms.db", opt, &c); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Records[:2] {
		fmt.Printf("%s: %s %s %s %q\n", r.Location, r.Time.Format("15:04:05"), r.Direction, r.Sender.Key(), r.Text)
	}
	fmt.Println(len(c.Records), "records,", len(c.Problems), "problems")
	// Output:
	// sms _id 1: 21:14:05 in +33612345678 "tu vas voir"
	// sms _id 2: 21:14:06 out +33600000000 "stop"
	// 9 records, 5 problems
}
