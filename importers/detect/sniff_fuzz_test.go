package detect

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
)

// FuzzSniff feeds every format's Sniff, and the UTF-16 and Windows-1252 decoders under them, with
// the first bytes of every fixture and their hostile variants: none may panic, and a file's
// UTF-16 form must be claimed by the formats that claim its UTF-8 form.
func FuzzSniff(f *testing.F) {
	paths, _ := filepath.Glob("../*/testdata/*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		if len(b) > HeadSize {
			b = b[:HeadSize]
		}
		f.Add(b, filepath.Base(p))
		for _, v := range fuzzseed.Hostile(b) {
			if len(v) > HeadSize {
				v = v[:HeadSize]
			}
			f.Add(v, filepath.Base(p))
		}
	}
	f.Fuzz(func(t *testing.T, head []byte, name string) {
		for _, format := range Formats() {
			if format.Sniff != nil {
				format.Sniff(head, name)
			}
		}
		if _, err := io.ReadAll(importers.UTF8Reader(bytes.NewReader(head))); err != nil {
			t.Errorf("UTF8Reader: %v", err)
		}
		r, _ := importers.LegacyReader(bytes.NewReader(head))
		if _, err := io.ReadAll(r); err != nil {
			t.Errorf("LegacyReader: %v", err)
		}
		if len(head) > 2 && len(head) < 4096 && utf8.Valid(head) && !bytes.HasPrefix(head, []byte("\ufeff")) && bytes.IndexByte(head, 0) < 0 {
			u16 := fuzzseed.UTF16LE(head)
			for _, format := range Formats() {
				if format.Sniff == nil || format.Read == nil {
					continue // databases and archives: bytes, not text
				}
				if format.Sniff(head, name) && !format.Sniff(u16, name) {
					t.Errorf("%s claims %q but not its UTF-16 form", format.ID, head)
				}
			}
		}
	})
}
