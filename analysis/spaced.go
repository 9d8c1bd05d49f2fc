package analysis

import (
	"unicode"
	"unicode/utf8"
)

// Letters spaced out to dodge filters ("s a l o p e", "c.o.n.n.a.r.d", "p-u-t-e") are read as
// words before the text is folded (joinSpaced):
//   - inside a whitespace-separated token, three or more single letters each followed by one
//     spacing mark (isSpacingMark) become one word: "c.r.e.v.e.r" → "crever";
//   - across tokens, when a message holds at least spacedRun single-letter tokens in a row, one
//     space apart, every run of two or more such letters one space apart becomes a word, a
//     wider gap (the spaced-out text's word break) ending it: "t u  v a s" → "tu vas".
// Ordinary text keeps its single-letter words ("il y a à", "J. R. R. Tolkien", "a-t-il").

// spacedRun is how many single letters in a row, one space apart, show a spaced-out message.
const spacedRun = 4

// isSpacingMark is a mark that spaces out the letters of one word.
func isSpacingMark(r rune) bool {
	switch r {
	case '.', '-', '*', '_', '·', '/', '|', '+', '~', '•':
		return true
	}
	return false
}

// isSpacedLetter is a letter that can be spaced out: one that folds to a Latin letter a–z
// (scripts written without spaces between letters are left alone).
func isSpacedLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z'
	}
	if !unicode.IsLetter(r) {
		return false
	}
	if r < foldTableSize {
		f := foldTab[r]
		return 'a' <= f && f <= 'z'
	}
	f := foldSlow(r)
	return len(f) == 1 && 'a' <= f[0] && f[0] <= 'z'
}

// joinSingles joins, in the comparison form out (words one space apart), every run of at least
// spacedRun one-letter words into one word, a letter three times or more in a row counting once
// as in every word: what is left of a spaced-out word that joinSpaced did not see as one (its
// letters were split by other marks). With it, Normalize is idempotent: its result never holds
// such a run.
func joinSingles(out []byte) []byte {
	single := func(i int) bool { // a one-letter word starts at i
		return 'a' <= out[i] && out[i] <= 'z' && (i+1 == len(out) || out[i+1] == ' ')
	}
	w := 0
	for i := 0; i < len(out); {
		if (i == 0 || out[i-1] == ' ') && single(i) {
			n := 0 // the run: words at i, i+2, i+4…
			for j := i; j < len(out) && single(j); j += 2 {
				n++
			}
			if n >= spacedRun {
				// written over the run itself, which is longer (letters and spaces)
				var letters []byte
				for k := i; k < i+2*n; k += 2 {
					letters = append(letters, out[k])
				}
				w = len(appendCollapsed(out[:w], letters))
				i += 2*n - 1 // at the space after the run, or past the end
				continue
			}
		}
		out[w] = out[i]
		w++
		i++
	}
	return out[:w]
}

// spacedToken is one whitespace-separated token of a message being joined.
type spacedToken struct {
	lo, hi int  // bytes of s
	single bool // one letter, perhaps wrapped in punctuation
	gap1   bool // one ASCII space before it (and a token before that)
}

// joinSpaced returns s with its spaced-out words joined (see above) and whether it changed
// anything; dst and toks are scratch space, returned for the next call.
func joinSpaced(dst []byte, toks []spacedToken, s string) (string, []byte, []spacedToken, bool) {
	toks = toks[:0]
	start, spaces := -1, 0
	token := func(hi int) {
		toks = append(toks, spacedToken{lo: start, hi: hi, single: singleLetter(s[start:hi]),
			gap1: len(toks) > 0 && spaces == 1})
	}
	for i, r := range s {
		switch {
		case isSpace(r):
			if start >= 0 {
				token(i)
				start, spaces = -1, 0
			}
			if r == ' ' {
				spaces++
			} else {
				spaces += 2 // a tab or line break is a wide gap
			}
		case start < 0:
			start = i
		}
	}
	if start >= 0 {
		token(len(s))
	}
	// a spaced-out message: spacedRun single letters in a row, one space apart
	spacedOut, run := false, 0
	for i, t := range toks {
		switch {
		case !t.single:
			run = 0
		case i > 0 && t.gap1 && toks[i-1].single:
			run++
		default:
			run = 1
		}
		if run >= spacedRun {
			spacedOut = true
			break
		}
	}
	changed := false
	out := dst[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i > 0 {
			out = append(out, s[toks[i-1].hi:t.lo]...)
		}
		if spacedOut && t.single {
			j := i + 1
			for j < len(toks) && toks[j].single && toks[j].gap1 {
				j++
			}
			if j-i >= 2 {
				for _, u := range toks[i:j] {
					out = appendLetters(out, s[u.lo:u.hi])
				}
				changed = true
				i = j - 1
				continue
			}
		}
		if w, ok := joinMarked(out, s[t.lo:t.hi]); ok {
			out = w
			changed = true
			continue
		}
		out = append(out, s[t.lo:t.hi]...)
	}
	if !changed {
		return s, out, toks, false
	}
	return string(out), out, toks, true
}

// singleLetter reports whether token t is one letter, perhaps with punctuation around it
// ("s", "(s", "e."): a token whose comparison form is that letter alone.
func singleLetter(t string) bool {
	letters := 0
	for _, r := range t {
		switch {
		case isSpacedLetter(r):
			if letters++; letters > 1 {
				return false
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r) || isEmoji(r):
			return false
		case r == '#' || r == '＃' || r == '@' || r == '＠' || r == '<' || r == '$':
			return false // a hashtag, a mention, a mask or leetspeak: not a letter on its own
		}
	}
	return letters == 1
}

// appendLetters appends the letters of token t.
func appendLetters(dst []byte, t string) []byte {
	for _, r := range t {
		if isSpacedLetter(r) {
			dst = utf8.AppendRune(dst, r)
		}
	}
	return dst
}

// joinMarked appends token t to dst with its letters joined when, between its first and last
// letter, it is three or more single letters each followed by one spacing mark.
func joinMarked(dst []byte, t string) ([]byte, bool) {
	first, last := -1, -1
	for i, r := range t {
		if isSpacedLetter(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return dst, false
	}
	_, sz := utf8.DecodeRuneInString(t[last:])
	core := t[first : last+sz]
	letters, wantLetter := 0, true
	for _, r := range core {
		if wantLetter {
			if !isSpacedLetter(r) {
				return dst, false
			}
			letters++
		} else if !isSpacingMark(r) {
			return dst, false
		}
		wantLetter = !wantLetter
	}
	if letters < 3 {
		return dst, false
	}
	dst = append(dst, t[:first]...)
	dst = appendLetters(dst, core)
	return append(dst, t[last+sz:]...), true
}
