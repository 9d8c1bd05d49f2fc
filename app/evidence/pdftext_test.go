package evidence

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"raidtrace/assets"
)

func TestPDFTextPlaceholders(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain é à ç œ « » — €", "plain é à ç œ « » — €"},
		{"t'es nul 😡", "t'es nul [U+1F621]"},
		{"pouce 👍🏽 ok", "pouce [U+1F44D][U+1F3FD] ok"},
		{"heart ❤️", "heart ❤"}, // U+2764 is in DejaVu; the emoji selector U+FE0F is dropped
		{"line\nbreak\ttab", "line\nbreak tab"},
		{"bidi \u202eoverride", "bidi  override"},
		{"bad \xff byte", "bad [U+FFFD] byte"},
		{"cjk 漢", "cjk [U+6F22]"},
	}
	for _, tt := range tests {
		got := pdfText(tt.in)
		if got != tt.want {
			t.Errorf("pdfText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if strings.ContainsRune(got, '\uFFFD') {
			t.Errorf("pdfText(%q) = %q contains U+FFFD", tt.in, got)
		}
	}
}

func TestPDFRich(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain é à ç œ « » — €", "plain é à ç œ « » — €"},
		{"t'es nul 😡", "t'es nul 😡"},
		{"pouce 👍🏽 ok", "pouce 👍🏽 ok"},
		{"heart ❤️", "heart ❤"},
		{"𝐟𝐚𝐤𝐞 bold", "𝐟𝐚𝐤𝐞 bold"}, // mathematical letters, as in "fancy font" posts
		{"line\nbreak\ttab", "line\nbreak tab"},
		{"bidi \u202eoverride", "bidi  override"},
		{"bad \xff byte", "bad [U+FFFD] byte"},
		{"cjk 漢", "cjk [U+6F22]"},
		{"newer emoji 🥺", "newer emoji [U+1F97A]"}, // Unicode 11, after the fallback font
	}
	for _, tt := range tests {
		if got := pdfRich(tt.in); got != tt.want {
			t.Errorf("pdfRich(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFallbackFont checks the rebuilt fallback font: a character above the BMP gets a code in
// the private use area, and that code leads to the character's glyph.
func TestFallbackFont(t *testing.T) {
	ff := fallbackFonts()
	if ff == nil {
		t.Fatal("fallback font not loaded")
	}
	orig, err := fs.ReadFile(assets.Sub("report"), "fonts/Symbola.ttf")
	if err != nil {
		t.Fatal(err)
	}
	of, err := sfnt.Parse(orig)
	if err != nil {
		t.Fatal(err)
	}
	nf, err := sfnt.Parse(ff.ttf)
	if err != nil {
		t.Fatalf("rebuilt font: %v", err)
	}
	var buf sfnt.Buffer
	for _, r := range []rune{0x1F602, 0x1F921, 0x1F92E, 0x1F595, 0x1F480, 0x1D41F, 0x2B50} {
		code, ok := ff.code[r]
		if !ok {
			t.Errorf("%U not in the fallback font", r)
			continue
		}
		if r > 0xFFFF && (code < 0xE000 || code > 0xF8FF) {
			t.Errorf("%U has code %U, outside the private use area", r, code)
		}
		want, _ := of.GlyphIndex(&buf, r)
		got, _ := nf.GlyphIndex(&buf, code)
		if got == 0 || got != want {
			t.Errorf("%U: code %U gives glyph %d, want %d", r, code, got, want)
		}
		if ff.adv[r] <= 0 {
			t.Errorf("%U: advance %v", r, ff.adv[r])
		}
	}
	if _, ok := ff.code['é']; ok {
		t.Errorf("é is in DejaVu, not for the fallback font")
	}
}

// TestPDFShowsEmoji renders the test case's PDF and reads its text back with pdftotext: the
// emoji of the test message is drawn with the fallback font and extracted as itself, a
// character no embedded font has shows as its code point, and no U+FFFD appears anywhere; the
// HTML keeps the real characters.
func TestPDFShowsEmoji(t *testing.T) {
	m := handModel()
	m.Messages[0].Text = "t'es nul 😡 🤮, 𝐟𝐚𝐤𝐞, 漢"
	m.Derive()
	for _, lang := range []string{"fr", "en"} {
		tr, _ := loadStrings(lang)
		var h bytes.Buffer
		if err := m.WriteHTML(&h, tr); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.String(), "😡 🤮, 𝐟𝐚𝐤𝐞, 漢") {
			t.Errorf("%s HTML lost the characters", lang)
		}
		txt := pdfToText(t, m, tr)
		if txt == "" {
			t.Skip("pdftotext not installed (make deps installs poppler-utils)")
		}
		for _, want := range []string{"😡", "🤮", "𝐟𝐚𝐤𝐞", "[U+6F22]"} {
			if !strings.Contains(txt, want) {
				t.Errorf("%s PDF text lacks %q", lang, want)
			}
		}
		for _, bad := range []string{"[U+1F621]", "[U+1F92E]", "\uFFFD"} {
			if strings.Contains(txt, bad) {
				i := strings.Index(txt, bad)
				t.Errorf("%s PDF text has %q near %q", lang, bad, txt[max(0, i-40):min(len(txt), i+40)])
			}
		}
		// in the variants (flowing text) and in the annex (a table)
		if n := strings.Count(txt, "😡"); n != 2 {
			t.Errorf("%s PDF: 😡 %d times, want 2: a variant and the annex", lang, n)
		}
	}
}

// TestBundlePDFEmbedsFallback checks the exported PDF embeds the fallback font and keeps a
// reasonable size.
func TestBundlePDFEmbedsFallback(t *testing.T) {
	bag := sharedBag(t)
	for _, lang := range []string{"fr", "en"} {
		p := filepath.Join(bag, "data", "report", "report."+lang+".pdf")
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 400<<10 {
			t.Errorf("%s PDF is %d bytes: the fonts are not cut to the characters used", lang, st.Size())
		}
		if _, err := exec.LookPath("pdffonts"); err != nil {
			t.Skip("pdffonts not installed (poppler-utils)")
		}
		out, err := exec.Command("pdffonts", p).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.ToLower(string(out)), "fallback") {
			t.Errorf("%s PDF does not embed the fallback font:\n%s", lang, out)
		}
		txt, err := exec.Command("pdftotext", "-enc", "UTF-8", p, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(txt, []byte("😀")) {
			t.Errorf("%s PDF: the test message's 😀 is not in its text", lang)
		}
	}
}
