package analysis

import (
	"bufio"
	"fmt"
	"io/fs"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"raidtrace/assets"
)

// Triage categories: stable ids, translated by the GUI and the report.
const (
	DeathThreat      = "death_threat"
	SexualThreat     = "sexual_threat"
	ThreatFamilyHome = "threat_family_home"
	Insult           = "insult"
	DoxxingAddress   = "doxxing_address"
	DoxxingPhone     = "doxxing_phone"
)

// Flag is a triage suggestion on one message: a lexicon category and the words that matched. It
// is a suggestion that a reviewer confirms or rejects, never a verdict; reviewer decisions are
// stored apart (app/casefile).
type Flag struct {
	Message  int      `json:"message"`  // index into the input
	Category string   `json:"category"` // DeathThreat, SexualThreat, ThreatFamilyHome, Insult, DoxxingAddress, DoxxingPhone
	Matched  []string `json:"matched"`  // lexicon phrases as matched in the normalised text, or the phone number
}

// Lexicon matches normalised texts against phrases by category.
type Lexicon struct {
	first    map[string][]phrase // by first word
	wildcard [256][]phrase       // phrases whose first word ends in *, by its first byte
	// byHash is first as an open-addressing table keyed by the first word's wordHash, rebuilt by
	// Parse: a lookup hashes each word of a text once and compares strings only when the hashes
	// agree.
	byHash []firstSlot
	mask   uint64
}

type firstSlot struct {
	hash    uint64
	word    string
	phrases []phrase // nil: empty slot
}

type phrase struct {
	category string
	words    []string
	hashes   []uint64 // wordHash of each word
	prefix   []bool   // words[i] matches any word starting with it
	text     string
}

// index rebuilds byHash from first.
func (l *Lexicon) index() {
	size := 1 << bits.Len(uint(2*len(l.first)+8))
	l.byHash, l.mask = make([]firstSlot, size), uint64(size-1)
	for w, phs := range l.first {
		h := wordHash(w)
		i := h & l.mask
		for l.byHash[i].phrases != nil {
			i = (i + 1) & l.mask
		}
		l.byHash[i] = firstSlot{hash: h, word: w, phrases: phs}
	}
}

// lookup returns the phrases whose first word is w, of hash h.
func (l *Lexicon) lookup(w string, h uint64) []phrase {
	if len(l.byHash) == 0 {
		return nil
	}
	for i := h & l.mask; ; i = (i + 1) & l.mask {
		s := &l.byHash[i]
		if s.phrases == nil {
			return nil
		}
		if s.hash == h && s.word == w {
			return s.phrases
		}
	}
}

// Parse reads one lexicon file (format in assets/lexicons/README.md) into l.
func (l *Lexicon) Parse(name string, text string) error {
	if l.first == nil {
		l.first = map[string][]phrase{}
	}
	cat := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
			cat = s[1 : len(s)-1]
			continue
		}
		if cat == "" {
			return fmt.Errorf("lexicon %s line %d: phrase before any [category]", name, line)
		}
		var ph phrase
		ph.category, ph.text = cat, s
		whole := !strings.Contains(s, "*")
		if whole {
			// the phrase as a message would be read (spaced-out letters and all)
			ph.words = strings.Fields(Normalize(s))
			ph.prefix = make([]bool, len(ph.words))
		}
		for _, w := range strings.Fields(s) {
			if whole {
				break
			}
			star := strings.HasSuffix(w, "*")
			ws := strings.Fields(Normalize(strings.TrimSuffix(w, "*")))
			for i, x := range ws {
				if x == MaskNumber && len(ph.words) > 0 && ph.words[len(ph.words)-1] == MaskNumber {
					continue // Normalize writes consecutive numbers as one
				}
				ph.words = append(ph.words, x)
				ph.prefix = append(ph.prefix, star && i == len(ws)-1)
			}
		}
		if len(ph.words) == 0 {
			continue
		}
		ph.hashes = appendWordHashes(nil, ph.words)
		if ph.prefix[0] {
			l.wildcard[ph.words[0][0]] = append(l.wildcard[ph.words[0][0]], ph)
		} else {
			l.first[ph.words[0]] = append(l.first[ph.words[0]], ph)
		}
	}
	l.index()
	return sc.Err()
}

// Match returns, per category, the phrases found in a normalised text.
func (l *Lexicon) Match(normalised string) map[string][]string {
	var m matcher
	return l.match(normalised, &m)
}

// matcher holds the buffers of match, reused from one text to the next.
type matcher struct {
	words  []string
	starts []int32 // byte offset of each word in the text
	hashes []uint64
}

// match is Match splitting words into m's buffers.
func (l *Lexicon) match(normalised string, m *matcher) map[string][]string {
	words, starts, hashes := m.words[:0], m.starts[:0], m.hashes[:0]
	for start, i := 0, 0; i <= len(normalised); i++ {
		if i == len(normalised) || normalised[i] == ' ' {
			if i > start {
				w := normalised[start:i]
				words, starts, hashes = append(words, w), append(starts, int32(start)), append(hashes, wordHash(w))
			}
			start = i + 1
		}
	}
	m.words, m.starts, m.hashes = words, starts, hashes
	var out map[string][]string
	add := func(ph *phrase, at int) {
		if out == nil {
			out = map[string][]string{}
		}
		m := words[at] // a substring of the text: no copy for a one-word phrase
		if n := len(ph.words); n > 1 {
			lo, hi := int(starts[at]), int(starts[at+n-1])+len(words[at+n-1])
			joined := n - 1 // length of the words joined by single spaces
			for _, w := range words[at : at+n] {
				joined += len(w)
			}
			if joined == hi-lo { // single spaces between them: the text is their join
				m = normalised[lo:hi]
			} else {
				m = strings.Join(words[at:at+n], " ")
			}
		}
		if !slices.Contains(out[ph.category], m) {
			out[ph.category] = append(out[ph.category], m)
		}
	}
	for i := range words {
		first := l.lookup(words[i], hashes[i])
		for k := range first {
			if ph := &first[k]; ph.matchAt(words, hashes, i, 1) {
				add(ph, i)
			}
		}
		wild := l.wildcard[words[i][0]]
		for k := range wild {
			if ph := &wild[k]; ph.matchAt(words, hashes, i, 0) {
				add(ph, i)
			}
		}
	}
	return out
}

// matchAt reports whether the phrase matches words from i on, its first from words known to
// match.
func (ph *phrase) matchAt(words []string, hashes []uint64, i, from int) bool {
	if i+len(ph.words) > len(words) {
		return false
	}
	for k := from; k < len(ph.words); k++ {
		w := ph.words[k]
		if ph.prefix[k] {
			if !strings.HasPrefix(words[i+k], w) {
				return false
			}
		} else if hashes[i+k] != ph.hashes[k] || words[i+k] != w {
			return false
		}
	}
	return true
}

var (
	lexOnce sync.Once
	lex     *Lexicon
	lexErr  error
)

// DefaultLexicon returns the embedded French and English lexicons.
func DefaultLexicon() (*Lexicon, error) {
	lexOnce.Do(func() {
		l := &Lexicon{}
		fsys := assets.Sub("lexicons")
		names, err := fs.Glob(fsys, "*.txt")
		if err != nil {
			lexErr = err
			return
		}
		slices.Sort(names)
		for _, n := range names {
			b, err := fs.ReadFile(fsys, n)
			if err != nil {
				lexErr = fmt.Errorf("lexicon %s: %w", n, err)
				return
			}
			if err := l.Parse(n, string(b)); err != nil {
				lexErr = err
				return
			}
		}
		lex = l
	})
	return lex, lexErr
}

// isPhoneNumber reports whether a digit string found in a text looks like a phone number.
func isPhoneNumber(d string) bool { return len(d) >= 9 && len(d) <= 15 }

// triage flags every analysed message and counts flags per cluster.
func (a *run) triage(res *Result, clusters []Cluster) error {
	l, err := DefaultLexicon()
	if err != nil {
		return err
	}
	byText := make([]map[string][]string, len(a.texts))
	cats := make([][]string, len(a.texts)) // categories of each text, sorted
	err = parallel(a.ctx, a.p.workers(), len(a.texts), 1024, func(lo, hi int) {
		var m matcher
		for i := lo; i < hi; i++ {
			if byText[i] = l.match(a.texts[i], &m); len(byText[i]) > 0 {
				cats[i] = sortedKeys(byText[i])
			}
		}
	})
	if err != nil {
		return err
	}
	phones := map[int32][]string{}
	for _, s := range a.signals {
		if s.kind == sigNumber && isPhoneNumber(s.value) {
			phones[s.msg] = append(phones[s.msg], s.value)
		}
	}
	nFlags := len(phones)
	for _, t := range a.msgText {
		if t >= 0 {
			nFlags += len(cats[t])
		}
	}
	if nFlags > 0 {
		res.Flags = make([]Flag, 0, nFlags)
	}
	for m, t := range a.msgText {
		if t < 0 {
			continue
		}
		found := byText[t]
		ci := a.msgCluster[m]
		for _, c := range cats[t] {
			res.Flags = append(res.Flags, Flag{Message: m, Category: c, Matched: found[c]})
			if ci >= 0 {
				clusters[ci].countFlag(c)
			}
		}
		if ph, ok := phones[int32(m)]; ok {
			res.Flags = append(res.Flags, Flag{Message: m, Category: DoxxingPhone, Matched: ph})
			if ci >= 0 {
				clusters[ci].countFlag(DoxxingPhone)
			}
		}
	}
	return nil
}

func (c *Cluster) countFlag(cat string) {
	if c.Triage == nil {
		c.Triage = map[string]int{}
	}
	c.Triage[cat]++
}
