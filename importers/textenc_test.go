package importers

import (
	"context"
	"io"
	"strings"
	"testing"
)

func TestUTF8Reader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"utf-8 unchanged", "a,b\n", "a,b\n"},
		{"utf-8 bom kept for the parser", "\ufeffa,b", "\ufeffa,b"},
		{"utf-16le bom", "\xff\xfea\x00,\x00\xe9\x00", "a,é"},
		{"utf-16be bom", "\xfe\xff\x00a\x00,\x00\xe9", "a,é"},
		{"utf-16le without bom", "a\x00b\x00c\x00", "abc"},
		{"utf-16be without bom", "\x00a\x00b", "ab"},
		{"utf-16le emoji pair", "\xff\xfe\x3d\xd8\x00\xde", "😀"},
		{"utf-16le lone surrogate", "\xff\xfe\x3d\xd8a\x00", "\ufffda"},
		{"utf-16le odd last byte", "\xff\xfea\x00b", "a\ufffd"},
		{"binary zero first is not text", "\x00\x00\x00\x01", "\x00\x00\x00\x01"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		b, err := io.ReadAll(UTF8Reader(strings.NewReader(tt.in)))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if string(b) != tt.want {
			t.Errorf("%s: UTF8Reader(%q) = %q, want %q", tt.name, tt.in, b, tt.want)
		}
		if tt.name == "utf-16le odd last byte" {
			continue // UTF8Head drops a cut character instead
		}
		if got := string(UTF8Head([]byte(tt.in))); got != tt.want {
			t.Errorf("%s: UTF8Head(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// TestStreamFormatUTF16: sniff and read of a StreamFormat see the UTF-8 text of a UTF-16 file.
func TestStreamFormatUTF16(t *testing.T) {
	var sniffed, read string
	f := StreamFormat("t", "test", func(head []byte, _ string) bool { sniffed = string(head); return true },
		func(_ context.Context, r io.Reader, _ Options, _ Sink) error {
			b, err := io.ReadAll(r)
			read = string(b)
			return err
		})
	in := "\xff\xfeF\x00r\x00o\x00m\x00"
	f.Sniff([]byte(in), "x.csv")
	if err := f.Read(context.Background(), strings.NewReader(in), Options{}, &Collector{}); err != nil {
		t.Fatal(err)
	}
	if sniffed != "From" || read != "From" {
		t.Errorf("got sniff %q, read %q; want both \"From\"", sniffed, read)
	}
}

func TestLegacyReader(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		decoded bool
	}{
		{"ascii", "Nom;Montant\n", "Nom;Montant\n", false},
		{"utf-8 accents", "Prénom;Montant (€)\n", "Prénom;Montant (€)\n", false},
		{"windows-1252", "Pr\xe9nom;Montant (\x80)\n\x93oui\x94\n", "Prénom;Montant (€)\n“oui”\n", true},
		{"utf-8 with one bad byte", "Prénom;caf\xe9\n", "Prénom;caf\xe9\n", false},
		{"short file ending in a lone lead byte", "Pr\xc3", "PrÃ", true},
	}
	for _, tt := range tests {
		r, decoded := LegacyReader(strings.NewReader(tt.in))
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want || decoded != tt.decoded {
			t.Errorf("%s: got %q, %v; want %q, %v", tt.name, b, decoded, tt.want, tt.decoded)
		}
	}
	// A full window ending inside a UTF-8 character is not taken for Windows-1252.
	in := strings.Repeat("a", legacyWindow-1) + "é"
	if _, decoded := LegacyReader(strings.NewReader(in)); decoded {
		t.Errorf("UTF-8 character cut by the window: decoded as Windows-1252")
	}
}
