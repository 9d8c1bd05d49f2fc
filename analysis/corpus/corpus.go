// Package corpus generates labelled message sets for measuring raid detection: French and
// English raids written from templates with the edits raiders use to slip past filters
// (leetspeak, dropped accents, look-alike letters, emoji, typos, stretched letters, mentions,
// URLs, zero-width characters), hard negatives (texts sharing phrases with a raid, generic short
// replies, organic hashtag bursts) and background traffic.
//
// It is deterministic: the same [Config] always gives the same messages. It does no I/O and is
// used only by tests and benchmarks.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"raidtrace/analysis"
)

// Config sets the size and mix of a corpus.
type Config struct {
	Seed     uint64
	N        int     // messages in all
	Raids    int     // raid clusters (0: one per 2,000 raid messages, at least 3)
	RaidPart float64 // share of raid messages (0: 0.6)
	HardPart float64 // share of hard negatives (0: 0.1)
	// HashtagPart is the share of hashtag-campaign posts: distinct texts carrying one of a few
	// hashtags in bursts, as in a hashtag campaign (label 0: not near-duplicates).
	HashtagPart float64
	Start       time.Time
	Days        int // span of the background traffic (0: 7)
}

// Corpus is a generated message set and its labels.
type Corpus struct {
	Messages []analysis.Message
	// Labels[i] is the raid number (1…) of Messages[i], 0 for messages in no raid.
	Labels []int
	// Kinds[i] says what Messages[i] is: "raid", "background", "shared_phrase", "generic",
	// "hashtag".
	Kinds []string
}

// Generate builds a corpus from c.
func Generate(c Config) *Corpus {
	if c.RaidPart == 0 {
		c.RaidPart = 0.6
	}
	if c.HardPart == 0 {
		c.HardPart = 0.1
	}
	if c.Days == 0 {
		c.Days = 7
	}
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	}
	nRaid := int(float64(c.N) * c.RaidPart)
	if c.Raids == 0 {
		c.Raids = max(3, nRaid/2000)
	}
	g := &gen{r: rand.New(rand.NewPCG(c.Seed, c.Seed^0x5eed)), c: c, out: &Corpus{}}
	g.zipfFR = rand.NewZipf(g.r, 1.1, 12, uint64(len(vocabFR)-1))
	g.zipfEN = rand.NewZipf(g.r, 1.1, 12, uint64(len(vocabEN)-1))
	span := time.Duration(c.Days) * 24 * time.Hour
	// raids
	templates := g.raidTemplates(c.Raids)
	left := nRaid
	for k := 0; k < c.Raids && left > 0; k++ {
		size := nRaid / c.Raids
		if k == c.Raids-1 {
			size = left
		}
		left -= size
		start := c.Start.Add(time.Duration(g.r.Int64N(int64(span - 6*time.Hour))))
		dur := time.Duration(20+g.r.IntN(220)) * time.Minute
		ch := []string{"sms", "x"}[g.r.IntN(2)]
		phones := g.r.IntN(2) == 0
		for i := 0; i < size; i++ {
			t := start.Add(time.Duration(float64(dur) * g.raidOffset()))
			g.add(analysis.Message{Time: t, Sender: g.raider(phones), Text: g.edit(templates[k]), Channel: ch}, k+1, "raid")
		}
	}
	nHard := int(float64(c.N) * c.HardPart)
	for i := 0; i < nHard; i++ {
		t := c.Start.Add(time.Duration(g.r.Int64N(int64(span))))
		switch i % 3 {
		case 0: // shares a phrase with a raid template
			tpl := templates[g.r.IntN(len(templates))]
			w := strings.Fields(tpl)
			cut := max(2, len(w)*(2+g.r.IntN(2))/10)
			g.add(analysis.Message{Time: t, Sender: g.regular(), Text: strings.Join(w[:cut], " ") + " " + g.background(), Channel: "sms"}, 0, "shared_phrase")
		case 1:
			g.add(analysis.Message{Time: t, Sender: g.regular(), Text: generic[g.r.IntN(len(generic))], Channel: "sms"}, 0, "generic")
		case 2: // organic hashtag burst: one hashtag per day, different texts
			day := g.r.IntN(c.Days)
			bt := c.Start.Add(time.Duration(day)*24*time.Hour + 18*time.Hour + time.Duration(g.r.Int64N(int64(time.Hour))))
			tag := hashtags[day%len(hashtags)]
			g.add(analysis.Message{Time: bt, Sender: g.regular(), Text: g.background() + " " + tag, Channel: "x"}, 0, "hashtag")
		}
	}
	nTag := int(float64(c.N) * c.HashtagPart)
	for i := 0; i < nTag; i++ {
		day := g.r.IntN(c.Days)
		bt := c.Start.Add(time.Duration(day)*24*time.Hour + 20*time.Hour + time.Duration(g.r.Int64N(int64(2*time.Hour))))
		g.add(analysis.Message{Time: bt, Sender: g.regular(), Text: g.background() + " " + hashtags[g.r.IntN(3)] + " " + g.background(), Channel: "x"}, 0, "hashtag")
	}
	for len(g.out.Messages) < c.N {
		t := c.Start.Add(time.Duration(g.r.Int64N(int64(span))))
		g.add(analysis.Message{Time: t, Sender: g.regular(), Text: g.background(), Channel: []string{"sms", "x"}[g.r.IntN(2)]}, 0, "background")
	}
	g.shuffle()
	return g.out
}

type gen struct {
	r      *rand.Rand
	zipfFR *rand.Zipf
	zipfEN *rand.Zipf
	c      Config
	out    *Corpus
	nextNo int
}

func (g *gen) add(m analysis.Message, label int, kind string) {
	m.Time = m.Time.Truncate(time.Second)
	g.out.Messages = append(g.out.Messages, m)
	g.out.Labels = append(g.out.Labels, label)
	g.out.Kinds = append(g.out.Kinds, kind)
}

// shuffle orders messages by time, as an export would.
func (g *gen) shuffle() {
	idx := make([]int, len(g.out.Messages))
	for i := range idx {
		idx[i] = i
	}
	ms := g.out.Messages
	sortBy(idx, func(a, b int) bool {
		if !ms[a].Time.Equal(ms[b].Time) {
			return ms[a].Time.Before(ms[b].Time)
		}
		return a < b
	})
	o := &Corpus{Messages: make([]analysis.Message, len(idx)), Labels: make([]int, len(idx)), Kinds: make([]string, len(idx))}
	for i, j := range idx {
		o.Messages[i], o.Labels[i], o.Kinds[i] = ms[j], g.out.Labels[j], g.out.Kinds[j]
	}
	g.out = o
}

// raidOffset is a fraction of the raid's duration: most messages early, a long tail.
func (g *gen) raidOffset() float64 {
	x := g.r.ExpFloat64() / 3
	if x > 1 {
		x = g.r.Float64()
	}
	return x
}

func (g *gen) raider(phones bool) string {
	g.nextNo++
	if phones {
		return fmt.Sprintf("+3375%07d", 1000000+g.nextNo*(1+g.r.IntN(3)))
	}
	return fmt.Sprintf("user%d", 10000+g.nextNo*7+g.r.IntN(7))
}

func (g *gen) regular() string {
	n := g.r.IntN(max(50, g.c.N/20))
	if n%2 == 0 {
		return fmt.Sprintf("+336%08d", n*7919%100000000)
	}
	return fmt.Sprintf("%s_%s%d", first[n%len(first)], last[(n/7)%len(last)], n%97)
}

// raidTemplates picks n raid texts: the fixed ones, then combinations.
func (g *gen) raidTemplates(n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		if i < len(raidFR)+len(raidEN) {
			all := append(append([]string{}, raidFR...), raidEN...)
			out = append(out, all[i])
			continue
		}
		out = append(out, raidOpen[g.r.IntN(len(raidOpen))]+" "+g.background()+" "+raidMid[g.r.IntN(len(raidMid))]+" "+raidEnd[g.r.IntN(len(raidEnd))])
	}
	return out
}

// edit applies a raider's edits to a template.
func (g *gen) edit(tpl string) string {
	s := tpl
	r := g.r
	if r.Float64() < 0.5 {
		s = dropAccents(s)
	}
	if r.Float64() < 0.3 {
		s = g.mapSome(s, leetMap, 0.4)
	}
	if r.Float64() < 0.2 {
		s = g.mapSome(s, homoglyphMap, 0.3)
	}
	if r.Float64() < 0.2 {
		s = g.stretch(s)
	}
	typos := 0
	switch x := r.Float64(); {
	case x < 0.3:
		typos = 1
	case x < 0.4:
		typos = 2
	}
	for ; typos > 0; typos-- {
		s = g.typo(s)
	}
	if r.Float64() < 0.15 {
		s = strings.ToUpper(s)
	}
	if r.Float64() < 0.1 {
		s = g.zeroWidth(s)
	}
	if r.Float64() < 0.3 {
		s = emoji[r.IntN(len(emoji))] + " " + s
	}
	if r.Float64() < 0.3 {
		s = s + " " + strings.Repeat(emoji[r.IntN(len(emoji))], 1+r.IntN(3))
	}
	if r.Float64() < 0.4 {
		s = "@" + victims[r.IntN(len(victims))] + " " + s
	}
	if r.Float64() < 0.1 {
		s = s + " https://t.co/" + fmt.Sprint(r.IntN(1e6))
	}
	if r.Float64() < 0.15 {
		w := strings.Fields(s)
		i := r.IntN(len(w) + 1)
		w = append(w[:i], append([]string{fillers[r.IntN(len(fillers))]}, w[i:]...)...)
		s = strings.Join(w, " ")
	}
	if r.Float64() < 0.2 {
		s = strings.TrimRight(s, ".!?") + []string{"!!", "!!!", "...", " ?", "."}[r.IntN(5)]
	}
	return s
}

func (g *gen) mapSome(s string, m map[rune]string, p float64) string {
	var b strings.Builder
	for _, c := range s {
		if v, ok := m[c]; ok && g.r.Float64() < p {
			b.WriteString(v)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (g *gen) stretch(s string) string {
	rs := []rune(s)
	for k := 0; k < 5; k++ {
		i := g.r.IntN(len(rs))
		if strings.ContainsRune("aeiouAEIOU", rs[i]) {
			rep := []rune(strings.Repeat(string(rs[i]), 2+g.r.IntN(4)))
			return string(rs[:i]) + string(rep) + string(rs[i+1:])
		}
	}
	return s
}

func (g *gen) typo(s string) string {
	rs := []rune(s)
	if len(rs) < 4 {
		return s
	}
	i := 1 + g.r.IntN(len(rs)-2)
	switch g.r.IntN(3) {
	case 0:
		rs[i] = rune('a' + g.r.IntN(26))
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	default:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	}
	return string(rs)
}

func (g *gen) zeroWidth(s string) string {
	rs := []rune(s)
	i := g.r.IntN(len(rs))
	return string(rs[:i]) + "\u200b" + string(rs[i:])
}

// background writes an ordinary message: 5 to 16 words drawn with a Zipf law from a French or an
// English vocabulary, sometimes with a time or a number, so that two background messages rarely
// share more than common words.
func (g *gen) background() string {
	r := g.r
	vocab, z := vocabFR, g.zipfFR
	if r.IntN(2) == 0 {
		vocab, z = vocabEN, g.zipfEN
	}
	n := 5 + r.IntN(12)
	w := make([]string, 0, n+1)
	for i := 0; i < n; i++ {
		w = append(w, vocab[z.Uint64()])
	}
	if r.IntN(5) == 0 {
		w = append(w, fmt.Sprintf("%dh%02d", 7+r.IntN(15), r.IntN(60)))
	}
	first, sz := utf8.DecodeRuneInString(w[0])
	w[0] = string(unicode.ToUpper(first)) + w[0][sz:]
	return strings.Join(w, " ")
}

func dropAccents(s string) string {
	var b strings.Builder
	for _, c := range s {
		if v, ok := accentMap[c]; ok {
			b.WriteRune(v)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func sortBy(idx []int, less func(a, b int) bool) {
	// insertion-free: a simple merge sort keeps this package dependency-light and stable
	if len(idx) < 2 {
		return
	}
	mid := len(idx) / 2
	a := append([]int(nil), idx[:mid]...)
	b := append([]int(nil), idx[mid:]...)
	sortBy(a, less)
	sortBy(b, less)
	i, j := 0, 0
	for k := range idx {
		if j >= len(b) || i < len(a) && !less(b[j], a[i]) {
			idx[k] = a[i]
			i++
		} else {
			idx[k] = b[j]
			j++
		}
	}
}
