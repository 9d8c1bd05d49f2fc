package gui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// mask hides a message's wording while keeping its shape, so a reader can tell messages apart
// without reading them: a word of two letters or more keeps its first letter and its
// punctuation, every other rune becomes a dot ("vous êtes" → "v••• ê••••", "l'ordure," →
// "l'••••••,"). A word of one letter, and a word without letters (an emoji, a number, an
// emoticon, "!!!"), is all dots: nothing of it is readable. It keeps one rune per rune (line
// breaks become spaces), so that search matches can be highlighted at the same positions.
func mask(s string) string {
	var b strings.Builder
	b.Grow(len(s) * 2)
	for len(s) > 0 {
		i := strings.IndexFunc(s, unicode.IsSpace)
		if i == 0 {
			_, size := utf8.DecodeRuneInString(s)
			b.WriteByte(' ')
			s = s[size:]
			continue
		}
		if i < 0 {
			i = len(s)
		}
		maskWord(&b, s[:i])
		s = s[i:]
	}
	return b.String()
}

// maskWord writes word (no spaces) masked as mask describes.
func maskWord(b *strings.Builder, word string) {
	letters := 0
	for _, r := range word {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	first := letters >= 2 // the first letter is still to keep
	for _, r := range word {
		switch {
		case first && unicode.IsLetter(r):
			b.WriteRune(r)
			first = false
		case letters > 0 && unicode.IsPunct(r):
			b.WriteRune(r)
		default:
			b.WriteString("•")
		}
	}
}

// singleLine folds a text onto one line for list cells.
func singleLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// cellRunes is the most of a message a one-line cell shows; the rest is never laid out.
const cellRunes = 300

// cut returns the first n runes of s (without ellipsis, so that offsets into s stay valid).
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	k := 0
	for i := range s {
		if k == n {
			return s[:i]
		}
		k++
	}
	return s
}

// shorten cuts s to at most n runes, with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func seg(text string, style widget.RichTextStyle) *widget.TextSegment {
	return &widget.TextSegment{Text: text, Style: style}
}

var (
	plainInline  = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNameForeground}
	markedInline = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePrimary, TextStyle: fyne.TextStyle{Bold: true}}
	mutedInline  = widget.RichTextStyle{Inline: true, ColorName: theme.ColorNamePlaceHolder}
)

// highlightSegments shows display split into plain and marked runs. marked holds byte offsets
// into orig (as github.com/sahilm/fuzzy reports them) minus base; display has one rune per rune
// of orig (orig itself, or mask(orig)).
func highlightSegments(display, orig string, marked []int, base int) []widget.RichTextSegment {
	if len(marked) == 0 {
		return []widget.RichTextSegment{seg(singleLine(display), plainInline)}
	}
	set := make(map[int]bool, len(marked)) // rune positions
	k, ri := 0, 0
	for bi := range orig {
		for k < len(marked) && marked[k]-base < bi {
			k++
		}
		if k < len(marked) && marked[k]-base == bi {
			set[ri] = true
		}
		ri++
	}
	var out []widget.RichTextSegment
	var cur strings.Builder
	curMarked := false
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		st := plainInline
		if curMarked {
			st = markedInline
		}
		out = append(out, seg(cur.String(), st))
		cur.Reset()
	}
	ri = 0
	for _, r := range display {
		m := set[ri]
		ri++
		if m != curMarked {
			flush()
			curMarked = m
		}
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		cur.WriteRune(r)
	}
	flush()
	return out
}

// wordKey is how diffSegments compares words: lower case, without surrounding punctuation.
func wordKey(w string) string {
	return strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }))
}

// diffSegments shows text word by word, marking the words that are not in the template, so the
// reader sees at once how a member differs from the raid's template. At most maxRunes runes are
// shown (0 = all), as one line of a list cannot hold more.
func diffSegments(text, template string, maxRunes int, masked bool) []widget.RichTextSegment {
	tw := map[string]bool{}
	for _, w := range strings.Fields(template) {
		tw[wordKey(w)] = true
	}
	var out []widget.RichTextSegment
	n := 0
	for i, w := range strings.Fields(text) {
		if maxRunes > 0 && n+utf8.RuneCountInString(w) > maxRunes {
			out = append(out, seg(" …", plainInline))
			break
		}
		n += utf8.RuneCountInString(w) + 1
		if i > 0 {
			out = append(out, seg(" ", plainInline))
		}
		st := plainInline
		if !tw[wordKey(w)] {
			st = markedInline
		}
		if masked {
			w = mask(w)
		}
		out = append(out, seg(w, st))
	}
	return out
}
