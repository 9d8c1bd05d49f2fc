package evidence

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// zipBag writes the bag folder src as a zip whose single top-level folder is name (RFC 8493
// section 4: a serialized bag unpacks to one folder). Entries are sorted and dated now, so the
// same bag gives the same zip. The zip is written into f, a new partial file beside out (locked
// by the caller for as long as it is open), and renamed to out when complete, so a crash never
// leaves a truncated zip under its final name. It is user-only (0600), like the bag folder: it
// holds the originals and every message.
func zipBag(ctx context.Context, src, name string, f *os.File, out string, now time.Time) (err error) {
	var files []string
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(src, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	sort.Strings(files)
	if exists(out) {
		return fmt.Errorf("zip: %s already exists", out)
	}
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	zw := zip.NewWriter(f)
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		method := zip.Deflate
		if strings.HasSuffix(rel, ".pdf") || strings.HasSuffix(rel, ".zip") || strings.HasSuffix(rel, ".rsmf") {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/" + rel, Method: method, Modified: now.UTC()})
		if err != nil {
			return fmt.Errorf("zip: %w", err)
		}
		r, err := os.Open(filepath.Join(src, filepath.FromSlash(rel)))
		if err != nil {
			return fmt.Errorf("zip: %w", err)
		}
		_, err = io.Copy(w, r)
		r.Close()
		if err != nil {
			return fmt.Errorf("zip %s: %w", rel, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	// renamed while still open, so that its lock holds until it has its final name
	if err := os.Rename(f.Name(), out); err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	return nil
}
