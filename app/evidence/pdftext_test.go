package evidence

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

// TestPDFShowsEmojiCodePoints renders the test case's PDF and reads its text back with pdftotext:
// the emoji of the test message appears as "[U+1F600]" and no U+FFFD appears anywhere; the HTML
// keeps the real character.
func TestPDFShowsEmojiCodePoints(t *testing.T) {
	bag := sharedBag(t)
	for _, lang := range []string{"fr", "en"} {
		html, err := os.ReadFile(filepath.Join(bag, "data", "report", "report."+lang+".html"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(html, []byte("😀")) {
			t.Errorf("%s HTML lost the emoji", lang)
		}
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not installed (make deps installs poppler-utils)")
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(bag, "data", "report", "report."+lang+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		txt := string(out)
		if !strings.Contains(txt, "[U+1F600]") {
			t.Errorf("%s PDF: no [U+1F600] placeholder for the emoji", lang)
		}
		if strings.ContainsRune(txt, '\uFFFD') {
			i := strings.IndexRune(txt, '\uFFFD')
			t.Errorf("%s PDF contains U+FFFD near %q", lang, txt[max(0, i-40):min(len(txt), i+40)])
		}
	}
}
