package evidence

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"raidtrace/assets"
)

// The PDF draws the characters DejaVu lacks (emoji above all) with a second embedded font,
// Symbola (assets/report/fonts/LICENSE-Symbola). fpdf addresses the Basic Multilingual Plane only
// (a 16-bit code per character, read from a format 4 cmap), and most emoji lie above it: the font
// is embedded with a rebuilt cmap that gives each of those characters a code in the Private Use
// Area, and each run drawn with it carries the real characters as /ActualText, so that copying
// or extracting the text gives the emoji back.

// fallbackFont is Symbola as the PDF embeds it.
type fallbackFont struct {
	ttf  []byte           // the font with the rebuilt cmap
	code map[rune]rune    // a character's code in ttf (itself in the BMP, else in the PUA)
	adv  map[rune]float64 // advance width, in em
}

const fallbackFamily = "Fallback"

var (
	fallbackOnce sync.Once
	fallback     *fallbackFont // nil when the font cannot be read: characters show as [U+XXXX]
)

// fallbackFonts returns the fallback font, read once.
func fallbackFonts() *fallbackFont {
	fallbackOnce.Do(func() {
		b, err := fs.ReadFile(assets.Sub("report"), "fonts/Symbola.ttf")
		if err == nil {
			fallback, err = newFallbackFont(b)
		}
		if err != nil {
			fallback = nil
		}
	})
	return fallback
}

// newFallbackFont maps every character of the font that DejaVu cannot draw (fontCoverage) to a
// 16-bit code and rebuilds the font's cmap with those codes.
func newFallbackFont(data []byte) (*fallbackFont, error) {
	f, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("fallback font: %w", err)
	}
	cov := fontCoverage()
	var buf sfnt.Buffer
	ff := &fallbackFont{code: map[rune]rune{}, adv: map[rune]float64{}}
	upem := fixed.Int26_6(f.UnitsPerEm())
	type pair struct {
		code rune
		gid  sfnt.GlyphIndex
	}
	var pairs []pair
	pua := rune(0xE000)
	for r := rune(0x20); r <= 0x1FFFF; r++ {
		if r >= 0xD800 && r <= 0xF8FF { // surrogates and the PUA itself
			continue
		}
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 || cov(r) {
			continue
		}
		code := r
		if r > 0xFFFF {
			if pua > 0xF8FF {
				continue // the PUA is full: shown as [U+XXXX]
			}
			code = pua
			pua++
		}
		a, err := f.GlyphAdvance(&buf, gi, upem, 0)
		if err != nil {
			continue
		}
		ff.code[r] = code
		ff.adv[r] = float64(a) / float64(upem)
		pairs = append(pairs, pair{code, gi})
	}
	if len(pairs) == 0 {
		return nil, errors.New("fallback font: no character to add")
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].code < pairs[j].code })
	// format 4: one segment per run of consecutive codes with consecutive glyphs, then 0xFFFF
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, p := range pairs {
		c, g := uint16(p.code), uint16(p.gid)
		if n := len(segs); n > 0 && segs[n-1].end+1 == c && segs[n-1].end+segs[n-1].delta+1 == g {
			segs[n-1].end = c
			continue
		}
		segs = append(segs, seg{c, c, g - c})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	if 16+8*n > 0xFFFF {
		return nil, fmt.Errorf("fallback font: %d cmap segments, too many", n)
	}
	var sub bytes.Buffer
	w16 := func(v uint16) { binary.Write(&sub, binary.BigEndian, v) }
	search, sel := 1, 0
	for search*2 <= n {
		search *= 2
		sel++
	}
	w16(4)
	w16(uint16(16 + 8*n))
	w16(0) // language
	w16(uint16(2 * n))
	w16(uint16(2 * search))
	w16(uint16(sel))
	w16(uint16(2*n - 2*search))
	for _, s := range segs {
		w16(s.end)
	}
	w16(0)
	for _, s := range segs {
		w16(s.start)
	}
	for _, s := range segs {
		w16(s.delta)
	}
	for range segs {
		w16(0) // idRangeOffset
	}
	var cmap bytes.Buffer
	binary.Write(&cmap, binary.BigEndian, []uint16{0, 1, 3, 1})
	binary.Write(&cmap, binary.BigEndian, uint32(12))
	cmap.Write(sub.Bytes())
	ff.ttf, err = replaceTable(data, "cmap", cmap.Bytes())
	if err != nil {
		return nil, fmt.Errorf("fallback font: %w", err)
	}
	return ff, nil
}

// replaceTable returns the TrueType font data with table tag replaced, its directory and
// checksums recomputed.
func replaceTable(data []byte, tag string, table []byte) ([]byte, error) {
	if len(data) < 12 {
		return nil, errors.New("font too short")
	}
	num := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*num {
		return nil, errors.New("font directory cut")
	}
	type rec struct {
		tag  string
		body []byte
	}
	recs := make([]rec, num)
	found := false
	for i := range recs {
		d := data[12+16*i:]
		off, ln := binary.BigEndian.Uint32(d[8:]), binary.BigEndian.Uint32(d[12:])
		if uint64(off)+uint64(ln) > uint64(len(data)) {
			return nil, fmt.Errorf("table %q outside the file", d[:4])
		}
		recs[i] = rec{string(d[:4]), data[off : off+ln]}
		if recs[i].tag == tag {
			recs[i].body, found = table, true
		}
	}
	if !found {
		return nil, fmt.Errorf("no %q table", tag)
	}
	sum := func(b []byte) uint32 {
		var s uint32
		for i := 0; i < len(b); i += 4 {
			var w [4]byte
			copy(w[:], b[i:])
			s += binary.BigEndian.Uint32(w[:])
		}
		return s
	}
	var out bytes.Buffer
	out.Write(data[:12])
	off := 12 + 16*num
	headAt := -1
	var bodies bytes.Buffer
	for _, r := range recs {
		body := r.body
		if r.tag == "head" && len(body) >= 12 {
			body = append([]byte(nil), body...)
			binary.BigEndian.PutUint32(body[8:], 0) // checkSumAdjustment, set below
			headAt = off + bodies.Len()
		}
		var d [16]byte
		copy(d[:4], r.tag)
		binary.BigEndian.PutUint32(d[4:], sum(body))
		binary.BigEndian.PutUint32(d[8:], uint32(off+bodies.Len()))
		binary.BigEndian.PutUint32(d[12:], uint32(len(body)))
		out.Write(d[:])
		bodies.Write(body)
		for bodies.Len()%4 != 0 {
			bodies.WriteByte(0)
		}
	}
	out.Write(bodies.Bytes())
	b := out.Bytes()
	if headAt >= 0 {
		binary.BigEndian.PutUint32(b[headAt+8:], 0xB1B0AFBA-sum(b))
	}
	return b, nil
}
