package analysis

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// hashRune starts a hashtag in the comparison form.
const hashRune = '#'

// Mask tokens written into the comparison form in place of the signals they hide.
const (
	MaskURL     = "<url>"
	MaskMention = "<user>"
	MaskNumber  = "<num>"
)

// Normalized is the comparison form of a text and the signals taken out of it.
type Normalized struct {
	Text     string   `json:"text"`               // as returned by [Normalize]
	URLs     []string `json:"urls,omitempty"`     // as written, trailing punctuation removed
	Mentions []string `json:"mentions,omitempty"` // handles, lower case, without "@"
	Hashtags []string `json:"hashtags,omitempty"` // folded like words, without "#"
	Numbers  []string `json:"numbers,omitempty"`  // digits only; "06 12 34 56 78" is one number
}

// Normalize returns the comparison form of a text. The verbatim text is never replaced by it; it
// only decides which messages look alike and what the lexicons match.
//
// In order: letters spaced out to dodge filters are joined ("s a l o p e", "c.r.e.v.e.r",
// "t u  v a s" → "tu vas"; see joinSpaced); every character is folded on its own
// (compatibility decomposition as in NFKC, case folding, accents removed, small capitals and
// enclosed letters read as letters, Cyrillic and Greek look-alike letters mapped to Latin, zero-width and
// bidi controls removed); URLs, @mentions and numbers become [MaskURL], [MaskMention] and
// [MaskNumber] (consecutive numbers become one); leetspeak inside words is read as letters when
// every digit of the word can be a letter ("s4l0pe" → "salope", "7'es" → "t es"), while numbers
// ("2024"), numbers with a unit ("14h30", "10km") and words with other digits ("user2389")
// stay; a letter repeated three times or more
// counts once ("connaaaasse" → "connasse"); punctuation separates words; each emoji is a word
// of its own; words are joined by single spaces. Normalize is idempotent.
func Normalize(s string) string {
	n := pool.Get().(*normalizer)
	n.run(s, false)
	out := string(n.out)
	pool.Put(n)
	return out
}

var pool = sync.Pool{New: func() any { return new(normalizer) }}

// NormalizeDetail is [Normalize] that also returns the URLs, mentions, hashtags and numbers it
// masked or found.
func NormalizeDetail(s string) Normalized {
	n := pool.Get().(*normalizer)
	n.run(s, true)
	n.sig.Text = string(n.out)
	sig := n.sig
	n.sig = Normalized{}
	pool.Put(n)
	return sig
}

// normalizer holds the buffers of one call.
type normalizer struct {
	out     []byte
	piece   []rune // folded runes of the current word piece
	tok     []rune // folded runes of the current raw token
	detail  bool
	sig     Normalized
	lastNum bool // the last token written is MaskNumber
	numBuf  []byte
	emoji   rune // last emoji written and how many times in a row
	emojiN  int
	word    []byte // letters of the current word (textFast)
	slow    bool   // tests: never take the fast path
	// joinSpaced's scratch, and the single-letter words in a row written (the most so far)
	spaced              []byte
	spacedToks          []spacedToken
	singles, maxSingles int
}

func (n *normalizer) run(s string, detail bool) {
	foldOnce.Do(buildFold)
	n.detail = detail
	n.out = n.out[:0]
	n.lastNum, n.emojiN, n.numBuf = false, 0, n.numBuf[:0]
	n.singles, n.maxSingles = 0, 0
	sig := n.sig // what the signals held before this text
	n.fold(s)
	// spaced-out letters leave three single-letter words in a row: only then is the text read
	// again with them joined (see joinSpaced), which most texts never need
	if n.maxSingles >= 3 {
		if j, buf, toks, ok := joinSpaced(n.spaced, n.spacedToks, s); ok {
			n.spaced, n.spacedToks = buf, toks
			n.out = n.out[:0]
			n.lastNum, n.emojiN, n.numBuf = false, 0, n.numBuf[:0]
			n.sig.URLs, n.sig.Mentions = n.sig.URLs[:len(sig.URLs)], n.sig.Mentions[:len(sig.Mentions)]
			n.sig.Hashtags, n.sig.Numbers = n.sig.Hashtags[:len(sig.Hashtags)], n.sig.Numbers[:len(sig.Numbers)]
			n.fold(j)
		}
		n.out = joinSingles(n.out)
	}
}

// noteWord counts the single-letter words in a row, the word just written starting at start.
func (n *normalizer) noteWord(start int) {
	if len(n.out)-start == 1 && 'a' <= n.out[start] && n.out[start] <= 'z' {
		n.singles++
		n.maxSingles = max(n.maxSingles, n.singles)
	} else {
		n.singles = 0
	}
}

// fold writes the comparison form of s into n.out, but for joinSingles.
func (n *normalizer) fold(s string) {
	if !n.slow && n.messageFast(s) {
		return
	}
	start := -1
	for i, r := range s {
		if isSpace(r) {
			if start >= 0 {
				n.token(s[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		n.token(s[start:])
	}
	n.flushNumber()
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiSpace[r]
	}
	return unicode.IsSpace(r) || r == 0x2028 || r == 0x2029
}

// asciiWord marks ASCII letters and digits: a token that starts and ends with one has nothing to
// trim.
var asciiWord = func() (w [256]bool) {
	for c := '0'; c <= 'z'; c++ {
		w[c] = '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	return w
}()

var asciiSpace = [128]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true, 0x1c: true, 0x1d: true, 0x1e: true, 0x1f: true}

// write appends one output word.
func (n *normalizer) write(w string) {
	n.emojiN = 0
	if w == MaskNumber {
		if n.lastNum {
			return
		}
		n.lastNum = true
	} else {
		n.flushNumber()
		n.lastNum = false
	}
	if len(n.out) > 0 {
		n.out = append(n.out, ' ')
	}
	start := len(n.out)
	n.out = append(n.out, w...)
	n.noteWord(start)
}

func (n *normalizer) writeRunes(first rune, rs []rune) {
	n.emojiN = 0
	n.flushNumber()
	n.lastNum = false
	if len(n.out) > 0 {
		n.out = append(n.out, ' ')
	}
	start := len(n.out)
	if first >= 0 {
		n.out = utf8.AppendRune(n.out, first)
	}
	for _, r := range rs {
		n.out = utf8.AppendRune(n.out, r)
	}
	n.noteWord(start)
}

func (n *normalizer) flushNumber() {
	if n.detail && len(n.numBuf) > 0 {
		n.sig.Numbers = append(n.sig.Numbers, string(n.numBuf))
	}
	n.numBuf = n.numBuf[:0]
}

// trimWrap removes the wrapping punctuation around a raw token (quotes, brackets, final stops).
func trimWrap(t string) string {
	if t != "" && asciiWord[t[0]] && asciiWord[t[len(t)-1]] {
		return t
	}
	for len(t) > 0 {
		r, sz := utf8.DecodeRuneInString(t)
		if !strings.ContainsRune("([{«\"'“‘<¡¿*_", r) {
			break
		}
		t = t[sz:]
	}
	for len(t) > 0 {
		r, sz := utf8.DecodeLastRuneInString(t)
		if !strings.ContainsRune(")]}»\"'”’>.,;:!?…*_", r) {
			break
		}
		t = t[:len(t)-sz]
	}
	return t
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// token handles one whitespace-separated raw token.
func (n *normalizer) token(raw string) {
	switch raw {
	case MaskURL, MaskMention:
		n.write(raw)
		return
	case MaskNumber:
		n.write(MaskNumber)
		return
	}
	core := trimWrap(raw)
	if c := core; c != "" && (c[0]|0x20 == 'h' || c[0]|0x20 == 'w') && (hasPrefixFold(core, "http://") || hasPrefixFold(core, "https://") || hasPrefixFold(core, "www.")) {
		if n.detail {
			n.sig.URLs = append(n.sig.URLs, core)
		}
		n.write(MaskURL)
		return
	}
	if r, sz := utf8.DecodeRuneInString(core); r == '@' || r == '＠' {
		if h := handleLen(core[sz:]); h > 0 {
			if n.detail {
				n.sig.Mentions = append(n.sig.Mentions, strings.ToLower(core[sz:sz+h]))
			}
			n.write(MaskMention)
			n.text(core[sz+h:])
			return
		}
	}
	if r, sz := utf8.DecodeRuneInString(core); r == '#' || r == '＃' {
		if h := handleLen(core[sz:]); h > 0 {
			n.tok = n.tok[:0]
			for _, r := range core[sz : sz+h] {
				n.tok = appendFold(n.tok, r)
			}
			k := 0
			for _, r := range n.tok {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					n.tok[k] = r
					k++
				}
			}
			n.tok = n.tok[:k]
			n.tok = collapseRuns(n.tok)
			if len(n.tok) > 0 {
				if n.detail {
					n.sig.Hashtags = append(n.sig.Hashtags, string(n.tok))
				}
				n.writeRunes(hashRune, n.tok)
				n.text(core[sz+h:])
				return
			}
		}
	}
	n.text(raw)
}

// handleLen is the length of the handle at the start of s: letters, digits and "_".
func handleLen(s string) int {
	word := func(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i, r := range s {
		if !word(r) {
			// a dot inside a handle (Instagram, TikTok: "@camille.dupont") belongs to it
			if next, _ := utf8.DecodeRuneInString(s[i+1:]); r == '.' && i > 0 && word(next) {
				continue
			}
			return i
		}
	}
	return len(s)
}

// text folds a run of text without spaces and writes its word pieces and emoji.
func (n *normalizer) text(s string) {
	if !n.slow && n.textFast(s) {
		return
	}
	n.tok = n.tok[:0]
	for _, r := range s {
		n.tok = appendFold(n.tok, r)
	}
	n.piece = n.piece[:0]
	for _, r := range n.tok {
		switch {
		case isWordRune(r):
			n.piece = append(n.piece, r)
		case isEmoji(r):
			n.endPiece()
			n.writeEmoji(r)
		case (r == '\'' || r == '’') && len(n.piece) == 1 && n.piece[0] < 128 && leet[n.piece[0]] != 0:
			n.piece[0] = leet[n.piece[0]] // "7'es", "5'en": an elided pronoun in leetspeak
			n.endPiece()
		default:
			n.endPiece()
		}
	}
	n.endPiece()
}

// textFast is text for the common case where every rune folds to nothing, to letters a–z or to
// characters that only separate words (no digit, "@", "$", emoji or other letter): there is no
// leetspeak or number to read, so each word is its folded letters with long runs collapsed. It
// reports false, writing nothing, for any other run.
func (n *normalizer) textFast(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			if !fastClass[c] {
				return false
			}
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[i:])
		if r >= foldTableSize || !fastClass[r] {
			return false
		}
		i += sz - 1
	}
	w := n.word[:0]
	add := func(g rune) {
		if 'a' <= g && g <= 'z' {
			w = append(w, byte(g))
		} else if len(w) > 0 {
			n.writeWord(w)
			w = w[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		r := rune(s[i])
		if r >= utf8.RuneSelf {
			var sz int
			r, sz = utf8.DecodeRuneInString(s[i:])
			i += sz - 1
		}
		switch f := foldTab[r]; {
		case f >= 0:
			add(f)
		case f == foldDrop:
		default:
			for _, g := range foldMulti[r] {
				add(g)
			}
		}
	}
	if len(w) > 0 {
		n.writeWord(w)
	}
	n.word = w
	return true
}

// messageFast is textFast over a whole message: when no rune needs more than textFast (no digit,
// "@", "$", emoji or other letter) and no token can be a URL, a hashtag or a mask, the tokens
// need no look of their own, so whitespace is one more separator and the message is folded in
// two passes instead of token by token. It reports false, writing nothing, for any other message.
func (n *normalizer) messageFast(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case !fastClass[c]:
				return false
			case c == '#' || c == '<':
				return false
			case c == ':' && i+2 < len(s) && s[i+1] == '/' && s[i+2] == '/':
				return false
			case c == '.' && i >= 3 && s[i-1]|0x20 == 'w' && s[i-2]|0x20 == 'w' && s[i-3]|0x20 == 'w':
				return false
			}
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[i:])
		if r >= foldTableSize || !fastClass[r] {
			return false
		}
		i += sz - 1
	}
	w := n.word[:0]
	for i := 0; i < len(s); i++ {
		r := rune(s[i])
		if r >= utf8.RuneSelf {
			var sz int
			r, sz = utf8.DecodeRuneInString(s[i:])
			i += sz - 1
		} else if asciiSpace[r] {
			if len(w) > 0 {
				n.writeWord(w)
				w = w[:0]
			}
			continue
		}
		if r >= utf8.RuneSelf && isSpace(r) {
			if len(w) > 0 {
				n.writeWord(w)
				w = w[:0]
			}
			continue
		}
		switch f := foldTab[r]; {
		case 'a' <= f && f <= 'z':
			w = append(w, byte(f))
		case f == foldDrop:
		case f >= 0:
			if len(w) > 0 {
				n.writeWord(w)
				w = w[:0]
			}
		default:
			for _, g := range foldMulti[r] {
				if 'a' <= g && g <= 'z' {
					w = append(w, byte(g))
				} else if len(w) > 0 {
					n.writeWord(w)
					w = w[:0]
				}
			}
		}
	}
	if len(w) > 0 {
		n.writeWord(w)
	}
	n.word = w
	return true
}

// writeWord writes a word of letters a–z as endPiece and writeRunes would: a letter repeated
// three times or more counts once.
func (n *normalizer) writeWord(w []byte) {
	n.emojiN = 0
	n.flushNumber()
	n.lastNum = false
	if len(n.out) > 0 {
		n.out = append(n.out, ' ')
	}
	start := len(n.out)
	n.out = appendCollapsed(n.out, w)
	n.noteWord(start)
}

// appendCollapsed appends the letters w to dst, a letter three times or more in a row once.
func appendCollapsed(dst, w []byte) []byte {
	run := false // some letter three times in a row
	for k := 2; k < len(w) && !run; k++ {
		run = w[k] == w[k-1] && w[k] == w[k-2]
	}
	if !run { // the common case: the word as it is
		return append(dst, w...)
	}
	for k := 0; k < len(w); {
		m := k + 1
		for m < len(w) && w[m] == w[k] {
			m++
		}
		if m-k >= 3 {
			dst = append(dst, w[k])
		} else {
			dst = append(dst, w[k:m]...)
		}
		k = m
	}
	return dst
}

// fastClass marks the runes textFast handles: every rune of their folded form is a letter a–z
// or a character that is neither a word rune nor an emoji. Built with the fold table.
var fastClass [foldTableSize]bool

func buildFastClass() {
	ok := func(g rune) bool { return 'a' <= g && g <= 'z' || !isWordRune(g) && !isEmoji(g) }
	for r := rune(0); r < foldTableSize; r++ {
		switch f := foldTab[r]; {
		case f >= 0:
			fastClass[r] = ok(f)
		case f == foldDrop:
			fastClass[r] = true
		default:
			fastClass[r] = true
			for _, g := range foldMulti[r] {
				fastClass[r] = fastClass[r] && ok(g)
			}
		}
	}
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// writeEmoji writes an emoji as a word; the same emoji repeated in a row counts once.
func (n *normalizer) writeEmoji(r rune) {
	if n.emojiN > 0 && r == n.emoji {
		return
	}
	n.writeRunes(r, nil)
	n.emoji, n.emojiN = r, 1
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '@' || r == '$'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z'
	}
	return unicode.IsLetter(r)
}

// leet maps the characters read as letters inside words.
var leet = [128]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's'}

// endPiece writes the current word piece: a number, a word with its leetspeak read, or nothing.
func (n *normalizer) endPiece() {
	p := n.piece
	n.piece = n.piece[:0]
	if len(p) == 0 {
		return
	}
	for {
		before := len(p)
		p = collapseRuns(p)
		letters, leetDigits, digits := 0, 0, 0
		for _, r := range p {
			switch {
			case isLetter(r):
				letters++
			case r >= '0' && r <= '9':
				digits++
				if leet[r] != 0 {
					leetDigits++
				}
			}
		}
		if letters == 0 {
			if digits == 0 {
				return
			}
			for _, r := range p {
				if r >= '0' && r <= '9' {
					n.numBuf = append(n.numBuf, byte(r))
				} else if unicode.IsDigit(r) {
					n.numBuf = utf8.AppendRune(n.numBuf, r)
				}
			}
			n.write(MaskNumber)
			return
		}
		// Map or drop until nothing changes: removing a "$" or collapsing a run can change what
		// decides whether digits are leetspeak, and Normalize must be idempotent.
		changed := len(p) != before
		w := p[:0]
		if leetWord(p, digits-leetDigits) {
			// a word with leetspeak: digits read as letters, @ and $ too when inside letters
			for i, r := range p {
				if r < 128 && leet[r] != 0 {
					changed = true
					if (r == '@' || r == '$') && !(i > 0 && i < len(p)-1 && letterOrLeet(p[i-1]) && letterOrLeet(p[i+1])) && !dollarS(p, i) {
						continue
					}
					r = leet[r]
				}
				w = append(w, r)
			}
		} else {
			for i, r := range p {
				switch {
				case dollarS(p, i):
					w = append(w, 's')
					changed = true
				case r != '@' && r != '$':
					w = append(w, r)
				default:
					changed = true
				}
			}
		}
		p = w
		if !changed {
			break
		}
	}
	if len(p) > 0 {
		n.writeRunes(-1, p)
	}
}

// dollarS reports whether p[i] is a "$" that starts a word of letters ("$alope"): an s.
func dollarS(p []rune, i int) bool {
	return p[i] == '$' && i == 0 && len(p) > 1 && letterOrLeet(p[1])
}

// leetWord decides whether the digits of a piece holding letters are leetspeak: every digit must
// read as a letter (0 1 3 4 5 7), and the piece must not be a number with a unit or an ordinal
// ("14h30", "20h", "10km", "1er", "3eme", "2nd").
func leetWord(p []rune, otherDigits int) bool {
	if otherDigits > 0 {
		return false
	}
	i := 0
	for i < len(p) && (p[i] >= '0' && p[i] <= '9') {
		i++
	}
	if i == 0 {
		return true
	}
	j := i
	for j < len(p) && isLetter(p[j]) {
		j++
	}
	k := j
	for k < len(p) && (p[k] >= '0' && p[k] <= '9') {
		k++
	}
	if k != len(p) {
		return true
	}
	_, unit := units[string(p[i:j])]
	return !unit
}

var units = map[string]struct{}{
	"h": {}, "min": {}, "mn": {}, "s": {}, "km": {}, "m": {}, "kg": {}, "g": {}, "k": {}, "e": {}, "er": {}, "ere": {},
	"eme": {}, "em": {}, "st": {}, "nd": {}, "rd": {}, "th": {}, "am": {}, "pm": {}, "x": {}, "mb": {}, "go": {},
	"gb": {}, "mo": {}, "ans": {}, "an": {}, "j": {}, "eur": {}, "euros": {}, "ml": {}, "l": {}, "cm": {}, "mm": {},
	"hz": {}, "ghz": {}, "fps": {}, "p": {}, "d": {}, "y": {}, "yo": {}, "mins": {}, "hrs": {}, "hr": {},
}

func letterOrLeet(r rune) bool { return isLetter(r) || r < 128 && leet[r] != 0 }

// collapseRuns replaces a rune repeated three times or more by one, in place.
func collapseRuns(p []rune) []rune {
	if len(p) < 3 {
		return p
	}
	w := 0
	for i := 0; i < len(p); {
		j := i + 1
		for j < len(p) && p[j] == p[i] {
			j++
		}
		k := j - i
		if k >= 3 {
			k = 1
		}
		for ; k > 0; k-- {
			p[w] = p[i]
			w++
		}
		i = j
	}
	return p[:w]
}

// appendFold appends the folded form of r: nothing, one rune or a few.
func appendFold(dst []rune, r rune) []rune {
	if r < foldTableSize { // the table is built by normalizer.run
		f := foldTab[r]
		switch {
		case f >= 0:
			return append(dst, f)
		case f == foldDrop:
			return dst
		default:
			return append(dst, foldMulti[r]...)
		}
	}
	return append(dst, foldSlow(r)...)
}

const (
	foldTableSize = 0x3000
	foldDrop      = -1
	foldMany      = -2
)

var (
	foldOnce  sync.Once
	foldTab   [foldTableSize]rune
	foldMulti map[rune][]rune
)

func buildFold() {
	foldMulti = map[rune][]rune{}
	for r := rune(0); r < foldTableSize; r++ {
		f := foldSlow(r)
		switch len(f) {
		case 0:
			foldTab[r] = foldDrop
		case 1:
			foldTab[r] = f[0]
		default:
			foldTab[r] = foldMany
			foldMulti[r] = f
		}
	}
	buildFastClass()
}

// homoglyphs maps Cyrillic and Greek letters (before case folding) to the Latin letter they look
// like.
var homoglyphs = map[rune]rune{
	// Cyrillic
	'А': 'a', 'а': 'a', 'В': 'b', 'в': 'b', 'Е': 'e', 'е': 'e', 'Ё': 'e', 'ё': 'e', 'К': 'k', 'к': 'k',
	'М': 'm', 'м': 'm', 'Н': 'h', 'н': 'h', 'О': 'o', 'о': 'o', 'Р': 'p', 'р': 'p', 'С': 'c', 'с': 'c',
	'Т': 't', 'т': 't', 'У': 'y', 'у': 'y', 'Х': 'x', 'х': 'x', 'І': 'i', 'і': 'i', 'Ї': 'i', 'ї': 'i',
	'Ј': 'j', 'ј': 'j', 'Ѕ': 's', 'ѕ': 's', 'Ԁ': 'd', 'ԁ': 'd', 'Ԛ': 'q', 'ԛ': 'q', 'Ԝ': 'w', 'ԝ': 'w',
	'Ү': 'y', 'ү': 'y', 'Һ': 'h', 'һ': 'h', 'Ӏ': 'l', 'ӏ': 'l', 'З': '3', 'п': 'n', 'г': 'r', 'ь': 'b',
	// Greek
	'Α': 'a', 'α': 'a', 'Β': 'b', 'β': 'b', 'Ε': 'e', 'ε': 'e', 'Ζ': 'z', 'Η': 'h', 'η': 'n', 'Ι': 'i',
	'ι': 'i', 'Κ': 'k', 'κ': 'k', 'Μ': 'm', 'Ν': 'n', 'ν': 'v', 'Ο': 'o', 'ο': 'o', 'Ρ': 'p', 'ρ': 'p',
	'Τ': 't', 'τ': 't', 'Υ': 'y', 'υ': 'u', 'Χ': 'x', 'χ': 'x', 'γ': 'y', 'ω': 'w', 'ς': 's', 'Ϲ': 'c',
	'ϲ': 'c', 'ά': 'a', 'έ': 'e', 'ί': 'i', 'ό': 'o', 'ύ': 'u', 'ή': 'n', 'ώ': 'w', 'μ': 'u', 'ϳ': 'j',
}

// letterFolds are letters that compatibility decomposition leaves alone.
var letterFolds = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ø': "o", 'Ø': "o", 'đ': "d",
	'Đ': "d", 'ł': "l", 'Ł': "l", 'ħ': "h", 'Ħ': "h", 'ı': "i", 'ŀ': "l", 'Ŀ': "l", 'þ': "th",
	'Þ': "th", 'ð': "d", 'Ð': "d", 'ƒ': "f", 'ſ': "s",
	// small capitals, as "fancy text" generators write them
	'ᴀ': "a", 'ʙ': "b", 'ᴄ': "c", 'ᴅ': "d", 'ᴇ': "e", 'ꜰ': "f", 'ɢ': "g", 'ʜ': "h", 'ɪ': "i", 'ᴊ': "j",
	'ᴋ': "k", 'ʟ': "l", 'ᴍ': "m", 'ɴ': "n", 'ᴏ': "o", 'ᴘ': "p", 'ꞯ': "q", 'ʀ': "r", 'ꜱ': "s", 'ᴛ': "t",
	'ᴜ': "u", 'ᴠ': "v", 'ᴡ': "w", 'ʏ': "y", 'ᴢ': "z",
	// Latin letters that look like others
	'ɑ': "a", 'ɡ': "g", 'ɩ': "i",
}

// enclosedLetter maps the squared, negative squared, negative circled and parenthesised Latin
// capitals (U+1F110…1F189, drawn as emoji: "🅂🄰🄻🄾🄿🄴", "🆂🅰🅻🅾🅿🅴") to the letter they show.
// Regional indicators (🇫🇷) stay emoji: pairs of them are flags.
func enclosedLetter(r rune) (rune, bool) {
	for _, base := range [...]rune{0x1F110, 0x1F130, 0x1F150, 0x1F170} {
		if base <= r && r < base+26 {
			return 'a' + r - base, true
		}
	}
	return 0, false
}

// isInvisible reports runes removed without separating words: zero-width, bidi controls,
// variation selectors, soft hyphen, emoji skin tones and joiners.
func isInvisible(r rune) bool {
	switch {
	case r == 0xAD, r == 0x34F, r == 0x180E, r == 0xFEFF, r == 0x61C:
		return true
	case 0x200B <= r && r <= 0x200F, 0x202A <= r && r <= 0x202E, 0x2060 <= r && r <= 0x206F:
		return true
	case 0xFE00 <= r && r <= 0xFE0F, 0xE0100 <= r && r <= 0xE01EF, 0x1F3FB <= r && r <= 0x1F3FF:
		return true
	case 0xE0000 <= r && r <= 0xE007F: // tags
		return true
	}
	return false
}

// isEmoji reports pictographs kept as words of their own.
func isEmoji(r rune) bool {
	switch {
	case 0x1F000 <= r && r <= 0x1FAFF, 0x2600 <= r && r <= 0x27BF, 0x2B00 <= r && r <= 0x2BFF:
		return true
	case 0x2190 <= r && r <= 0x21FF, 0x2300 <= r && r <= 0x23FF, r == 0x3030, r == 0x303D:
		return true
	}
	return false
}

// foldSlow folds one rune from first principles; the table caches it for common runes.
func foldSlow(r rune) []rune {
	if isInvisible(r) || r == utf8.RuneError || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cc, r) {
		return nil
	}
	if l, ok := enclosedLetter(r); ok {
		return []rune{l}
	}
	if isEmoji(r) {
		return []rune{r}
	}
	if h, ok := homoglyphs[r]; ok {
		return []rune{h}
	}
	if s, ok := letterFolds[r]; ok {
		return []rune(s)
	}
	var out []rune
	for _, d := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) || unicode.Is(unicode.Me, d) || isInvisible(d) {
			continue
		}
		if h, ok := homoglyphs[d]; ok {
			out = append(out, h)
			continue
		}
		d = unicode.ToLower(d)
		if s, ok := letterFolds[d]; ok {
			out = append(out, []rune(s)...)
			continue
		}
		if h, ok := homoglyphs[d]; ok {
			d = h
		}
		out = append(out, d)
	}
	return out
}
