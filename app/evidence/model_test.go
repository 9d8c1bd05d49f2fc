package evidence

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/assets"
	"raidtrace/importers"
)

var update = flag.Bool("update", false, "rewrite golden files")

// handModel builds a model without a case: three messages, two in a cluster.
func handModel() *Model {
	t0 := time.Date(2024, 5, 1, 20, 13, 7, 123e6, time.UTC)
	msgs := []casefile.Message{
		{ID: 1, SourceID: 1, SourceSHA256: "aa", Hash: "h1", Record: importers.Record{Location: "line 1", Platform: "sms", Time: t0,
			RawTime: "1714594387123", Sender: importers.Party{Raw: "06 12 34 56 01", E164: "+33612345601"}, Direction: importers.Incoming,
			Text: "dégage, \"sale\" conne\nva-t'en", Recipients: []importers.Party{{Raw: "victim"}}}},
		{ID: 2, SourceID: 1, SourceSHA256: "aa", Hash: "h2", Record: importers.Record{Location: "line 2", Platform: "x", Time: t0.Add(time.Second),
			Sender: importers.Party{Handle: "troll", ID: "123", Name: "Troll 🎭"}, Direction: importers.Incoming, Text: "DÉGAGE, sale conne va-t'en",
			Attachments: []importers.Attachment{{Name: "a.jpg", MIME: "image/jpeg", SHA256: "ff"}}}},
		{ID: 3, SourceID: 1, SourceSHA256: "aa", Hash: "h3", Record: importers.Record{Location: "line 3", Platform: "sms",
			Sender: importers.Party{Raw: "victim"}, Direction: importers.Outgoing, Text: "=1+1"}},
	}
	res := &analysis.Result{Params: analysis.DefaultParams(), Clusters: []analysis.Cluster{{ID: 1, Members: []int{0, 1}, Template: "dégage, \"sale\" conne\nva-t'en",
		Size: 2, Senders: 2, Start: t0, End: t0.Add(time.Second), Score: 2,
		Bursts: []analysis.Burst{{Channel: "sms", Start: t0, End: t0.Add(time.Second), Messages: 2, Expected: 0.01, Log10P: 4}}}}}
	return &Model{Info: casefile.Info{ID: "case-1234-5678", UnitCost: 0.16, Currency: "EUR"}, Generated: testNow, Agent: "raidtrace/test",
		Sources:   []casefile.Source{{ID: 1, Name: "a.xml", SHA256: "aa", Size: 10, Format: "smsbackup"}},
		Messages:  msgs,
		Analysis:  &casefile.Analysis{Run: 1, At: testNow, Result: res, MessageIDs: []int64{1, 2, 3}},
		Decisions: []casefile.Decision{{MessageID: 2, Subject: "member", Verdict: "confirmed"}, {MessageID: 2, Subject: "flag:insult", Verdict: "rejected"}},
	}
}

func TestMessagesCSVGolden(t *testing.T) {
	m := handModel()
	m.Suggestions = map[int64][]string{2: {"insult"}}
	m.Derive()
	var b bytes.Buffer
	if err := m.WriteMessagesCSV(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "messages.csv.golden")
	if *update {
		os.WriteFile(golden, b.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("messages.csv:\n%s\nwant:\n%s", got, want)
	}
}

func TestDeriveRaid(t *testing.T) {
	m := handModel()
	m.Derive()
	if len(m.Raids) != 1 {
		t.Fatalf("raids %d", len(m.Raids))
	}
	r := m.Raids[0]
	if len(r.Joined) != 2 || r.Joined[0].Before != 0 || r.Joined[1].Before != 1 || m.JoinedExhibit(&r.Joined[1]) != "M000002" {
		t.Errorf("joined %+v", r.Joined)
	}
	if r.OneShot != 2 || r.PeakPerMinute != 2 {
		t.Errorf("one-shot %d, peak %d", r.OneShot, r.PeakPerMinute)
	}
	if m.Figures.Incoming != 2 || m.Figures.Damage != 0.32 {
		t.Errorf("figures %+v", m.Figures)
	}
	// the capitalised variant differs from the template by case, which is not marked, and by the
	// quotes around "sale", which are
	for _, v := range r.Variants {
		if v.Text == r.Template {
			continue
		}
		var changed []string
		for _, s := range v.Diff {
			if s.Changed {
				changed = append(changed, s.Text)
			}
		}
		if got := strings.Join(changed, "|"); got != "sale" {
			t.Errorf("variant %q: changed %q, want %q", v.Text, got, "sale")
		}
	}
}

func TestWordDiff(t *testing.T) {
	got := wordDiff("t'es qu'une conasse, dégage", "t'es qu'une conasse, vraiment, dégage")
	var changed []string
	var all strings.Builder
	for _, s := range got {
		all.WriteString(s.Text)
		if s.Changed {
			changed = append(changed, strings.TrimSpace(s.Text))
		}
	}
	if all.String() != "t'es qu'une conasse, vraiment, dégage" || len(changed) != 1 || changed[0] != "vraiment," {
		t.Errorf("diff %+v", got)
	}
}

// TestWordDiffVerbatim checks that a variant's words are marked when they differ from the
// template's verbatim, by leetspeak or stretched letters too, and not when only their case does.
func TestWordDiffVerbatim(t *testing.T) {
	const tmpl = "Ferme ta gueule sale pute, personne veut de ta ligne de merde"
	tests := []struct {
		tmpl, v string
		want    []string
	}{
		{tmpl, "F3rme ta gueule sale pute, personne veut de ta ligne de merde", []string{"F3rme"}},
		{tmpl, "Ferme t4 gueule sale pute, personne veut de ta ligne de merde", []string{"t4"}},
		{tmpl, "Ferme ta gueule sale pute, personne veut de ta l1gne de merde", []string{"l1gne"}},
		{tmpl, "Ferme ta gueule sale pute, personneeeee veut de ta ligne de merde", []string{"personneeeee"}},
		{tmpl, "Ferme ta gueule sale pute, personne veeeeeeut de ta ligne de merde", []string{"veeeeeeut"}},
		{tmpl, "FERME TA GUEULE SALE PUTE, PERSONNE VEUT DE TA LIGNE DE MERDE", nil},
		{tmpl, "Ferme ta gueule sale pute, personne veut de ta ligne de merde 😂", []string{"😂"}},
		{tmpl, "Ferme  ta gueule sale pute, personne veut de ta ligne de merde", nil}, // spaces are not words
		{"Je vais te retrouver et tu vas crever", "J3 vais te reeeetrouver et tu vas crever", []string{"J3", "reeeetrouver"}},
	}
	for _, tt := range tests {
		var changed []string
		var all strings.Builder
		for _, s := range wordDiff(tt.tmpl, tt.v) {
			all.WriteString(s.Text)
			if s.Changed {
				changed = append(changed, strings.TrimSpace(s.Text))
			}
		}
		if all.String() != tt.v {
			t.Errorf("diff of %q joins to %q", tt.v, all.String())
		}
		if strings.Join(changed, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wordDiff(%q): changed %q, want %q", tt.v, changed, tt.want)
		}
	}
}

// TestStringsComplete checks that both languages define the same keys and that every key the
// report uses exists.
func TestStringsComplete(t *testing.T) {
	fr, err := loadStrings("fr")
	if err != nil {
		t.Fatal(err)
	}
	en, err := loadStrings("en")
	if err != nil {
		t.Fatal(err)
	}
	for k := range fr.m {
		if _, ok := en.m[k]; !ok {
			t.Errorf("en lacks %q", k)
		}
	}
	for k := range en.m {
		if _, ok := fr.m[k]; !ok {
			t.Errorf("fr lacks %q", k)
		}
	}
	m := handModel()
	m.Derive()
	for _, lang := range []*tr{fr, en} {
		var b bytes.Buffer
		if err := m.WriteHTML(&b, lang); err != nil {
			t.Fatal(err)
		}
		for k := range lang.m {
			_ = k
		}
		// a missing key shows as itself: look for snake_case words that are keys of neither file
		for _, w := range strings.FieldsFunc(b.String(), func(r rune) bool { return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
			if strings.Count(w, "_") > 0 && len(w) > 4 && (strings.HasPrefix(w, "col_") || strings.HasPrefix(w, "fig_") || strings.HasPrefix(w, "dur_") || strings.HasPrefix(w, "limit_")) {
				t.Errorf("%s: untranslated key %q in the report", lang.Lang, w)
			}
		}
	}
	if _, err := fs.Stat(assets.Sub("report"), "fonts/LICENSE"); err != nil {
		t.Errorf("font licence: %v", err)
	}
}

func TestHTMLEscapesAndIsSelfContained(t *testing.T) {
	m := handModel()
	m.Messages[0].Text = `<script>alert("x")</script><img src="http://evil/">`
	m.Derive()
	tr, _ := loadStrings("en")
	var b bytes.Buffer
	if err := m.WriteHTML(&b, tr); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, bad := range []string{"<script", "<img", "src=\"http", "href=\"http", "<link", "@import", "url("} {
		if strings.Contains(s, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if !strings.Contains(s, "<svg") || !strings.Contains(s, "M000002") {
		t.Errorf("HTML lacks the chart or an exhibit")
	}
}

func TestRedact(t *testing.T) {
	m := handModel()
	m.Messages[0].Text = "appelle-moi au 06 12 34 56 78 ou +33 6 12 34 56 78, @victime, a.b@example.org"
	key := pseudonymKey("case-1234-5678", testSigner(t))
	m.Redact(key)
	m.Derive()
	var b bytes.Buffer
	m.WriteMessagesCSV(&b)
	m.WriteSendersCSV(&b)
	m.WriteMessagesJSONL(&b)
	m.WriteRSMF(&b)
	s := b.String()
	for _, leak := range []string{"06 12 34 56", "+33612345601", "troll", "victime", "example.org", `"id":"123"`} {
		if strings.Contains(s, leak) {
			t.Errorf("redacted output contains %q", leak)
		}
	}
	if p1, p2 := Pseudonym(key, "+33612345601"), Pseudonym(key, "+33612345601"); p1 != p2 || !strings.HasPrefix(p1, "P-") {
		t.Errorf("pseudonyms %q %q", p1, p2)
	}
	if Pseudonym(key, "+33612345601") == Pseudonym(pseudonymKey("case-1234-5678", nil), "+33612345601") {
		t.Errorf("pseudonym does not depend on the key")
	}
}

func TestExportRedactedVerifies(t *testing.T) {
	c := newTestCase(t)
	bag := exportTest(t, c, Options{Key: testSigner(t), Redact: true})
	r := mustVerify(t, bag)
	if !r.OK() || !r.Signed {
		t.Fatalf("redacted bag: signed %v, %v", r.Signed, r.Problems)
	}
	if m, _ := filepath.Glob(filepath.Join(bag, "data", "originals", "*")); len(m) > 0 {
		t.Errorf("originals in the redacted bag: %v", m)
	}
	b, _ := os.ReadFile(filepath.Join(bag, "data", "messages.csv"))
	if bytes.Contains(b, []byte("+33612345601")) || bytes.Contains(b, []byte("06 12 34 56 78")) || bytes.Contains(b, []byte("raider_04")) {
		t.Errorf("redacted messages.csv leaks identifiers")
	}
	if !strings.HasSuffix(bag, "-redacted") {
		t.Errorf("bag name %s", bag)
	}
}

func TestDeterministic(t *testing.T) {
	c := newTestCase(t)
	opt := Options{Key: testSigner(t), Now: fixedNow, Agent: "raidtrace/test"}
	a, err := Export(context.Background(), c, t.TempDir(), opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Export(context.Background(), c, t.TempDir(), opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	// the custody log in the second bag has one more entry (the first export): compare every
	// other payload file
	ma, _ := os.ReadFile(filepath.Join(a, "manifest-sha256.txt"))
	mb, _ := os.ReadFile(filepath.Join(b, "manifest-sha256.txt"))
	la, lb := strings.Split(string(ma), "\n"), strings.Split(string(mb), "\n")
	if len(la) != len(lb) {
		t.Fatalf("%d vs %d manifest lines", len(la), len(lb))
	}
	volatile := []string{"data/custody.jsonl", "data/evidence-sha256.txt", "data/report/"}
	for i := range la {
		skip := false
		for _, v := range volatile {
			skip = skip || strings.Contains(la[i], "  "+v)
		}
		if !skip && la[i] != lb[i] {
			t.Errorf("payload differs:\n%s\n%s", la[i], lb[i])
		}
	}
}

// TestDeterministicModel renders the same model twice, reports included: byte-identical.
func TestDeterministicModel(t *testing.T) {
	run := func() string {
		m := handModel()
		m.Derive()
		root := filepath.Join(t.TempDir(), "bag")
		os.Mkdir(root, 0o755)
		if _, err := writeBag(context.Background(), m, nil, root, Options{Key: testSigner(t), Now: fixedNow}, func(string, float64) {}); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(root, "tagmanifest-sha256.txt"))
		mb, _ := os.ReadFile(filepath.Join(root, "manifest-sha256.txt"))
		return string(b) + string(mb)
	}
	if a, b := run(), run(); a != b {
		t.Errorf("two renderings differ:\n%s\n---\n%s", a, b)
	}
}

func TestResultJSONMapsExhibits(t *testing.T) {
	bag := sharedBag(t)
	b, err := os.ReadFile(filepath.Join(bag, "data", "analysis", "result.json"))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		ExhibitIDs []string `json:"exhibit_ids"`
		Result     struct {
			Clusters []struct{ Members []int }
		}
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.ExhibitIDs) == 0 || len(v.Result.Clusters) == 0 {
		t.Fatalf("result.json: %s", b[:200])
	}
	csv, _ := os.ReadFile(filepath.Join(bag, "data", "messages.csv"))
	for _, i := range v.Result.Clusters[0].Members {
		if !bytes.Contains(csv, []byte(v.ExhibitIDs[i]+",")) {
			t.Errorf("exhibit %s of cluster 1 not in messages.csv", v.ExhibitIDs[i])
		}
	}
}

// TestVariantsKept: a raid keeps only the wordings the reports show (the most frequent
// maxVariants) and the number of all of them, which the reports give for the rest.
func TestVariantsKept(t *testing.T) {
	const n = maxVariants + 5
	t0 := time.Date(2024, 5, 1, 20, 0, 0, 0, time.UTC)
	var msgs []casefile.Message
	var members []int
	for v := range n {
		copies := 1
		if v == n-1 {
			copies = 3 // the last wording is the most frequent
		}
		for range copies {
			id := int64(len(msgs) + 1)
			members = append(members, len(msgs))
			msgs = append(msgs, casefile.Message{ID: id, SourceID: 1, Hash: fmt.Sprint(id), Record: importers.Record{
				Time: t0.Add(time.Duration(id) * time.Second), Direction: importers.Incoming, Platform: "sms",
				Sender: importers.Party{E164: fmt.Sprintf("+3361234%04d", id)}, Text: fmt.Sprintf("dégage numéro %d", v)}})
		}
	}
	ids := make([]int64, len(msgs))
	for i := range msgs {
		ids[i] = msgs[i].ID
	}
	res := &analysis.Result{Params: analysis.DefaultParams(), Clusters: []analysis.Cluster{{ID: 1, Members: members,
		Template: "dégage numéro 0", Size: len(members), Senders: len(members), Start: t0, End: t0.Add(time.Hour)}}}
	m := &Model{Info: casefile.Info{ID: "case-1"}, Generated: testNow, Messages: msgs,
		Analysis: &casefile.Analysis{Run: 1, At: testNow, Result: res, MessageIDs: ids}}
	m.Derive()
	r := m.Raids[0]
	if len(r.Variants) != maxVariants || r.VariantCount != n {
		t.Fatalf("got %d variants of %d, want %d of %d", len(r.Variants), r.VariantCount, maxVariants, n)
	}
	if got, want := r.Variants[0], fmt.Sprintf("dégage numéro %d", n-1); got.Text != want || got.Count != 3 {
		t.Errorf("first variant %q ×%d, want %q ×3", got.Text, got.Count, want)
	}
	for _, lang := range []string{"en", "fr"} {
		tr, err := loadStrings(lang)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := m.WriteHTML(&b, tr); err != nil {
			t.Fatal(err)
		}
		if want := html.EscapeString(tr.F("more_variants", n-maxVariants)); !strings.Contains(b.String(), want) {
			t.Errorf("%s report: no %q", lang, want)
		}
		if want := html.EscapeString(tr.F("variants_explained", tr.N(n))); !strings.Contains(b.String(), want) {
			t.Errorf("%s report: no %q", lang, want)
		}
	}
}

// TestDeriveSenders checks the per-sender derivations on senders that write several times, in
// several raids, under two spellings of one number, or without any identifier.
func TestDeriveSenders(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 20, 0, 0, 0, time.UTC)
	a1 := importers.Party{Raw: "06 11 11 11 11", E164: "+33611111111"}
	a2 := importers.Party{Raw: "+33 6 11 11 11 11", E164: "+33611111111", Name: "A"}
	b := importers.Party{Handle: "Bee"}
	c := importers.Party{Raw: "06 33 33 33 33", E164: "+33633333333"}
	e := importers.Party{Raw: "me", E164: "+33600000000"}
	in, out := importers.Incoming, importers.Outgoing
	msgs := []struct {
		from importers.Party
		dir  importers.Direction
	}{
		{a1, in}, {b, in}, {a2, in}, {c, in}, // raid 1 (positions 0-3)
		{b, in}, {importers.Party{}, in}, {importers.Party{}, in}, // raid 2 (4-6)
		{a2, in}, {e, out}, // in no raid
	}
	m := &Model{Info: casefile.Info{ID: "case-senders"}, Generated: testNow, Agent: "raidtrace/test"}
	var ids []int64
	for i, s := range msgs {
		m.Messages = append(m.Messages, casefile.Message{ID: int64(i + 1), SourceID: 1, Hash: fmt.Sprint("h", i),
			Record: importers.Record{Location: fmt.Sprint("line ", i+1), Platform: "sms", Time: t0.Add(time.Duration(i) * time.Minute),
				Sender: s.from, Direction: s.dir, Text: fmt.Sprint("message ", i)}})
		ids = append(ids, int64(i+1))
	}
	res := &analysis.Result{Params: analysis.DefaultParams(), Clusters: []analysis.Cluster{
		{ID: 1, Members: []int{0, 1, 2, 3}, Template: "message", Size: 4, Senders: 3, Start: t0, End: t0.Add(3 * time.Minute)},
		{ID: 2, Members: []int{4, 5, 6}, Template: "message", Size: 3, Senders: 2, Start: t0.Add(4 * time.Minute), End: t0.Add(6 * time.Minute)}}}
	m.Analysis = &casefile.Analysis{Run: 1, At: testNow, Result: res, MessageIDs: ids}
	m.Derive()

	type joined struct {
		sender  string
		msgs    int
		oneShot bool
	}
	for _, tt := range []struct {
		raid    int
		want    []joined
		oneShot int
	}{
		{0, []joined{{"06 11 11 11 11", 2, false}, {"@Bee", 1, false}, {"06 33 33 33 33", 1, true}}, 1},
		{1, []joined{{"@Bee", 1, false}, {"", 2, false}}, 0},
	} {
		r := &m.Raids[tt.raid]
		var got []joined
		for i := range r.Joined {
			got = append(got, joined{m.JoinedSender(&r.Joined[i]), r.Joined[i].Messages, r.Joined[i].OneShot})
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) || r.OneShot != tt.oneShot {
			t.Errorf("raid %d: joined %v, one-shot %d; want %v, %d", r.ID, got, r.OneShot, tt.want, tt.oneShot)
		}
	}
	if f := m.Figures; f.Senders != 3 || f.RaidSenders != 3 || f.Incoming != 8 {
		t.Errorf("figures: %d senders, %d in raids, %d incoming; want 3, 3, 8", f.Senders, f.RaidSenders, f.Incoming)
	}
	var csvOut bytes.Buffer
	if err := m.WriteSendersCSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	want := `sender,e164,handle,account_id,name,raw,messages,first_utc,last_utc,clusters
+33600000000,+33600000000,,,,me,1,2024-05-01T20:08:00.000Z,2024-05-01T20:08:00.000Z,
+33611111111,+33611111111,,,A,06 11 11 11 11,3,2024-05-01T20:00:00.000Z,2024-05-01T20:07:00.000Z,1
+33633333333,+33633333333,,,,06 33 33 33 33,1,2024-05-01T20:03:00.000Z,2024-05-01T20:03:00.000Z,1
bee,,Bee,,,,2,2024-05-01T20:01:00.000Z,2024-05-01T20:04:00.000Z,1 2
`
	if got := strings.ReplaceAll(csvOut.String(), "\r\n", "\n"); got != want {
		t.Errorf("senders.csv:\n%s\nwant:\n%s", got, want)
	}
}

// TestPackParty: a party packed into one string comes back field for field, whatever the
// fields' lengths and bytes, and its key shares the packed string's bytes.
func TestPackParty(t *testing.T) {
	long := strings.Repeat("é", 200) // lengths of several uvarint bytes
	for _, p := range []importers.Party{
		{},
		{Raw: "06 12 34 56 01", E164: "+33612345601"},
		{Handle: "Troll", ID: "123", Name: "Troll 🎭"},
		{Raw: long, E164: "", Handle: long + "x", Name: "\x00\xff", ID: long},
		{ID: "42"},
	} {
		s := string(packParty(nil, &p))
		if got := unpackParty(s); got != p {
			t.Errorf("%+v: unpacked as %+v", p, got)
		}
	}
	m := &Model{}
	pt := m.newPartyTable()
	a := casefile.Message{Record: importers.Record{Sender: importers.Party{Raw: "06 12", E164: "+33612"}}}
	b := casefile.Message{Record: importers.Record{Sender: importers.Party{Raw: "06 12", E164: "+33612", Name: "A"}}}
	la, lb, la2 := m.liteOf(&a, pt), m.liteOf(&b, pt), m.liteOf(&a, pt)
	if la.sender != la2.sender || la.sender == lb.sender || len(m.parties) != 2 {
		t.Errorf("party numbers %d, %d, %d (%d parties): want one per distinct party", la.sender, lb.sender, la2.sender, len(m.parties))
	}
	if got := m.senderOf(&lb); got != b.Sender || m.senderKey(&lb) != "+33612" {
		t.Errorf("sender %+v, key %q", got, m.senderKey(&lb))
	}
}

// TestSuggestionTable checks the compact table against the map it is made from: every id's
// list, in its order, nothing for the others; and a map with more distinct lists than the
// table numbers is kept as it is.
func TestSuggestionTable(t *testing.T) {
	cats := []string{"insult", "death_threat", "doxxing_phone", "sexual_threat"}
	r := rand.New(rand.NewPCG(3, 4))
	by := map[int64][]string{}
	for range 5000 {
		id := r.Int64N(20000) - 100 // a few negative ids too
		var l []string
		for _, c := range cats {
			if r.IntN(3) == 0 {
				l = append(l, c)
			}
		}
		if len(l) == 0 {
			l = []string{cats[r.IntN(len(cats))]}
		}
		r.Shuffle(len(l), func(i, j int) { l[i], l[j] = l[j], l[i] })
		by[id] = l
	}
	big := map[int64][]string{}
	for i := range math.MaxUint16 + 10 {
		big[int64(i)] = []string{fmt.Sprint("c", i)}
	}
	for _, tc := range []struct {
		name string
		by   map[int64][]string
	}{{"random", by}, {"many lists", big}, {"none", map[int64][]string{}}} {
		tab := newSuggestionTable(tc.by)
		for id := int64(-200); id < 70000; id++ {
			if got, want := tab.of(id), tc.by[id]; !slices.Equal(got, want) {
				t.Fatalf("%s: id %d: got %q, want %q", tc.name, id, got, want)
			}
		}
		if tc.name == "random" && len(tab.lists) > 64 {
			t.Errorf("random: %d lists, want at most 64 (the orderings of 1 to 4 of 4 categories)", len(tab.lists))
		}
	}
	var none *suggestionTable
	if got := none.of(1); got != nil {
		t.Errorf("nil table: %q", got)
	}
}
