package evidence

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

func TestNumberFormats(t *testing.T) {
	fr, _ := loadStrings("fr")
	en, _ := loadStrings("en")
	tests := []struct {
		got, want string
	}{
		{fr.N(1920), "1920"},
		{en.N(1920), "1920"},
		{fr.N(12345), "12\u202f345"},
		{en.N(12345), "12,345"},
		{fr.N(1234567), "1\u202f234\u202f567"},
		{en.N(-123456), "-123,456"},
		{fr.Dec(3, 1), "3,0"},
		{en.Dec(3, 1), "3.0"},
		{fr.Money(307.2, "EUR"), "307,20 EUR"},
		{en.Money(307.2, ""), "307.20 EUR"},
		{fr.Category(analysis.ThreatFamilyHome), "menace contre la famille ou le domicile"},
		{en.Category(analysis.DeathThreat), "death threat"},
		{en.Category("new_category"), "new_category"},
		{durationText(fr, 3*time.Hour), "3,0 h"},
		{durationText(en, 3*time.Hour), "3.0 h"},
		{durationText(fr, 72*time.Hour), "3,0 jours"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

// triageModel is handModel plus an ordinary message outside the raid, four messages suggested as
// insults only and two threats, one of them confirmed by the reviewer.
func triageModel() *Model {
	m := handModel()
	t0 := m.Messages[0].Time
	add := func(id int64, d time.Duration, text string) {
		m.Messages = append(m.Messages, casefile.Message{ID: id, SourceID: 1, Hash: "h", Record: importers.Record{
			Platform: "sms", Time: t0.Add(d), Sender: importers.Party{Raw: "07 00 00 00 " + string(rune('0'+id))},
			Direction: importers.Incoming, Text: text}})
		m.Analysis.MessageIDs = append(m.Analysis.MessageIDs, id)
	}
	add(4, time.Hour, "bonjour")
	add(5, 2*time.Hour, "espèce d'idiote")
	add(6, 3*time.Hour, "idiote")
	add(7, 4*time.Hour, "je vais te tuer")
	add(8, 5*time.Hour, "on sait où tu habites, idiote")
	m.Suggestions = map[int64][]string{
		1: {analysis.Insult}, 2: {analysis.Insult}, 5: {analysis.Insult}, 6: {analysis.Insult},
		7: {analysis.DeathThreat}, 8: {analysis.Insult, analysis.ThreatFamilyHome},
	}
	m.Decisions = append(m.Decisions, casefile.Decision{MessageID: 7, Subject: "flag:death_threat", Verdict: "confirmed"})
	return m
}

// TestThreatsFirst checks the threats section: every threat listed, the insults counted per
// raid and listed in their own annex after the verify section, in both languages.
func TestThreatsFirst(t *testing.T) {
	m := triageModel()
	m.Derive()
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		doc := m.document(tr, 0)
		pos := map[string]int{}
		for i, b := range doc {
			if b.Kind == bHeading {
				pos[b.ID] = i
			}
		}
		for _, id := range []string{"threats", "threats-list", "threats-by-raid", "verify", "annex-insults", "annex"} {
			if _, ok := pos[id]; !ok {
				t.Fatalf("%s: no section %q", lang, id)
			}
		}
		if !(pos["threats"] < pos["threats-list"] && pos["threats-list"] < pos["threats-by-raid"] &&
			pos["threats-by-raid"] < pos["verify"] && pos["verify"] < pos["annex-insults"] && pos["annex-insults"] < pos["annex"]) {
			t.Errorf("%s: section order %v", lang, pos)
		}
		table := func(after string) *block {
			for i := pos[after]; i < len(doc); i++ {
				if doc[i].Kind == bTable {
					return &doc[i]
				}
			}
			return nil
		}
		exhibits := func(b *block) []string {
			var out []string
			b.eachRow(func(r []string) { out = append(out, r[0]) })
			return out
		}
		if got := strings.Join(exhibits(table("threats-list")), " "); got != "M000007 M000008" {
			t.Errorf("%s: threats table lists %s, want M000007 M000008", lang, got)
		}
		if got := strings.Join(exhibits(table("annex-insults")), " "); got != "M000001 M000002 M000005 M000006" {
			t.Errorf("%s: insults annex lists %s, want M000001 M000002 M000005 M000006", lang, got)
		}
		// per raid: raid 1 holds the two insults of messages 1 and 2; outside: 2 insults, 1 death
		// threat, 1 family threat (and message 8's insult)
		sum := table("threats-by-raid")
		wantHead := []string{tr.T("col_raid"), tr.T("col_messages"), tr.Category(analysis.DeathThreat),
			tr.Category(analysis.ThreatFamilyHome), tr.Category(analysis.Insult)}
		if strings.Join(sum.Head, "|") != strings.Join(wantHead, "|") {
			t.Errorf("%s: summary head %q, want %q", lang, sum.Head, wantHead)
		}
		wantRows := []string{"1|2|0|0|2", tr.T("outside_raids") + "|6|1|1|3", tr.T("total") + "|8|1|1|5"}
		for i, r := range sum.Rows {
			if i >= len(wantRows) || strings.Join(r, "|") != wantRows[i] {
				t.Errorf("%s: summary row %d %q, want %q", lang, i, r, wantRows)
			}
		}
		threats := table("threats-list")
		if got, want := strings.Join(threats.Row(0)[4:], "|"), tr.Category(analysis.DeathThreat)+"|"+tr.F("flag_verdict", tr.Category(analysis.DeathThreat), tr.T("verdict_confirmed")); got != want {
			t.Errorf("%s: threat row suggestion|decision %q, want %q", lang, got, want)
		}
	}
}

// TestCategoriesTranslated renders both reports and looks for the categories' ids: none is left,
// in the HTML or the PDF text.
func TestCategoriesTranslated(t *testing.T) {
	m := triageModel()
	m.Derive()
	raw := regexp.MustCompile(`\b(death_threat|sexual_threat|threat_family_|doxxing_|insult\b)`)
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		var h bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		if lang == "en" {
			// "insult" is also the English word: check the ids with an underscore only
			raw = regexp.MustCompile(`\b(death_threat|sexual_threat|threat_family_|doxxing_)`)
		}
		if s := raw.FindString(h.String()); s != "" {
			t.Errorf("%s HTML: category id %q", lang, s)
		}
		if !strings.Contains(h.String(), htmlEsc(tr.Category(analysis.ThreatFamilyHome))) {
			t.Errorf("%s HTML: no %q", lang, tr.Category(analysis.ThreatFamilyHome))
		}
		txt := pdfToText(t, m, tr)
		if txt == "" {
			continue
		}
		if s := raw.FindString(txt); s != "" {
			t.Errorf("%s PDF: category id %q", lang, s)
		}
	}
}

// pdfToText renders the model's PDF and returns its text (pdftotext -layout), "" when pdftotext
// is missing.
func pdfToText(t *testing.T, m *Model, tr *tr) string {
	t.Helper()
	var p bytes.Buffer
	if err := m.WritePDF(&p, tr); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext not installed (poppler-utils): PDF text not checked")
		return ""
	}
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, p.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestFrenchNumbers checks the amounts, durations and scores of the French report use a decimal
// comma, and the English one a point.
func TestFrenchNumbers(t *testing.T) {
	m := triageModel()
	m.Derive()
	for _, tt := range []struct {
		lang      string
		want, not []string
	}{
		{"fr", []string{"0,32 EUR (2 messages d'un raid × 0,16 EUR par message)", "2,00"}, []string{"0.32 EUR", "0.16 EUR", "2.00"}},
		{"en", []string{"0.32 EUR (2 messages in a raid × 0.16 EUR per message)", "2.00"}, []string{"0,32", "0,16"}},
	} {
		tr, _ := loadStrings(tt.lang)
		var h bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		txt := pdfToText(t, m, tr)
		for _, w := range tt.want {
			if !strings.Contains(h.String(), htmlEsc(w)) {
				t.Errorf("%s HTML lacks %q", tt.lang, w)
			}
			if txt != "" && !strings.Contains(squashSpaces(txt), w) {
				t.Errorf("%s PDF lacks %q", tt.lang, w)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(h.String(), n) {
				t.Errorf("%s HTML has %q", tt.lang, n)
			}
		}
	}
}

func squashSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// TestDamageIsRaidMessages checks the damage estimate counts the messages in a raid, as the GUI's
// overview does, not every message received.
func TestDamageIsRaidMessages(t *testing.T) {
	m := triageModel()
	m.Derive()
	f := m.Figures
	if f.Incoming != 7 || f.RaidMessages != 2 {
		t.Fatalf("incoming %d, raid messages %d; want 7, 2", f.Incoming, f.RaidMessages)
	}
	if want := analysis.Damage(f.RaidMessages, 0.16); f.Damage != want {
		t.Errorf("damage %v, want %v (raid messages × unit cost)", f.Damage, want)
	}
	// A cluster that did not arrive in a burst (a text repeated slowly) is described but not
	// counted, as in the GUI's key figures.
	m = triageModel()
	m.Analysis.Result.Clusters = append(m.Analysis.Result.Clusters, analysis.Cluster{ID: 2, Members: []int{5, 7},
		Template: "idiote", Size: 2, Senders: 2, Start: m.Messages[5].Time, End: m.Messages[7].Time, Score: 1})
	m.Derive()
	if f := m.Figures; f.Raids != 1 || f.RaidMessages != 2 || len(m.Raids) != 2 || !m.Raids[0].InBurst || m.Raids[1].InBurst {
		t.Errorf("with a slow cluster: raids %d, raid messages %d, sections %d (in burst %v, %v); want 1, 2, 2 (true, false)",
			f.Raids, f.RaidMessages, len(m.Raids), m.Raids[0].InBurst, m.Raids[len(m.Raids)-1].InBurst)
	}
	var b bytes.Buffer
	if err := m.WriteClustersCSV(&b); err != nil {
		t.Fatal(err)
	}
	if rows, _ := csv.NewReader(&b).ReadAll(); len(rows) != 3 || rows[0][8] != "raid" || rows[1][8] != "true" || rows[2][8] != "false" {
		t.Errorf("clusters.csv raid column: %q", rows)
	}
}

func TestReflow(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"short line", 20, "short line"},
		{"one two three four five six", 20, "one two three four\nfive six"},
		{"  indented text that is long", 20, "  indented text that\n  is long"},
		{"  data/x.csv   the rows of the file", 28, "  data/x.csv   the rows of\n               the file"},
		{"1. Import. Each file is copied", 20, "1. Import. Each file\n   is copied"},
		{"    cmd --with a very long line that stays", 20, "    cmd --with a very long line that stays"},
		{"Depuis ce dossier :", 12, "Depuis ce\ndossier :"},
		{"le mot « OK » ici", 10, "le mot\n« OK » ici"},
		{"no\u00a0break here", 8, "no\u00a0break\nhere"},
	}
	for _, tt := range tests {
		if got := reflow(tt.in, tt.width); got != tt.want {
			t.Errorf("reflow(%q, %d) =\n%s\nwant\n%s", tt.in, tt.width, got, tt.want)
		}
	}
}

// TestReadmeWrapped checks README.txt (both languages) and the method: no line is longer than
// 78 columns whatever the case id, software name and fingerprint, every wrapped line is full (no
// break mid-sentence before a short line), and the contents table keeps one column.
func TestReadmeWrapped(t *testing.T) {
	for _, redacted := range []bool{false, true} {
		m := handModel()
		m.Info.ID = "f82c39b1-cb24-4263-a0c0-1dc19be4e2b3"
		m.Agent = "raidtrace 1.2.3-rc.4+build.20260314"
		m.Fingerprint = "SHA256:Ifj63bJnV9cRvrtnuQc3PvhsUsSuqx+5hdKphB+c2Yg"
		m.Redacted = redacted
		m.Derive()
		var b bytes.Buffer
		if err := m.WriteReadme(&b); err != nil {
			t.Fatal(err)
		}
		if err := m.WriteMethod(&b); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		descCol := -1
		for i, l := range lines {
			if n := utf8.RuneCountInString(l); n > textWidth {
				t.Errorf("redacted=%v: line %d is %d columns: %q", redacted, i+1, n, l)
			}
			if m := tableRow.FindStringSubmatch(l); m != nil && strings.HasPrefix(l, "  data/") {
				if c := utf8.RuneCountInString(m[1]); descCol < 0 {
					descCol = c
				} else if c != descCol {
					t.Errorf("redacted=%v: line %d: table text at column %d, want %d: %q", redacted, i+1, c, descCol, l)
				}
			}
			if i+1 < len(lines) && utf8.RuneCountInString(l) > 40 {
				next := lines[i+1]
				indent := len(next) - len(strings.TrimLeft(next, " "))
				cont := next != "" && indent < 4 && indent == len(l)-len(strings.TrimLeft(l, " ")) && !tableRow.MatchString(next)
				if descCol > 0 && indent == descCol {
					cont = true // a table row's second line
				}
				if w := strings.Fields(next); cont && len(w) > 0 && utf8.RuneCountInString(l)+1+utf8.RuneCountInString(w[0]) <= textWidth &&
					!strings.HasSuffix(l, ")") && !strings.HasSuffix(l, ":") && !strings.HasSuffix(l, ".") {
					t.Errorf("redacted=%v: line %d broken early: %q then %q", redacted, i+1, l, next)
				}
			}
		}
		if descCol < 0 {
			t.Errorf("no contents table found")
		}
		s := b.String()
		if !strings.Contains(s, "English version below") {
			t.Errorf("README.txt does not announce its English half")
		}
	}
}

// TestReportReadmeOneLanguage checks that the read-me shown in a report does not announce an
// English version that the French report does not hold.
func TestReportReadmeOneLanguage(t *testing.T) {
	m := handModel()
	m.Derive()
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		var h bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(h.String(), "English version below") {
			t.Errorf("%s report: the read-me announces an English version below", lang)
		}
	}
}

// TestPDFReadmeLines checks that the PDF shows the read-me with the lines of README.txt: each
// long line of the text is a whole line of the PDF's text, not broken again.
func TestPDFReadmeLines(t *testing.T) {
	m := handModel()
	m.Fingerprint = "SHA256:Ifj63bJnV9cRvrtnuQc3PvhsUsSuqx+5hdKphB+c2Yg"
	m.Derive()
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		txt := pdfToText(t, m, tr)
		if txt == "" {
			t.Skip("pdftotext not installed")
		}
		pdfLines := map[string]bool{}
		for _, l := range strings.Split(txt, "\n") {
			pdfLines[squashSpaces(l)] = true
		}
		readme, err := tr.text("readme", m.textData())
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, l := range strings.Split(readme, "\n") {
			if utf8.RuneCountInString(l) < 60 {
				continue
			}
			checked++
			if !pdfLines[squashSpaces(l)] {
				t.Errorf("%s PDF: read-me line not whole: %q", lang, l)
			}
		}
		if checked < 10 {
			t.Errorf("%s: only %d read-me lines checked", lang, checked)
		}
	}
}
