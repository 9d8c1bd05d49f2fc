package csvmap_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/csvmap"
)

func ExampleRead() {
	export := "Date;Expéditeur;Message\n" +
		"14/03/2024 21:14;06 12 34 56 78;Ferme-la\n" +
		"14/03/2024 21:14;06 12 34 56 79;ferme-la !\n"
	paris, _ := time.LoadLocation("Europe/Paris")
	opt := importers.Options{Location: paris, Region: "FR",
		Columns: map[string]string{"time": "Date", "sender": "Expéditeur", "text": "Message"}}
	var c importers.Collector
	if err := csvmap.Read(context.Background(), strings.NewReader(export), opt, &c); err != nil {
		fmt.Println(err)
	}
	for _, r := range c.Records {
		fmt.Println(r.Location, r.Time.Format(time.RFC3339), r.TimeZone, r.Sender.E164, r.Text)
	}
	// Output:
	// line 2 2024-03-14T20:14:00Z Europe/Paris +33612345678 Ferme-la
	// line 3 2024-03-14T20:14:00Z Europe/Paris +33612345679 ferme-la !
}

func ExampleDetectPreset() {
	fmt.Println(csvmap.DetectPreset([]string{"Nom", "Montant (€)", "Date", "Commentaire"}))
	fmt.Println(csvmap.DetectPreset([]string{"Date", "From", "Body"}))
	// Output:
	// crowdfunding true
	//  false
}
