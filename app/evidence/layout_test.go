package evidence

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"raidtrace/assets"
	"raidtrace/importers"
)

// TestReportLayoutFixes checks what looking at the demo PDF showed: the read-me is set in the
// embedded monospaced font (its columns align), the annex names an outgoing message's sender
// when the export left it out, and the annex's time cells fit on one line.
func TestReportLayoutFixes(t *testing.T) {
	m := handModel()
	m.Messages[2].Sender = importers.Party{}
	m.Messages[2].Direction = importers.Outgoing
	m.Derive()
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		var h, p bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.String(), htmlEsc(tr.T("outgoing_sender"))) {
			t.Errorf("%s: annex does not label the outgoing message's sender", lang)
		}
		if err := m.WritePDF(&p, tr); err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("pdffonts"); err != nil {
			t.Skip("pdffonts not installed (poppler-utils)")
		}
		f := filepath.Join(t.TempDir(), "r.pdf")
		os.WriteFile(f, p.Bytes(), 0o644)
		out, err := exec.Command("pdffonts", f).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(string(out)), "dejavumono") {
			t.Errorf("%s: the PDF does not embed the monospaced font:\n%s", lang, out)
		}
		txt, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		// the time of M000001 in the annex is whole on one line
		if !annexRow.Match(txt) {
			t.Errorf("%s: an annex time is cut across lines", lang)
		}
	}
}

func htmlEsc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// annexRow is the annex row of M000001 (the raid tables show the same time followed by "UTC").
var annexRow = regexp.MustCompile(`M000001 +2024-05-01 20:13:07\.123 +06 12`)

// TestTableHeadsFit checks, in both languages, that no word of a PDF table head is wider than
// its column (fpdf would cut it mid-word, as it did for "One-sho|t").
func TestTableHeadsFit(t *testing.T) {
	for _, m := range []*Model{coSignalModel(), triageModel()} {
		m.Derive()
		checkTableHeads(t, m)
	}
}

func checkTableHeads(t *testing.T, m *Model) {
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		f := fpdf.New("P", "mm", "A4", "")
		for _, fn := range []struct{ style, file string }{{"", "fonts/DejaVuSans.ttf"}, {"B", "fonts/DejaVuSans-Bold.ttf"}} {
			b, err := fs.ReadFile(assets.Sub("report"), fn.file)
			if err != nil {
				t.Fatal(err)
			}
			f.AddUTF8FontFromBytes("DejaVu", fn.style, b)
		}
		f.SetFont("DejaVu", "B", 8)
		pw, _ := f.GetPageSize()
		avail := pw - 2*pdfMargin
		tables := 0
		for _, b := range m.document(tr, pdfAnnexLimit) {
			if b.Kind != bTable {
				continue
			}
			tables++
			total := 0.0
			for _, w := range b.Widths {
				total += w
			}
			for i, h := range b.Head {
				// what split gives SplitText, which also takes off the cell margins
				col := b.Widths[i]/total*avail - 1 - 2*f.GetCellMargin()
				for _, word := range strings.Fields(h) {
					if w := f.GetStringWidth(word); w > col {
						t.Errorf("%s: table head %q: word %q is %.1f mm wide, its column %.1f mm", lang, h, word, w, col)
					}
				}
			}
		}
		if tables < 4 {
			t.Errorf("%s: only %d tables checked", lang, tables)
		}
	}
}

// TestChartRaidLabelsOnTop checks that the SVG timeline draws the raid numbers after the bars
// (the bars hid them before) and outside the plot area, in the left margin of the raid's lane.
func TestChartRaidLabelsOnTop(t *testing.T) {
	m := handModel()
	m.Derive()
	tr, _ := loadStrings("en")
	var b bytes.Buffer
	c, _ := m.charts()
	m.writeSVG(&b, tr, &c)
	checkLaneLabels(t, "en", b.String(), 1)
}

func TestCustodySummary(t *testing.T) {
	tests := []struct {
		in   map[string]any
		want string
	}{
		{nil, ""},
		{map[string]any{"b": "x", "a": 1}, "a=1, b=x"},
		{map[string]any{"params": map[string]any{"bands": 20, "rows": 5}}, `params={"bands":20,"rows":5}`},
		{map[string]any{"list": []any{"a", 2}}, `list=["a",2]`},
	}
	for _, tt := range tests {
		if got := custodySummary(tt.in); got != tt.want {
			t.Errorf("custodySummary(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
