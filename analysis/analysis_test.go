package analysis_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/analysis/corpus"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

var t0 = time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)

// raid builds messages: texts[i] sent by sender "+3361000000i" at t0 + i×step.
func raid(texts []string, step time.Duration) []analysis.Message {
	var ms []analysis.Message
	for i, s := range texts {
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * step), Sender: fmt.Sprintf("+336100%05d", i), Text: s, Channel: "sms"})
	}
	return ms
}

func analyze(t *testing.T, ms []analysis.Message) *analysis.Result {
	t.Helper()
	res, err := analysis.Analyze(context.Background(), ms, analysis.DefaultParams(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// clusterOf maps message index to cluster ID (0: none).
func clusterOf(res *analysis.Result) map[int]int {
	m := map[int]int{}
	for _, c := range res.Clusters {
		for _, i := range c.Members {
			m[i] = c.ID
		}
	}
	return m
}

func TestEvasionsCluster(t *testing.T) {
	tests := []struct {
		name     string
		variants []string
	}{
		{"fr insult", []string{
			"T'es qu'une sale pute, tout le monde sait ce que tu as fait, dégage des réseaux",
			"t'es qu'une sale pute, tout le monde sait ce que tu as fait, degage des reseaux",
			"T'es qu'une s4l3 pu7e, tout le monde sait ce que tu as fait, dégage des réseaux 🤡",
			"@victime T'ES QU'UNE SALE PUTE, TOUT LE MONDE SAIT CE QUE TU AS FAIT, DÉGAGE DES RÉSEAUX",
			"T'еs qu'unе sаlе рutе, tout le monde sait ce que tu as fait, dégage des réseaux", // Cyrillic
			"T'es qu'une saaaale puuuute, tout le monde sait ce que tu as fait, dégage des réseaux!!!",
			"T'es qu'une sale pute, tout le monde sait ce que tu as fait, dégage des réseaux https://t.co/x1",
			"T'es qu'une sale pute, tout le mnode sait ce que tu as fiat, dégage des réseaux",             // typos
			"T'es qu'une sale pute, franchement tout le monde sait ce que tu as fait, dégage des réseaux", // filler
			"T'es qu'une sa\u200ble pute, tout le monde sait ce que tu as fait, dégage des réseaux 💀💀💀",
		}},
		{"en threat", []string{
			"We know where you live, better watch your back tonight",
			"we know where you live better watch your back tonight 🔪",
			"W3 kn0w wh3re y0u l1ve, better watch your back tonight",
			"@the_victim We know where you live, better watch ur back tonight",
			"We knoooow where you live, better watch your back tonight!!",
			"Ｗｅ know where you live, better watch your back tonight", // fullwidth
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := analyze(t, raid(tt.variants, time.Minute))
			if got, want := len(res.Clusters), 1; got != want {
				t.Fatalf("clusters = %d, want %d: %+v", got, want, res.Clusters)
			}
			if got, want := res.Clusters[0].Size, len(tt.variants); got != want {
				in := clusterOf(res)
				for i, v := range tt.variants {
					if in[i] == 0 {
						t.Errorf("left out: %q (%q)", v, analysis.Normalize(v))
					}
				}
				t.Fatalf("cluster size = %d, want %d", got, want)
			}
			c := res.Clusters[0]
			if got, want := len(c.MemberVariant), c.Size; got != want {
				t.Errorf("MemberVariant has %d entries, want %d", got, want)
			}
			for k, vi := range c.MemberVariant {
				if vi > 0 && len(c.Variants[vi].Diff) == 0 {
					t.Errorf("member %d: variant %q has no diff from the template", k, c.Variants[vi].Text)
				}
			}
		})
	}
}

func TestHardNegativesApart(t *testing.T) {
	var texts []string
	raidText := "On sait où tu habites, fais très attention à toi et à ta famille ce soir"
	for i := 0; i < 10; i++ {
		texts = append(texts, raidText)
	}
	negatives := []string{
		"On sait où tu habites maintenant ? Envoie moi l'adresse pour la fête de samedi",
		"Fais très attention à toi sur la route ce soir, il neige beaucoup",
		"Ta famille vient ce soir ou demain ? Dis moi pour le repas",
		"On sait jamais avec le train, prends une marge ce soir",
		"We know where you live is a great song by the way",
	}
	texts = append(texts, negatives...)
	res := analyze(t, raid(texts, time.Minute))
	in := clusterOf(res)
	for i := 10; i < len(texts); i++ {
		if in[i] != 0 {
			t.Errorf("hard negative %q joined cluster %d", texts[i], in[i])
		}
	}
	if got, want := len(res.Clusters), 1; got != want {
		t.Fatalf("clusters = %d, want %d", got, want)
	}
}

func TestShortGenericReplies(t *testing.T) {
	generic := []string{"ok merci", "Ok merci !", "merci", "ok", "oui", "d'accord", "merci beaucoup", "ok thanks", "thanks!", "lol", "mdr", "à demain", "bonne nuit", "ok merci bcp", "okk"}
	var ms []analysis.Message
	for i := 0; i < 600; i++ { // spread over a week, 300 senders
		ms = append(ms, analysis.Message{
			Time:    t0.Add(time.Duration(i) * 17 * time.Minute),
			Sender:  fmt.Sprintf("+33620%06d", i%300),
			Text:    generic[i%len(generic)],
			Channel: "sms",
		})
	}
	res := analyze(t, ms)
	for _, c := range res.Clusters {
		t.Errorf("cluster of generic replies: size %d %q", c.Size, c.Template)
	}
	// the same short text sent by many senders within minutes is a raid, and is kept
	short := raid(slices.Repeat([]string{"sale pute 🤡"}, 30), 10*time.Second)
	res = analyze(t, append(ms, short...))
	if got, want := len(res.Clusters), 1; got != want {
		t.Fatalf("clusters = %d, want %d (a concentrated short raid)", got, want)
	}
	if c := res.Clusters[0]; c.Size != 30 || !c.Short {
		t.Errorf("short raid cluster: size %d short %v, want 30 true", c.Size, c.Short)
	}
}

func TestOutgoingNeverClustered(t *testing.T) {
	ms := raid(slices.Repeat([]string{"Crève connasse, personne ne te croit et personne ne te regrettera"}, 8), time.Minute)
	for i := range ms {
		ms[i].Outgoing = i%2 == 0
	}
	ms[1].Skip = true
	res := analyze(t, ms)
	if got, want := len(res.Clusters), 1; got != want {
		t.Fatalf("clusters = %d, want %d", got, want)
	}
	for _, m := range res.Clusters[0].Members {
		if ms[m].Outgoing || ms[m].Skip {
			t.Errorf("member %d is outgoing or skipped", m)
		}
	}
	if got, want := res.Clusters[0].Size, 3; got != want {
		t.Errorf("size = %d, want %d", got, want)
	}
}

func TestDeterminism(t *testing.T) {
	c := corpus.Generate(corpus.Config{Seed: 7, N: 6000})
	var want []byte
	for _, workers := range []int{1, 2, 3, 8, 2} {
		p := analysis.DefaultParams()
		p.Workers = workers
		res, err := analysis.Analyze(context.Background(), c.Messages, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if want == nil {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("workers=%d: result differs from workers=1", workers)
		}
	}
}

// TestGroupsDeterminism covers the parallel paths a small corpus does not reach: several
// normalisation blocks merged while the next is normalised, LSH bands split across workers and a
// raid component large enough for the parallel second leader pass.
func TestGroupsDeterminism(t *testing.T) {
	c := corpus.Generate(corpus.Config{Seed: 11, N: 40000, Raids: 2})
	var want [][]int
	for _, workers := range []int{1, 2, 5} {
		p := analysis.DefaultParams()
		p.Workers = workers
		got, err := analysis.Groups(context.Background(), c.Messages, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			t.Fatal("no groups")
		}
		if want == nil {
			want = got
			continue
		}
		if !slices.EqualFunc(got, want, slices.Equal[[]int]) {
			t.Fatalf("workers=%d: %d groups differ from workers=1 (%d groups)", workers, len(got), len(want))
		}
	}
}

func TestDossierSeenBefore(t *testing.T) {
	tpl := "Supprime ton compte ou on s'en charge, t'as compris pétasse"
	ms := []analysis.Message{
		{Time: t0, Sender: "a", Text: tpl, Channel: "x"},
		{Time: t0.Add(1 * time.Minute), Sender: "b", Text: tpl + " 🤡", Channel: "x"},
		{Time: t0.Add(1 * time.Minute), Sender: "c", Text: "supprime ton compte ou on s'en charge t'as compris p3t4sse", Channel: "x"},
		{Time: t0.Add(2 * time.Minute), Sender: "a", Text: tpl, Channel: "x"},
		{Time: t0.Add(3 * time.Minute), Sender: "d", Text: "Bonne soirée à toi, on se voit demain", Channel: "x"},
		{Time: t0.Add(4 * time.Minute), Sender: "e", Text: "@victime " + tpl, Channel: "x"},
		{Time: t0.Add(5 * time.Minute), Sender: "victim", Text: tpl, Channel: "x", Outgoing: true},
	}
	res := analyze(t, ms)
	if len(res.Clusters) != 1 {
		t.Fatalf("clusters = %d, want 1", len(res.Clusters))
	}
	c := res.Clusters[0]
	if got, want := c.Members, []int{0, 1, 2, 3, 5}; !slices.Equal(got, want) {
		t.Fatalf("members = %v, want %v", got, want)
	}
	if got, want := c.SeenBefore, []int{0, 1, 1, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("SeenBefore = %v, want %v", got, want)
	}
	tests := []struct {
		sender              string
		seen, senders, wind []int
		oneShot             bool
	}{
		{"a", []int{0, 3}, []int{0, 2}, []int{0, 2}, false},
		{"c", []int{1}, []int{1}, []int{1}, true},
		{"e", []int{4}, []int{3}, []int{5}, true}, // d's unrelated message is in the window too
	}
	for _, tt := range tests {
		d := analysis.Dossier(ms, res, tt.sender)
		var seen, senders, wind []int
		for _, e := range d.Messages {
			seen = append(seen, e.SeenBefore)
			senders = append(senders, e.SendersBefore)
			wind = append(wind, e.WindowBefore)
			if e.Cluster != c.ID {
				t.Errorf("%s: message %d cluster = %d, want %d", tt.sender, e.Message, e.Cluster, c.ID)
			}
		}
		if !slices.Equal(seen, tt.seen) || !slices.Equal(senders, tt.senders) || !slices.Equal(wind, tt.wind) {
			t.Errorf("%s: seen %v senders %v window %v, want %v %v %v", tt.sender, seen, senders, wind, tt.seen, tt.senders, tt.wind)
		}
		if d.OneShot != tt.oneShot {
			t.Errorf("%s: OneShot = %v, want %v", tt.sender, d.OneShot, tt.oneShot)
		}
		if got, want := d.Clusters, []int{c.ID}; !slices.Equal(got, want) {
			t.Errorf("%s: Clusters = %v, want %v", tt.sender, got, want)
		}
	}
	if got, want := c.OneShot, 3; got != want { // b, c, e; a wrote twice
		t.Errorf("OneShot = %d, want %d", got, want)
	}
}

func TestTriage(t *testing.T) {
	tests := []struct {
		text string
		want []string // categories
	}{
		{"je vais te tuer", []string{analysis.DeathThreat}},
		{"J3 V4IS T3 TUUUER", []string{analysis.DeathThreat}},
		{"crève", []string{analysis.DeathThreat}},
		{"t'es morte ce soir", []string{analysis.DeathThreat}},
		{"on sait où tu habites", []string{analysis.ThreatFamilyHome}},
		{"Sale s4l0pe", []string{analysis.Insult}},
		{"connaaaasse", []string{analysis.Insult}},
		{"I will rape you", []string{analysis.SexualThreat}},
		{"she lives at 12 Baker Street", []string{analysis.DoxxingAddress}},
		{"elle habite au 3 rue des Lilas", []string{analysis.DoxxingAddress}},
		{"appelez-la au 06 12 34 56 78", []string{analysis.DoxxingPhone}},
		{"bonne soirée, on se voit demain à 20h", nil},
		{"we know the result of the match", nil},
		{"Je suis en retard de 10 minutes, désolée", nil}, // French "late", not the English slur
		{"you are such a retard", []string{analysis.Insult}},
		{"r3tarded", []string{analysis.Insult}},
	}
	for _, tt := range tests {
		res := analyze(t, []analysis.Message{{Time: t0, Sender: "x", Text: tt.text}})
		var got []string
		for _, f := range res.Flags {
			got = append(got, f.Category)
			if len(f.Matched) == 0 {
				t.Errorf("%q: flag %s without matched words", tt.text, f.Category)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: categories %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestTimeAndBursts(t *testing.T) {
	var ms []analysis.Message
	for i := 0; i < 200; i++ { // background: one message every 30 min for ~4 days
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * 30 * time.Minute), Sender: "bg", Text: fmt.Sprintf("message ordinaire numéro %d sur le canal", i), Channel: "sms"})
	}
	for i := 0; i < 120; i++ { // raid: 120 messages in 20 minutes
		ms = append(ms, analysis.Message{Time: t0.Add(48*time.Hour + time.Duration(i)*10*time.Second), Sender: fmt.Sprintf("r%d", i), Text: "Ferme ta gueule une bonne fois pour toutes", Channel: "sms"})
	}
	res := analyze(t, ms)
	if len(res.Clusters) != 1 {
		t.Fatalf("clusters = %d, want 1", len(res.Clusters))
	}
	c := res.Clusters[0]
	if c.PeakPerMinute != 6 || c.Peak10Min != 60 || c.Peak1Hour != 120 {
		t.Errorf("peaks 1m/10m/1h = %d/%d/%d, want 6/60/120", c.PeakPerMinute, c.Peak10Min, c.Peak1Hour)
	}
	if len(c.Bursts) == 0 || c.BurstStrength < 1 {
		t.Errorf("bursts %v strength %v: want a strong burst", c.Bursts, c.BurstStrength)
	}
	if len(res.ChannelBursts) == 0 {
		t.Errorf("no channel burst")
	}
	if c.Window.Start.Before(c.Start) || c.Window.End.After(c.End) || c.Window.Peak.Before(c.Start) {
		t.Errorf("window %+v outside %v–%v", c.Window, c.Start, c.End)
	}
}

func TestSenderPatterns(t *testing.T) {
	tpl := "Retourne dans ta cuisine au lieu de pleurer sur internet pauvre conne"
	var ms []analysis.Message
	for i := 0; i < 6; i++ { // sequential numbers
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * time.Second), Sender: fmt.Sprintf("+3375000010%d", i), Text: tpl, Channel: "sms"})
	}
	for i := 0; i < 4; i++ { // templated handles
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(10+i) * time.Second), Sender: fmt.Sprintf("user%d", 48213+i*17), Text: tpl, Channel: "sms"})
	}
	res := analyze(t, ms)
	if len(res.Clusters) != 1 {
		t.Fatalf("clusters = %d, want 1", len(res.Clusters))
	}
	c := res.Clusters[0]
	if got, want := c.SequentialSenders, 6; got != want {
		t.Errorf("SequentialSenders = %d, want %d", got, want)
	}
	if len(c.NumberBlocks) != 1 || c.NumberBlocks[0].Senders != 6 {
		t.Errorf("NumberBlocks = %+v, want one block of 6", c.NumberBlocks)
	}
	if len(c.NamePatterns) != 1 || c.NamePatterns[0].Pattern != "user#####" || c.NamePatterns[0].Senders != 4 {
		t.Errorf("NamePatterns = %+v, want user##### × 4", c.NamePatterns)
	}
}

func TestNetworkAndShared(t *testing.T) {
	a := "Supprime ton compte ou on s'en charge, t'as compris pétasse"
	b := "Ton adresse tourne déjà sur le forum, bonne chance pour dormir cette nuit"
	var ms []analysis.Message
	for i, s := range []string{"s1", "s2", "s3", "s4"} {
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * time.Minute), Sender: s, Text: a})
		if i < 3 {
			ms = append(ms, analysis.Message{Time: t0.Add(time.Hour + time.Duration(i)*time.Minute), Sender: s, Text: b})
		}
	}
	res := analyze(t, ms)
	if len(res.Clusters) != 2 {
		t.Fatalf("clusters = %d, want 2", len(res.Clusters))
	}
	want := []analysis.Edge{{A: "s1", B: "s2", Weight: 2}, {A: "s1", B: "s3", Weight: 2}, {A: "s2", B: "s3", Weight: 2}}
	if !slices.Equal(res.Network, want) {
		t.Errorf("Network = %v, want %v", res.Network, want)
	}
	for _, c := range res.Clusters {
		if c.SharedSenders != 3 {
			t.Errorf("cluster %q: SharedSenders = %d, want 3", c.Template, c.SharedSenders)
		}
	}
}

func TestCadenceMachineLike(t *testing.T) {
	var ms []analysis.Message
	for i := 0; i < 40; i++ { // a donation every 90 s overnight, duplicated names
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * 90 * time.Second), Sender: fmt.Sprintf("don%d", i), Name: []string{"Jean Dupont", "Marie Curie"}[i%2], Text: fmt.Sprintf("Don numéro %d", i), Channel: "donation"})
	}
	for i := 0; i < 20; i++ { // people, irregular
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i*i*i) * time.Minute), Sender: fmt.Sprintf("p%d", i), Text: "bravo pour le projet", Channel: "other"})
	}
	res := analyze(t, ms)
	var runs int
	for _, r := range res.RegularRuns {
		if r.Channel == "donation" {
			runs++
			if r.Messages != 40 || r.MeanSec != 90 {
				t.Errorf("regular run %+v, want 40 messages at 90 s", r)
			}
		}
		if r.Channel == "other" {
			t.Errorf("irregular channel flagged: %+v", r)
		}
	}
	if runs != 1 {
		t.Errorf("regular runs in donation = %d, want 1", runs)
	}
	for _, c := range res.Cadence {
		if c.Scope == "channel" && c.Key == "donation" && !c.MachineLike {
			t.Errorf("donation channel not machine-like: %+v", c)
		}
		if c.Scope == "channel" && c.Key == "other" && c.MachineLike {
			t.Errorf("irregular channel machine-like: %+v", c)
		}
	}
	if len(res.DupNames) != 2 || res.DupNames[0].Senders != 20 {
		t.Errorf("DupNames = %+v, want 2 names × 20 senders", res.DupNames)
	}
}

func TestCoSignals(t *testing.T) {
	var ms []analysis.Message
	for i := 0; i < 12; i++ {
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * time.Minute), Sender: fmt.Sprintf("s%d", i), Text: fmt.Sprintf("texte différent numéro %d %s #Honte https://www.Forum.example/thread/42/", i, []string{"alpha", "beta", "gamma"}[i%3]), Media: []string{"abc123"}})
	}
	res := analyze(t, ms)
	got := map[string]int{}
	for _, c := range res.CoSignals {
		got[c.Kind+" "+c.Value] = c.PeakSenders
	}
	want := map[string]int{"hashtag honte": 12, "media abc123": 12, "url forum.example/thread/42": 12}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("co-signals = %v, want %v", got, want)
	}
}

func TestGolden(t *testing.T) {
	c := corpus.Generate(corpus.Config{Seed: 3, N: 400, Raids: 2})
	res := analyze(t, c.Messages)
	got, err := json.MarshalIndent(res.Clusters, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "clusters.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("clusters differ from %s; run go test -run TestGolden -update and review the diff", path)
	}
}

func ExampleAnalyze() {
	t0 := time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)
	texts := []string{
		"T'es qu'une sale pute, dégage des réseaux",
		"t'es qu'une s4l3 pu7e, degage des reseaux 🤡",
		"@victime T'ES QU'UNE SAAALE PUTE, DÉGAGE DES RÉSEAUX",
		"Bonne soirée, on se voit demain ?",
	}
	var msgs []analysis.Message
	for i, s := range texts {
		msgs = append(msgs, analysis.Message{Time: t0.Add(time.Duration(i) * time.Minute), Sender: fmt.Sprint("sender", i), Text: s, Channel: "sms"})
	}
	res, err := analysis.Analyze(context.Background(), msgs, analysis.DefaultParams(), nil)
	if err != nil {
		panic(err)
	}
	for _, c := range res.Clusters {
		fmt.Println(c.ID, c.Size, c.Senders, c.Template)
		fmt.Println(c.Members, c.SeenBefore)
		for _, v := range c.Variants {
			fmt.Println(v.Count, v.Diff)
		}
	}
	// Output:
	// 1 3 3 T'es qu'une sale pute, dégage des réseaux
	// [0 1 2] [0 1 2]
	// 1 []
	// 1 [+🤡]
	// 1 [+<user>]
}

func ExampleDossier() {
	t0 := time.Date(2026, 3, 2, 21, 0, 0, 0, time.UTC)
	var msgs []analysis.Message
	for i := 0; i < 5; i++ {
		msgs = append(msgs, analysis.Message{Time: t0.Add(time.Duration(i) * time.Minute), Sender: fmt.Sprint("+3375000000", i), Text: "Crève connasse, personne ne te croit", Channel: "sms"})
	}
	res, _ := analysis.Analyze(context.Background(), msgs, analysis.DefaultParams(), nil)
	d := analysis.Dossier(msgs, res, "+33750000003")
	for _, e := range d.Messages {
		fmt.Printf("cluster %d: %d messages of the raid from %d other senders had arrived before\n", e.Cluster, e.SeenBefore, e.SendersBefore)
	}
	fmt.Println(d.OneShot, d.Flags)
	// Output:
	// cluster 1: 3 messages of the raid from 3 other senders had arrived before
	// true map[death_threat:1 insult:1]
}

// TestRaidMessages: the damage estimate counts the messages of a cluster that arrived in a burst
// and of one sent during a burst of its channel, not those of a text that many contacts sent
// slowly over days.
func TestRaidMessages(t *testing.T) {
	var ms []analysis.Message
	for i := 0; i < 200; i++ { // background: one message every 30 min for ~4 days
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * 30 * time.Minute), Sender: "bg", Text: fmt.Sprintf("message ordinaire numéro %d sur le canal", i), Channel: "sms"})
	}
	for i := 0; i < 12; i++ { // the same long greeting from 12 contacts, one every 8 hours
		ms = append(ms, analysis.Message{Time: t0.Add(time.Duration(i) * 8 * time.Hour), Sender: fmt.Sprintf("c%d", i), Text: "Joyeux anniversaire, passe une très belle journée avec tes proches", Channel: "sms"})
	}
	for i := 0; i < 120; i++ { // raid: 120 messages in 20 minutes
		ms = append(ms, analysis.Message{Time: t0.Add(48*time.Hour + time.Duration(i)*10*time.Second), Sender: fmt.Sprintf("r%d", i), Text: "Ferme ta gueule une bonne fois pour toutes", Channel: "sms"})
	}
	for i := 0; i < 8; i++ { // during the raid, a threat from 8 senders, too few for a burst of its own
		ms = append(ms, analysis.Message{Time: t0.Add(48*time.Hour + 2*time.Minute + time.Duration(i)*2*time.Minute), Sender: fmt.Sprintf("m%d", i), Text: "on sait où tu habites, on va venir te chercher ce soir", Channel: "sms"})
	}
	res := analyze(t, ms)
	var slow, raid, threats int
	for _, c := range res.Clusters {
		switch {
		case c.Size == 12 && !res.Raid(&c):
			slow++
		case c.Size == 120 && res.Raid(&c):
			raid++
		case c.Size == 8 && res.Raid(&c) && len(c.Bursts) == 0:
			threats++
		default:
			t.Errorf("cluster %d: size %d, raid %v, bursts %d", c.ID, c.Size, res.Raid(&c), len(c.Bursts))
		}
	}
	if slow != 1 || raid != 1 || threats != 1 {
		t.Fatalf("got %d slow, %d bursting and %d threat clusters, want 1, 1 and 1", slow, raid, threats)
	}
	if got := res.RaidMessages(); got != 128 {
		t.Errorf("RaidMessages = %d, want 128", got)
	}
}

// TestEvasionsOneByOne checks each evasion raiders use to dodge filters on its own: ten senders
// send a threat as written, ten others the same threat with that one evasion, and the twenty
// must form one cluster.
func TestEvasionsOneByOne(t *testing.T) {
	base := "t'es qu'une grosse salope tu vas crever on sait où tu habites"
	for _, tc := range []struct{ name, text string }{
		{"letters spaced out", "t ' e s  q u ' u n e  g r o s s e  s a l o p e  t u  v a s  c r e v e r  o n  s a i t  o ù  t u  h a b i t e s"},
		{"letters dotted", "t.e.s q.u.u.n.e g.r.o.s.s.e s.a.l.o.p.e tu vas c.r.e.v.e.r on sait où tu habites"},
		{"letters dashed", "t-es qu-une g-r-o-s-s-e s-a-l-o-p-e tu vas crever on sait où tu habites"},
		{"fullwidth", "ｔ'ｅｓ ｑｕ'ｕｎｅ ｇｒｏｓｓｅ ｓａｌｏｐｅ ｔｕ ｖａｓ ｃｒｅｖｅｒ ｏｎ ｓａｉｔ ｏù ｔｕ ｈａｂｉｔｅｓ"},
		{"mathematical bold", "𝐭'𝐞𝐬 𝐪𝐮'𝐮𝐧𝐞 𝐠𝐫𝐨𝐬𝐬𝐞 𝐬𝐚𝐥𝐨𝐩𝐞 𝐭𝐮 𝐯𝐚𝐬 𝐜𝐫𝐞𝐯𝐞𝐫 𝐨𝐧 𝐬𝐚𝐢𝐭 𝐨ù 𝐭𝐮 𝐡𝐚𝐛𝐢𝐭𝐞𝐬"},
		{"circled letters", "ⓣ'ⓔⓢ ⓠⓤ'ⓤⓝⓔ ⓖⓡⓞⓢⓢⓔ ⓢⓐⓛⓞⓟⓔ tu vas crever on sait où tu habites"},
		{"Cyrillic look-alikes", "t'еs qu'unе grоssе sаlоpе tu vаs crеvеr оn sаit où tu hаbitеs"},
		{"leetspeak", "t'3s qu'un3 gr0ss3 s4l0p3 tu v4s cr3v3r 0n s41t où tu h4b1t3s"},
		{"zero-width and soft hyphens", "t'es qu'une gro\u200bsse sal\u200dope tu vas cre\u00adver on sait où tu habites"},
		{"capitals and shouting", "T'ES QU'UNE GROSSE SALOPE TU VAS CREVER ON SAIT OÙ TU HABITES !!!"},
		{"masked letters", "t'es qu'une grosse s*l*pe tu vas cr*ver on sait où tu habites"},
		{"typos", "tes qune grose salope tu va crever on sais ou tu habite"},
		{"doubled letters", "tt'ees quu'unee grossee salopee tu vas crever on sait où tu habites"},
		{"random suffix", "t'es qu'une grosse salope tu vas crever on sait où tu habites xk29fq"},
		{"hashtags first", "#raid #cible t'es qu'une grosse salope tu vas crever on sait où tu habites"},
		{"mention first", "@victime t'es qu'une grosse salope tu vas crever on sait où tu habites"},
		{"emoji", "t'es qu'une grosse salope 🤡🤡 tu vas crever 💀 on sait où tu habites 🏠"},
		{"words added", "t'es vraiment qu'une grosse salope et tu vas crever on sait très bien où tu habites"},
		{"clauses reordered", "on sait où tu habites, tu vas crever, t'es qu'une grosse salope"},
		{"underscores", "t_es qu_une grosse_salope tu_vas_crever on_sait_où_tu_habites"},
	} {
		t0 := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
		var msgs []analysis.Message
		for i := range 20 {
			text := base
			if i%2 == 1 {
				text = tc.text
			}
			msgs = append(msgs, analysis.Message{Time: t0.Add(time.Duration(i) * 30 * time.Second), Sender: fmt.Sprint("+3361234", 1000+i), Text: text, Channel: "sms"})
		}
		g, err := analysis.Groups(context.Background(), msgs, analysis.DefaultParams())
		if err != nil {
			t.Fatal(err)
		}
		if len(g) != 1 || len(g[0]) != 20 {
			sizes := []int{}
			for _, x := range g {
				sizes = append(sizes, len(x))
			}
			t.Errorf("%s: got clusters of %v messages, want one of 20 (%q → %q)", tc.name, sizes, tc.text, analysis.Normalize(tc.text))
		}
	}
}
