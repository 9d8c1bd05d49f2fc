package evidence

import (
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"

	"raidtrace/assets"
)

const (
	pdfMargin = 15.0
	pdfLine   = 4.2 // table line height, mm
	maxLines  = 40  // lines shown per table cell (the full text is in messages.csv)
)

// pdfText makes a string safe for text that fpdf draws in one DejaVu font (paragraphs, notes,
// headings, bookmarks, the footer): control and bidirectional-override characters become spaces,
// emoji presentation selectors (U+FE0E, U+FE0F) are dropped, and every other character DejaVu
// cannot draw becomes its code point in brackets, "[U+1F621]", so the reader sees that a
// character was there and which one. Never U+FFFD. Table cells and variants, where the messages'
// texts are, use pdfRich and draw emoji with the fallback font.
func pdfText(s string) string { return pdfClean(s, fontCoverage()) }

// pdfRich is pdfText for the places that draw with the fallback font too (table cells and
// variants): the characters that font has are kept, for drawRich; only those that neither font
// has become "[U+XXXX]".
func pdfRich(s string) string {
	ff := fallbackFonts()
	if ff == nil {
		return pdfText(s)
	}
	cov := fontCoverage()
	return pdfClean(s, func(r rune) bool {
		_, ok := ff.code[r]
		return ok || cov(r)
	})
}

// pdfClean keeps the characters drawable says a font has, turns controls and invisible
// formatting characters into spaces, drops emoji presentation selectors and writes every other
// character as its code point in brackets.
func pdfClean(s string, drawable func(rune) bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || (r >= 0x200B && r <= 0x200F) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069):
			b.WriteByte(' ')
		case r == 0xFE0E || r == 0xFE0F:
		case r == utf8.RuneError || !drawable(r):
			fmt.Fprintf(&b, "[U+%04X]", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hasFallback reports whether s (from pdfRich) holds a character of the fallback font.
func hasFallback(s string) bool {
	cov := fontCoverage()
	for _, r := range s {
		if r >= 0x7F && !cov(r) && r != '\n' {
			return true
		}
	}
	return false
}

// runs cuts s (from pdfRich) into runs of the DejaVu fonts and runs of the fallback font.
func runs(s string) (out []struct {
	text     string
	fallback bool
}) {
	cov := fontCoverage()
	start, fb := 0, false
	for i, r := range s {
		isFB := r >= 0x7F && !cov(r)
		if i > start && isFB != fb {
			out = append(out, struct {
				text     string
				fallback bool
			}{s[start:i], fb})
			start = i
		}
		fb = isFB
	}
	if start < len(s) {
		out = append(out, struct {
			text     string
			fallback bool
		}{s[start:], fb})
	}
	return out
}

// runeWidth is the width of r in the current font, or in the fallback font when DejaVu lacks it.
func (p *pdfDoc) runeWidth(r rune) float64 {
	if r < 0x7F || fontCoverage()(r) {
		return p.f.GetStringWidth(string(r))
	}
	_, size := p.f.GetFontSize()
	return fallbackFonts().adv[r] * size
}

// wrapRich splits s (from pdfRich, one line) into lines at most w wide, as fpdf's SplitText
// does but measuring the fallback font's characters too: at the last space, else inside a word.
func (p *pdfDoc) wrapRich(s string, w float64) []string {
	wmax := w - 2*p.f.GetCellMargin()
	rs := []rune(s)
	var lines []string
	j, sep, l := 0, -1, 0.0
	for i := 0; i < len(rs); {
		r := rs[i]
		l += p.runeWidth(r)
		if r == ' ' {
			sep = i
		}
		if l > wmax {
			if sep == -1 {
				if i == j {
					i++
				}
				sep = i
			} else {
				i = sep + 1
			}
			lines = append(lines, string(rs[j:sep]))
			sep, j, l = -1, i, 0
			continue
		}
		i++
	}
	if j < len(rs) {
		lines = append(lines, string(rs[j:]))
	}
	return lines
}

// withFallback draws s (a run of the fallback font's characters) with draw, in the fallback font
// at the current size, marked with the real characters as /ActualText; then restores the font.
func (p *pdfDoc) withFallback(s string, draw func(codes string)) {
	f := p.f
	ff := fallbackFonts()
	family, style := f.GetFontFamily(), f.GetFontStyle()
	pt, _ := f.GetFontSize()
	var codes strings.Builder
	var actual strings.Builder
	for _, r := range s {
		codes.WriteRune(ff.code[r])
		for _, u := range utf16.Encode([]rune{r}) {
			fmt.Fprintf(&actual, "%04X", u)
		}
	}
	f.SetFont(fallbackFamily, "", pt)
	f.RawWriteStr("/Span <</ActualText <FEFF" + actual.String() + ">>> BDC")
	draw(codes.String())
	f.RawWriteStr("EMC")
	f.SetFont(family, style, pt)
}

// drawRich draws one line of a table cell at (x, y), as CellFormat would place it, switching to
// the fallback font for the characters DejaVu lacks.
func (p *pdfDoc) drawRich(x, y, lh float64, s string) {
	f := p.f
	_, size := f.GetFontSize()
	cx := x + f.GetCellMargin()
	base := y + 0.5*lh + 0.3*size
	for _, r := range runs(s) {
		if !r.fallback {
			f.Text(cx, base, r.text)
			cx += f.GetStringWidth(r.text)
			continue
		}
		p.withFallback(r.text, func(codes string) { f.Text(cx, base, codes) })
		for _, c := range r.text {
			cx += p.runeWidth(c)
		}
	}
}

var (
	coverOnce sync.Once
	coverFn   func(rune) bool
)

// fontCoverage reports which characters both embedded DejaVu fonts (regular and bold) have a
// glyph for, read from their cmap tables.
func fontCoverage() func(rune) bool {
	coverOnce.Do(func() {
		var fonts []*sfnt.Font
		for _, file := range []string{"fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"} {
			data, err := fs.ReadFile(assets.Sub("report"), file)
			if err != nil {
				continue
			}
			if f, err := sfnt.Parse(data); err == nil {
				fonts = append(fonts, f)
			}
		}
		var mu sync.Mutex
		var buf sfnt.Buffer
		cache := map[rune]bool{}
		coverFn = func(r rune) bool {
			if r < 0x7F && r >= 0x20 {
				return true
			}
			mu.Lock()
			defer mu.Unlock()
			if ok, seen := cache[r]; seen {
				return ok
			}
			ok := len(fonts) > 0 && r <= 0xFFFF // fpdf's UTF-8 fonts address the BMP only
			for _, f := range fonts {
				if gi, err := f.GlyphIndex(&buf, r); err != nil || gi == 0 {
					ok = false
				}
			}
			cache[r] = ok
			return ok
		}
	})
	return coverFn
}

type pdfDoc struct {
	f    *fpdf.Fpdf
	t    *tr
	w, h float64 // page size
}

// WritePDF renders the report as a PDF with embedded DejaVu fonts, bookmarks, page numbers and
// searchable text. The output depends only on the model (dates come from m.Generated).
func (m *Model) WritePDF(w io.Writer, t *tr) error {
	return m.renderPDF(w, t, m.pdfBlocks(t))
}

// pdfBlocks is the PDF's content in language t, its tables made row by row: unlike
// [Model.document]'s, the blocks no longer read the model's messages.
func (m *Model) pdfBlocks(t *tr) []block {
	doc := m.document(t, pdfAnnexLimit)
	for i := range doc {
		b := &doc[i]
		for j := range b.NRows {
			b.Rows = append(b.Rows, b.Row(j))
		}
		b.NRows, b.Row = 0, nil
	}
	return doc
}

// renderPDF renders the PDF of doc, blocks from [Model.pdfBlocks]; of the model, it reads only
// the case id, the agent and the time of generation.
func (m *Model) renderPDF(w io.Writer, t *tr, doc []block) error {
	f := fpdf.New("P", "mm", "A4", "")
	rep := assets.Sub("report")
	for _, fn := range []struct{ style, file string }{{"", "fonts/DejaVuSans.ttf"}, {"B", "fonts/DejaVuSans-Bold.ttf"}} {
		b, err := fs.ReadFile(rep, fn.file)
		if err != nil {
			return fmt.Errorf("report font: %w", err)
		}
		f.AddUTF8FontFromBytes("DejaVu", fn.style, b)
	}
	mono, err := fs.ReadFile(rep, "fonts/DejaVuSansMono.ttf")
	if err != nil {
		return fmt.Errorf("report font: %w", err)
	}
	f.AddUTF8FontFromBytes("DejaVuMono", "", mono)
	if ff := fallbackFonts(); ff != nil {
		f.AddUTF8FontFromBytes(fallbackFamily, "", ff.ttf)
	}
	gen := m.Generated
	if gen.IsZero() {
		gen = time.Unix(0, 0).UTC()
	}
	f.SetCreationDate(gen)
	f.SetModificationDate(gen)
	f.SetCatalogSort(true)
	f.SetTitle(t.T("title")+" "+m.Info.ID, true)
	f.SetCreator(m.Agent, true)
	f.SetProducer(m.Agent, true)
	f.SetLang(t.Lang)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin+5)
	f.AliasNbPages("{nb}")
	p := &pdfDoc{f: f, t: t}
	p.w, p.h = f.GetPageSize()
	f.SetFooterFunc(func() {
		f.SetY(-12)
		f.SetFont("DejaVu", "", 8)
		f.SetTextColor(110, 110, 110)
		f.CellFormat(0, 5, pdfText(fmt.Sprintf("%s — %s — %s", t.T("title"), m.Info.ID, t.F("page_of", f.PageNo(), "{nb}"))), "", 0, "C", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	first := true
	for _, b := range doc {
		if f.Err() {
			break
		}
		p.block(b, &first)
	}
	if err := f.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	return f.Output(w)
}

func (p *pdfDoc) block(b block, first *bool) {
	f := p.f
	switch b.Kind {
	case bHeading:
		if b.Level == 1 {
			if !*first && f.GetY() > p.h*0.6 {
				f.AddPage()
			}
			*first = false
			f.Ln(3)
			f.SetFont("DejaVu", "B", 15)
			f.SetTextColor(139, 30, 30)
		} else {
			if f.GetY() > p.h-60 {
				f.AddPage()
			}
			f.Ln(2)
			f.SetFont("DejaVu", "B", 12)
			f.SetTextColor(139, 30, 30)
		}
		f.Bookmark(pdfText(b.Text), b.Level-1, -1)
		f.MultiCell(0, 7, pdfText(b.Text), "", "L", false)
		if b.Level == 1 {
			y := f.GetY()
			f.SetDrawColor(139, 30, 30)
			f.Line(pdfMargin, y, p.w-pdfMargin, y)
			f.SetDrawColor(0, 0, 0)
		}
		f.SetTextColor(0, 0, 0)
		f.Ln(2)
	case bPara:
		f.SetFont("DejaVu", "", 10)
		f.MultiCell(0, 5, pdfText(b.Text), "", "L", false)
		f.Ln(1.5)
	case bNote:
		f.SetFont("DejaVu", "", 9.5)
		f.SetFillColor(255, 244, 244)
		f.SetDrawColor(200, 120, 120)
		f.MultiCell(0, 5, pdfText(b.Text), "1", "L", true)
		f.SetDrawColor(0, 0, 0)
		f.Ln(2)
	case bKV:
		p.table(nil, &b, []float64{30, 70}, true)
	case bTable:
		p.table(b.Head, &b, b.Widths, false)
	case bMono:
		// monospaced, so the command lines and the file list of the read-me stay aligned
		f.SetFont("DejaVuMono", "", 8)
		f.SetFillColor(246, 246, 246)
		f.MultiCell(0, 3.7, pdfText(b.Text), "", "L", true)
		f.Ln(2)
	case bChart:
		p.chart(b.Chart)
	case bVariants:
		p.variants(b.Raid)
	case bPageBreak:
		f.AddPage()
	}
}

// table draws rows with wrapped cells, repeating the header on each page.
func (p *pdfDoc) table(head []string, b *block, widths []float64, kv bool) {
	f := p.f
	total := 0.0
	for _, w := range widths {
		total += w
	}
	avail := p.w - 2*pdfMargin
	ws := make([]float64, len(widths))
	for i, w := range widths {
		ws[i] = w / total * avail
	}
	size := 8.0
	if kv {
		size = 9.5
	}
	lh := size * 0.5
	header := func() {
		if head == nil {
			return
		}
		f.SetFont("DejaVu", "B", size)
		f.SetFillColor(235, 235, 235)
		p.row(head, ws, lh, true)
	}
	header()
	f.SetFont("DejaVu", "", size)
	b.eachRow(func(r []string) {
		if kv {
			f.SetFont("DejaVu", "B", size)
		}
		cells := make([][]string, len(r))
		n := 1
		for i, c := range r {
			if i >= len(ws) {
				break
			}
			if kv && i == 1 {
				f.SetFont("DejaVu", "", size)
			}
			cells[i] = p.split(c, ws[i])
			n = max(n, len(cells[i]))
		}
		h := float64(n)*lh + 1.6
		if f.GetY()+h > p.h-pdfMargin-5 {
			f.AddPage()
			header()
			f.SetFont("DejaVu", "", size)
		}
		p.drawRow(cells, ws, lh, h, kv, false)
	})
	f.Ln(3)
}

func (p *pdfDoc) split(s string, w float64) []string {
	var out []string
	for _, part := range strings.Split(pdfRich(s), "\n") {
		var ls []string
		if hasFallback(part) {
			ls = p.wrapRich(part, w-1)
		} else {
			ls = p.f.SplitText(part, w-1)
		}
		if len(ls) == 0 {
			ls = []string{""}
		}
		out = append(out, ls...)
		if len(out) > maxLines {
			out = append(out[:maxLines], "[…]")
			break
		}
	}
	return out
}

func (p *pdfDoc) row(cells []string, ws []float64, lh float64, fill bool) {
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = p.split(c, ws[i])
		n = max(n, len(lines[i]))
	}
	h := float64(n)*lh + 1.6
	if p.f.GetY()+h > p.h-pdfMargin-5 {
		p.f.AddPage()
	}
	p.drawRow(lines, ws, lh, h, false, fill)
}

func (p *pdfDoc) drawRow(cells [][]string, ws []float64, lh, h float64, kv, fill bool) {
	f := p.f
	x0, y0 := pdfMargin, f.GetY()
	f.SetDrawColor(200, 200, 200)
	x := x0
	for i, w := range ws {
		style := "D"
		if fill || (kv && i == 0) {
			if kv && i == 0 {
				f.SetFillColor(246, 246, 246)
			}
			style = "FD"
		}
		f.Rect(x, y0, w, h, style)
		if kv {
			if i == 0 {
				f.SetFont("DejaVu", "B", 9.5)
			} else {
				f.SetFont("DejaVu", "", 9.5)
			}
		}
		if i < len(cells) {
			for j, l := range cells[i] {
				if hasFallback(l) {
					p.drawRich(x, y0+0.8+float64(j)*lh, lh, l)
					continue
				}
				f.SetXY(x, y0+0.8+float64(j)*lh)
				f.CellFormat(w, lh, l, "", 0, "L", false, 0, "")
			}
		}
		x += w
	}
	f.SetDrawColor(0, 0, 0)
	f.SetXY(x0, y0+h)
}

// variants writes each variant with the words that differ from the template in bold red.
func (p *pdfDoc) variants(r *Raid) {
	f := p.f
	f.SetFont("DejaVu", "", 9)
	for _, v := range r.Variants {
		if f.GetY() > p.h-pdfMargin-15 {
			f.AddPage()
		}
		f.SetFont("DejaVu", "B", 9)
		f.Write(4.5, fmt.Sprintf("×%d  ", v.Count))
		for _, s := range v.Diff {
			if s.Changed {
				f.SetFont("DejaVu", "B", 9)
				f.SetTextColor(178, 34, 34)
			} else {
				f.SetFont("DejaVu", "", 9)
				f.SetTextColor(0, 0, 0)
			}
			for _, r := range runs(strings.ReplaceAll(pdfRich(s.Text), "\n", " ")) {
				if !r.fallback {
					f.Write(4.5, r.text)
					continue
				}
				p.writeFallback(r.text)
			}
		}
		f.SetTextColor(0, 0, 0)
		f.Ln(6)
	}
	if more := r.VariantCount - len(r.Variants); more > 0 {
		f.MultiCell(0, 4.5, pdfText(p.t.F("more_variants", more)), "", "L", false)
	}
	f.Ln(2)
}

// writeFallback writes s (a run of the fallback font's characters) in flowing text, going to
// the next line or page first when it does not fit, so that no break falls inside its
// /ActualText span.
func (p *pdfDoc) writeFallback(s string) {
	f := p.f
	for _, r := range s {
		w := p.runeWidth(r)
		if f.GetX()+w > p.w-pdfMargin {
			f.Ln(4.5)
		}
		if f.GetY()+4.5 > p.h-pdfMargin-5 {
			f.AddPage()
		}
		p.withFallback(string(r), func(codes string) { f.Write(4.5, codes) })
	}
}

// chart draws a timeline chart like the HTML's SVG (see chartSpec).
func (p *pdfDoc) chart(c *chartSpec) {
	f := p.f
	tl := c.TL
	n := len(tl.All)
	if n == 0 {
		return
	}
	const ch, laneFont = 50.0, 6.5 // plot height (mm), lane number size (pt)
	laneH := min(3.2, 40/float64(max(len(c.Lanes), 1)))
	textH := laneFont * 25.4 / 72 * 0.8 // a digit's height, mm
	every := laneLabelEvery(laneH, textH)
	height := 5 + ch + 7 + laneH*float64(len(c.Lanes)) + 12
	if f.GetY()+height > p.h-pdfMargin-5 {
		f.AddPage()
	}
	left := pdfMargin + 10
	x0, y0 := left, f.GetY()+5
	w := p.w - pdfMargin - left
	base := y0 + ch
	peak := c.Peak()
	xt := func(t time.Time) float64 { return x0 + w*c.frac(t) }
	yv := func(v int) float64 { return base - ch*float64(v)/float64(peak) }
	bw := w / float64(n)
	for i, v := range tl.All {
		if v == 0 {
			continue
		}
		x := x0 + float64(i)*bw
		f.SetFillColor(154, 154, 154)
		f.Rect(x, yv(v), max(bw-0.1, 0.15), base-yv(v), "F")
		if r := tl.InRaid[i]; r > 0 {
			f.SetFillColor(178, 34, 34)
			f.Rect(x, yv(r), max(bw-0.1, 0.15), base-yv(r), "F")
		}
	}
	f.SetDrawColor(50, 50, 50)
	f.Line(x0, base, x0+w, base)
	f.Line(x0, y0, x0, base)
	f.SetFont("DejaVu", "", 7)
	f.Text(x0-1.5-f.GetStringWidth(p.t.N(peak)), y0+2.5, pdfText(p.t.N(peak)))
	f.Text(x0-1.5-f.GetStringWidth("0"), base, "0")
	for _, k := range c.Ticks {
		x := xt(k.At)
		f.Line(x, base, x, base+1.2)
		lw := f.GetStringWidth(k.Label)
		lx := min(max(x-lw/2, x0), x0+w-lw)
		f.Text(lx, base+4, pdfText(k.Label))
	}
	// one lane per raid under the axis, numbered in the left margin: windows that overlap or
	// start minutes apart stay apart, and no number covers a bar or another number
	laneTop := base + 6
	f.SetFont("DejaVu", "", laneFont)
	for i, l := range c.Lanes {
		ly := laneTop + float64(i)*laneH
		if i%2 == 0 {
			f.SetFillColor(244, 244, 244)
			f.Rect(x0, ly, w, laneH, "F")
		}
		a, b := xt(l.Start), xt(l.End)
		f.SetFillColor(224, 122, 122)
		f.Rect(a, ly+laneH*0.15, max(b-a, 0.5), laneH*0.7, "F")
		if i%every == 0 {
			s := fmt.Sprint(l.ID)
			f.SetTextColor(139, 30, 30)
			f.Text(x0-1.5-f.GetStringWidth(s), ly+laneH/2+textH/2, s)
			f.SetTextColor(0, 0, 0)
		}
	}
	f.SetDrawColor(0, 0, 0)
	f.SetXY(pdfMargin, laneTop+laneH*float64(len(c.Lanes))+1.5)
	f.SetFont("DejaVu", "", 8)
	a, b := chartRange(c)
	f.MultiCell(0, 4, pdfText(p.t.F("chart_axis", a, b, durationText(p.t, tl.Width))+". "+p.t.T("chart_legend_pdf")), "", "C", false)
	f.Ln(3)
}
