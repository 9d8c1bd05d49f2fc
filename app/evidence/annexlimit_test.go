package evidence

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
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
