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
// same bag gives the same zip.
func zipBag(ctx context.Context, src, name, out string, now time.Time) error {
	var files []string
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
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
	f, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	zw := zip.NewWriter(f)
	for _, rel := range files {
		if err := ctx.Err(); err != nil {
			f.Close()
			return err
		}
		method := zip.Deflate
		if strings.HasSuffix(rel, ".pdf") || strings.HasSuffix(rel, ".zip") || strings.HasSuffix(rel, ".rsmf") {
			method = zip.Store
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + "/" + rel, Method: method, Modified: now.UTC()})
		if err != nil {
			f.Close()
			return fmt.Errorf("zip: %w", err)
		}
		r, err := os.Open(filepath.Join(src, filepath.FromSlash(rel)))
		if err != nil {
			f.Close()
			return fmt.Errorf("zip: %w", err)
		}
		_, err = io.Copy(w, r)
		r.Close()
		if err != nil {
			f.Close()
			return fmt.Errorf("zip %s: %w", rel, err)
		}
	}
	if err := zw.Close(); err != nil {
		f.Close()
		return fmt.Errorf("zip: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("zip: %w", err)
	}
	return f.Close()
}
