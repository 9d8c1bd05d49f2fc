package analysis

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestWordDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"t es une salope", "t es une salope", ""},
		{"t es une salope", "<user> t es une salope", "+<user>"},
		{"t es une salope", "t es vraiment une salope 🤡", "+vraiment +🤡"},
		{"on sait ou tu habites", "on sait pas ou tu vis", "+pas -habites +vis"},
		{"a b c", "", "-a -b -c"},
	}
	for _, tt := range tests {
		var buf []int32
		got := strings.Join(wordDiff(strings.Fields(tt.a), strings.Fields(tt.b), &buf), " ")
		if got != tt.want {
			t.Errorf("wordDiff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// sortedJaccard is the reference implementation of jaccard over sorted distinct sets.
func sortedJaccard(a, b []uint32) float64 {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	inter := 0
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); ok {
			inter++
		}
	}
	if len(a)+len(b) == 0 {
		return 1
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func TestJaccard(t *testing.T) {
	p := DefaultParams()
	texts := []string{"t es une salope", "t es une sale pute", "on sait ou tu habites", "ok", "", "<user> <url> 🤡 t es une salope"}
	var sc scratch
	for _, x := range texts {
		a := slices.Clone(shingleSet(nil, &sc, x, &p))
		var h hashSet
		h.reset(len(a))
		for _, k := range a {
			h.add(k)
		}
		for _, y := range texts {
			b := slices.Clone(shingleSet(nil, &sc, y, &p))
			if got, want := jaccard(&h, b), sortedJaccard(a, b); got != want {
				t.Errorf("jaccard(%q, %q) = %v, want %v", x, y, got, want)
			}
		}
	}
}

// FuzzTokens checks the tokenisers: the shingler and the lexicon matcher accept any normalised
// text, shingle sets are duplicate-free and a text always matches itself fully.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"je vais te tuer", "<num> rue des lilas", "crev", "🤡 <user> salope", "", "a", "<url"} {
		f.Add(s)
	}
	lex, err := DefaultLexicon()
	if err != nil {
		f.Fatal(err)
	}
	p := DefaultParams()
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		var sc scratch
		set := shingleSet(nil, &sc, n, &p)
		if len(set) != len(slices.Compact(slices.Sorted(slices.Values(set)))) {
			t.Fatalf("shingleSet(%q) has duplicates", n)
		}
		if n != "" && len(set) == 0 {
			t.Fatalf("shingleSet(%q) is empty", n)
		}
		for cat, ws := range lex.Match(n) {
			for _, w := range ws {
				if !strings.Contains(" "+n+" ", " "+w+" ") {
					t.Fatalf("Match(%q): %s matched %q, not a run of words of the text", n, cat, w)
				}
			}
		}
		var l Lexicon
		if err := l.Parse("fuzz", "[x]\n"+strings.ReplaceAll(s, "\n", " ")); err != nil {
			t.Fatal(err)
		}
		if n != "" && len(l.Match(n)["x"]) == 0 && !strings.ContainsAny(s, "*#[") {
			t.Fatalf("a phrase does not match its own text: %q → %q", s, n)
		}
	})
}

func TestZeroBytes(t *testing.T) {
	for _, x := range []uint64{0, 1, 0xff, 0x80, 0x8000000000000000, 0x0100000000000001, ^uint64(0), 0x7f007f007f007f00, 0x0080008000800080} {
		want := 0
		for i := 0; i < 8; i++ {
			if uint8(x>>(8*i)) == 0 {
				want++
			}
		}
		if got := zeroBytes(x); got != want {
			t.Errorf("zeroBytes(%#x) = %d, want %d", x, got, want)
		}
	}
}

// normalizeWith runs the normaliser with or without the fast path.
func normalizeWith(s string, slow bool) Normalized {
	var n normalizer
	n.slow = slow
	n.run(s, true)
	n.sig.Text = string(n.out)
	return n.sig
}

var fastPathCases = []string{
	"", "a", "Hello", "HELLO, World!!!", "t'es qu'une sale pute", "connaaaasse", "AAAaaa bbB", "a-b_c.d",
	"s4l0pe", "user2389 14h30", "@victime T'ES NUL", "#Boycott ça", "https://t.co/x1 voilà", "we know where you live...",
	"<user> <url> ok", "re:re:re", "x\x01y", "😀😀 ok", "l'école", "ok!!!???", "$money$", "deg@ge", "www.exemple.fr",
	"'quoted' (paren) [br] {cu} <an>", "7'es", "Ｗｅ know", "aaa bbb ccc", "«bonjour»", "HTTP://X.COM",
	"dégage des réseaux", "DÉGAGE", "sœur œuvre", "straße", "T'еs qu'unе sаlе рutе", "½ ℡ ﬁn", "éééé", "ÉéE", "l’école…",
	"sa\u200ble", "caf\u0065\u0301", "Ж ж", "ΑΒΓ", "naïve café", "x\uFFFDy", "a\xffb", "a⁄b", "① ②", "ǅ ǆ",
	"a\nb", "a\tb\r\nc", "a\u00a0b", "a\u2028b", "a\u0085b", "a\u3000b", "a\x1cb", "WwW.x", "x.www", "a://b", "x <b", "#x y",
	"a\x01b c", "http:/ x", "ok\u200b bye", "été   là", "«  »", "ꜳ ꝏ",
}

func TestNormalizeFastPath(t *testing.T) {
	for _, s := range fastPathCases {
		fast, slow := normalizeWith(s, false), normalizeWith(s, true)
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("normalise(%q): fast path %+v, slow path %+v", s, fast, slow)
		}
	}
}

// FuzzNormalizeFastPath checks that the fast path changes nothing.
func FuzzNormalizeFastPath(f *testing.F) {
	for _, s := range fastPathCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fast, slow := normalizeWith(s, false), normalizeWith(s, true)
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("normalise(%q): fast path %+v, slow path %+v", s, fast, slow)
		}
	})
}

func TestAppendFields(t *testing.T) {
	for _, s := range []string{"", " ", "a", " a  b ", "t es\tune\nsalope", "a\u00a0b\u2003c", "🤡 <user> x", "\xff a \xfe"} {
		got, want := appendFields(nil, s), strings.Fields(s)
		if !slices.Equal(got, want) {
			t.Errorf("appendFields(%q) = %q, want %q", s, got, want)
		}
	}
	// every rune between two words, and invalid bytes around it
	for r := rune(0); r <= unicode.MaxRune; r++ {
		for _, s := range []string{"a" + string(r) + "b", "\xe2" + string(r) + "\xc2 x"} {
			if got, want := appendFields(nil, s), strings.Fields(s); !slices.Equal(got, want) {
				t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

// TestInformative checks informative's ASCII fast path against a reference that decodes every
// rune (the code before the fast path, kept here as the oracle), on runes across the whole range,
// masks and invalid bytes.
func TestInformative(t *testing.T) {
	slow := func(t string) int { // every rune decoded
		n := 0
		for i := 0; i < len(t); {
			if t[i] == '<' && (hasAt(t, i, MaskURL) || hasAt(t, i, MaskMention) || hasAt(t, i, MaskNumber)) {
				for i < len(t) && t[i] != '>' {
					i++
				}
				i++
				continue
			}
			r, sz := utf8.DecodeRuneInString(t[i:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || isEmoji(r) {
				n++
			}
			i += sz
		}
		return n
	}
	for r := rune(0); r <= unicode.MaxRune; r += 1 + r/64 {
		s := "a" + string(r) + " <url> 7" + string(r) + "<user>\xff"
		if got, want := informative(s), slow(s); got != want {
			t.Fatalf("informative(%q) = %d, want %d", s, got, want)
		}
	}
}

// wordDiff is wordDiffHashed on two word lists, hashing them first.
func wordDiff(a, b []string, buf *[]int32) []string {
	sc := diffScratch{lcs: *buf}
	out := wordDiffHashed(a, appendWordHashes(nil, a), b, appendWordHashes(nil, b), &sc)
	*buf = sc.lcs
	return out
}
