package analysis

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  Bonjour   le\tmonde ", "bonjour le monde"},
		{"T'es qu'une SALOPE", "t es qu une salope"},
		{"s4l0pe", "salope"},
		{"c0nn4rd", "connard"},
		{"connaaaasse", "connasse"},
		{"Crève", "creve"},
		{"ÉCŒURANT", "ecoeurant"},
		{"ｓａｌｏｐｅ", "salope"},             // fullwidth
		{"ѕаlоре", "salope"},             // Cyrillic look-alikes
		{"sa\u200blo\u200dpe", "salope"}, // zero-width inside a word
		{"s@lope", "salope"},
		{"@victime t'es morte", "<user> t es morte"},
		{"@camille.dupont, t'es morte.", "<user> t es morte"},
		{"va voir https://exemple.fr/x?y=1 !", "va voir <url>"},
		{"www.site.com", "<url>"},
		{"appelle le 06 12 34 56 78", "appelle le <num>"},
		{"en 2024", "en <num>"},
		{"rdv à 14h30", "rdv a 14h30"},
		{"user12345", "user12345"},
		{"#BalanceTonPorc", "#balancetonporc"},
		{"mdr 😂😂😂 ok", "mdr 😂 ok"},
		{"💀💀 t'es mort", "💀 t es mort"},
		{"noooooon!!!", "non"},
		{"𝐬𝐚𝐥𝐨𝐩𝐞", "salope"}, // mathematical bold
		{"ΡUΤΕ", "pute"},     // Greek capitals
		{"<url> <user> <num>", "<url> <user> <num>"},
		{"100$", "<num>"},
		{"A$AP", "asap"},
		{"ꜱᴀʟᴏᴘᴇ ᴛᴜ ᴠᴀꜱ ᴄʀᴇᴠᴇʀ", "salope tu vas crever"}, // small capitals
		{"🅂🄰🄻🄾🄿🄴 🆂🅰🅻🅾🅿🅴", "salope salope"},               // squared letters
		{"ⓢⓐⓛⓞⓟⓔ", "salope"},                             // circled letters
		{"🇫🇷🇫🇷 allez", "🇫 🇷 🇫 🇷 allez"},                  // flags stay
		{"$alope", "salope"},
		{"$4l0p3", "salope"},
		{"$100", "<num>"},
		// spaced-out letters
		{"t u  v a s  c r e v e r", "tu vas crever"},
		{"t ' e s  u n e  s a l o p e", "t es une salope"},
		{"c.r.e.v.e.r", "crever"},
		{"sale p-u-t-e !", "sale pute"},
		{"(s*a*l*o*p*e)", "salope"},
		{"ｓ ａ ｌ ｏ ｐ ｅ", "salope"},
		{"S A L O P E tu vas voir", "salope tu vas voir"},
		// single letters of ordinary text stay
		{"il y a à manger", "il y a a manger"},
		{"J. R. R. Tolkien", "j r r tolkien"},
		{"a-t-il vu", "a t il vu"},
		{"U.S", "u s"},
		{"p. 3", "p <num>"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeDetail(t *testing.T) {
	got := NormalizeDetail("@Alice regarde https://Ex.com/A, #Honte #honte appelle 06.12.34.56.78 ou 0612345679")
	want := Normalized{
		Text:     "<user> regarde <url> #honte #honte appelle <num> ou <num>",
		URLs:     []string{"https://Ex.com/A"},
		Mentions: []string{"alice"},
		Hashtags: []string{"honte", "honte"},
		Numbers:  []string{"0612345678", "0612345679"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("NormalizeDetail = %+v, want %+v", got, want)
	}
	// a spaced-out text is read twice: its signals must be there once
	got = NormalizeDetail("@Alice s a l o p e https://ex.com #honte 06 12 34 56 78")
	want = Normalized{
		Text:     "<user> salope <url> #honte <num>",
		URLs:     []string{"https://ex.com"},
		Mentions: []string{"alice"},
		Hashtags: []string{"honte"},
		Numbers:  []string{"0612345678"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("NormalizeDetail (spaced out) = %+v, want %+v", got, want)
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"s4l0pe", "connaaaasse", "@x https://a.b #t 06 12", "ѕаlоре 😂😂😂", "a\u200bb", "<url>", "A$AP 1000e", "#_1", "@@", "x@1a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if strings.Contains(n, "  ") || strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") {
			t.Fatalf("Normalize(%q) = %q: spaces not collapsed", s, n)
		}
		if n2 := Normalize(n); n2 != n {
			t.Fatalf("Normalize not idempotent: %q → %q → %q", s, n, n2)
		}
		if d := NormalizeDetail(s); d.Text != n {
			t.Fatalf("NormalizeDetail(%q).Text = %q, Normalize = %q", s, d.Text, n)
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	texts := []string{
		"T'es qu'une s4l0pe @victime, on sait où tu habites 😡😡😡 https://t.co/abc123",
		"Salut, tu viens ce soir ? On se retrouve à 20h devant le cinéma",
		"connaaaasse va crever, t'es vraiment une grosse merde #honte",
	}
	bytes := 0
	for _, s := range texts {
		bytes += len(s)
	}
	b.SetBytes(int64(bytes / len(texts)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Normalize(texts[i%len(texts)])
	}
}

func ExampleNormalize() {
	fmt.Println(Normalize("T'es qu'une S4L0PE connaaaasse @victime 😡😡 https://t.co/x"))
	fmt.Println(Normalize("ѕаlоре")) // Cyrillic look-alikes
	// Output:
	// t es qu une salope connasse <user> 😡 <url>
	// salope
}

func ExampleNormalizeDetail() {
	d := NormalizeDetail("Appelle-la au 06 12 34 56 78 #honte @victime")
	fmt.Println(d.Text)
	fmt.Println(d.Numbers, d.Hashtags, d.Mentions)
	// Output:
	// appelle la au <num> #honte <user>
	// [0612345678] [honte] [victime]
}
