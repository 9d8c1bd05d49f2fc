package evidence

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPDFAnnexLimit lowers the PDF annex limit below the case's size: the PDF lists the first
// messages and says how many there are and where the others are; the HTML still lists all.
func TestPDFAnnexLimit(t *testing.T) {
	m := handModel()
	m.Derive()
	if len(m.Messages) < 3 {
		t.Fatalf("hand model has %d messages, want at least 3", len(m.Messages))
	}
	limit := len(m.Messages) - 1
	first, last := exhibitOf(m.Messages[0].ID), exhibitOf(m.Messages[len(m.Messages)-1].ID)
	old := pdfAnnexLimit
	pdfAnnexLimit = limit
	t.Cleanup(func() { pdfAnnexLimit = old })

	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		annexRows := func(doc []block) (rows int, note string) {
			inAnnex := false
			for _, b := range doc {
				switch {
				case b.Kind == bHeading && b.ID == "annex":
					inAnnex = true
				case inAnnex && b.Kind == bNote:
					note = b.Text
				case inAnnex && b.Kind == bTable:
					rows = b.rowCount()
				}
			}
			return rows, note
		}
		if rows, note := annexRows(m.document(tr, 0)); rows != len(m.Messages) || note != "" {
			t.Errorf("%s, no limit: got %d rows and note %q, want %d rows and no note", lang, rows, note, len(m.Messages))
		}
		rows, note := annexRows(m.document(tr, limit))
		if rows != limit {
			t.Errorf("%s, limit %d: got %d annex rows", lang, limit, rows)
		}
		want := tr.F("annex_capped", tr.N(len(m.Messages)), tr.N(limit), first, exhibitOf(m.Messages[limit-1].ID))
		if note != want {
			t.Errorf("%s: note\n got %q\nwant %q", lang, note, want)
		}

		var h, p bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.String(), last) {
			t.Errorf("%s HTML: last exhibit %s missing: the HTML annex must stay complete", lang, last)
		}
		if err := m.WritePDF(&p, tr); err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed (poppler-utils)")
		}
		f := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(f, p.Bytes(), 0o644)
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		txt := strings.Join(strings.Fields(string(out)), " ")
		if !strings.Contains(txt, strings.Join(strings.Fields(tr.F("annex_capped", tr.N(len(m.Messages)), tr.N(limit), first, exhibitOf(m.Messages[limit-1].ID))), " ")[:60]) {
			t.Errorf("%s PDF: the capped-annex note is missing", lang)
		}
	}
}

// TestPDFTablesCapped: on a big case the PDF's per-raid table of joined senders and the lists of
// flagged messages are capped too (fpdf holds the whole document in memory), each with a note
// saying where the full list is; the document without a limit (the HTML) keeps every row, and
// data/analysis/joined.csv has every joined sender.
func TestPDFTablesCapped(t *testing.T) {
	m := triageModel()
	m.Derive()
	tr, _ := loadStrings("en")
	tables := func(doc []block) (joined, threats, insults int, notes []string) {
		section := ""
		for _, b := range doc {
			switch {
			case b.Kind == bHeading:
				section = b.ID
			case b.Kind == bNote:
				notes = append(notes, b.Text)
			case b.Kind == bTable && len(b.Head) == 7 && section != "custody":
				joined += b.rowCount()
			case b.Kind == bTable && section == "threats-list":
				threats += b.rowCount()
			case b.Kind == bTable && section == "annex-insults":
				insults += b.rowCount()
			}
		}
		return
	}
	j0, th0, in0, notes0 := tables(m.document(tr, 0))
	if j0 != 2 || th0 < 2 || in0 < 2 || slices.Contains(notes0, tr.F("joined_capped", tr.N(2), tr.N(1))) {
		t.Fatalf("no limit: joined %d, threats %d, insults %d, notes %q; want 2, ≥2, ≥2, no capped note", j0, th0, in0, notes0)
	}
	j, th, in, notes := tables(m.document(tr, 10)) // 10 rows at most in a list, 1 joined sender per raid
	if j != 1 || th != th0 || in != in0 {
		t.Errorf("limit 10: joined %d, threats %d, insults %d; want 1, %d, %d", j, th, in, th0, in0)
	}
	if _, th, in, notes := tables(m.document(tr, 1)); th != 1 || in != 1 || !slices.Contains(notes, tr.F("flagged_capped", tr.N(in0), tr.N(1))) {
		t.Errorf("limit 1: threats %d, insults %d, notes %q; want 1, 1 and a capped note", th, in, notes)
	}
	if want := tr.F("joined_capped", tr.N(2), tr.N(1)); !slices.Contains(notes, want) {
		t.Errorf("limit 10: notes %q, want one %q", notes, want)
	}
	var b bytes.Buffer
	if err := m.WriteJoinedCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 1+j0 {
		t.Fatalf("joined.csv: %d rows, %v; want a header and %d rows", len(rows), err, j0)
	}
	if got := strings.Join(rows[1], ","); !strings.HasPrefix(got, "1,1,") || !strings.Contains(got, m.JoinedExhibit(&m.Raids[0].Joined[0])) {
		t.Errorf("joined.csv first row %q: want raid 1, order 1, exhibit %s", got, m.JoinedExhibit(&m.Raids[0].Joined[0]))
	}
}

// TestPDFJoinedBudget: over all raids the PDF lists no more joined senders than the annex limit
// (a 1M-message case has hundreds of raids of thousands of senders); every raid still says how
// many senders it has and where they are listed.
func TestPDFJoinedBudget(t *testing.T) {
	m := raidsModel(false)
	m.Derive()
	for len(m.Raids) < 15 { // 15 raids of 20 senders
		m.Raids = append(m.Raids, m.Raids[len(m.Raids)%5])
	}
	tr, _ := loadStrings("fr")
	rows, notes := 0, 0
	for _, b := range m.document(tr, 10) { // a raid may list 1, all raids 10
		switch {
		case b.Kind == bTable && len(b.Head) == 7 && b.Head[0] == "#":
			rows += b.rowCount()
		case b.Kind == bNote && strings.HasPrefix(b.Text, "Ce raid compte"):
			notes++
		}
	}
	if rows != 10 || notes != 15 {
		t.Errorf("joined rows %d, capped notes %d; want 10 and 15", rows, notes)
	}
}
