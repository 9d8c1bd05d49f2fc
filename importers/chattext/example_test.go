package chattext_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/chattext"
)

func ExampleRead() {
	export := "14/03/2024, 21:15 - +33 6 12 34 56 78: dégage\n" +
		"14/03/2024, 21:15 - Kevin: dégage\n" +
		"sale *****\n" +
		"14/03/2024, 21:16 - Kevin a quitté\n"
	paris, _ := time.LoadLocation("Europe/Paris")
	var c importers.Collector
	if err := chattext.Read(context.Background(), strings.NewReader(export), importers.Options{Location: paris}, &c); err != nil {
		fmt.Println(err)
	}
	for _, r := range c.Records {
		fmt.Printf("%s %s %s %q %q %q\n", r.Location, r.Time.Format(time.RFC3339), r.Kind, r.Sender.Key(), r.RawTime, r.Text)
	}
	// Output:
	// line 1 2024-03-14T20:15:00Z message "+33612345678" "14/03/2024, 21:15" "dégage"
	// line 2 2024-03-14T20:15:00Z message "Kevin" "14/03/2024, 21:15" "dégage\nsale *****"
	// line 4 2024-03-14T20:16:00Z system "" "14/03/2024, 21:16" "Kevin a quitté"
}
