package xarchive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
)

// Limits on ZIP members, against archives built to exhaust memory or disk.
const (
	maxRatio      = 200     // uncompressed/compressed size above which a member is refused…
	minRatioCheck = 1 << 20 // …when it is larger than this once uncompressed
)

// source is an archive as a set of members: a ZIP, an unzipped folder, or one lone data file.
type source interface {
	names() []string // member paths, slash-separated, relative to the source
	open(name string) (io.ReadCloser, int64, error)
	size(name string) int64 // uncompressed size, 0 when unknown
	close() error
}

// zipSource reads members straight from the ZIP; nothing is extracted to disk.
type zipSource struct {
	zr    *zip.Reader
	c     io.Closer // the file, when opened from a path
	files map[string]*zip.File
	list  []string
	bad   []string // members refused because their path escapes the archive
}

func openZip(p string) (*zipSource, error) {
	rc, err := zip.OpenReader(p)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, err
	}
	z := newZipSource(&rc.Reader)
	z.c = rc
	return z, nil
}

func newZipSource(zr *zip.Reader) *zipSource {
	z := &zipSource{zr: zr, files: map[string]*zip.File{}}
	for _, f := range zr.File {
		name := f.Name
		if strings.HasSuffix(name, "/") {
			continue
		}
		if !localPath(name) {
			z.bad = append(z.bad, name)
			continue
		}
		if _, dup := z.files[name]; !dup {
			z.list = append(z.list, name)
		}
		z.files[name] = f
	}
	sort.Strings(z.list)
	return z
}

// localPath reports whether name stays inside the archive: relative, no "..", no drive letter.
func localPath(name string) bool {
	n := strings.ReplaceAll(name, `\`, "/")
	if strings.Contains(n, ":") {
		return false
	}
	return fs.ValidPath(n)
}

func (z *zipSource) names() []string { return z.list }

func (z *zipSource) size(name string) int64 {
	if f, ok := z.files[name]; ok {
		return int64(f.UncompressedSize64)
	}
	return 0
}
func (z *zipSource) close() error {
	if z.c == nil {
		return nil
	}
	return z.c.Close()
}

func (z *zipSource) open(name string) (io.ReadCloser, int64, error) {
	f, ok := z.files[name]
	if !ok {
		return nil, 0, fs.ErrNotExist
	}
	size := int64(f.UncompressedSize64)
	if f.UncompressedSize64 > minRatioCheck &&
		(f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > maxRatio) {
		return nil, 0, fmt.Errorf("compression ratio %d:1 is not plausible for an archive file (zip bomb?)",
			f.UncompressedSize64/max(f.CompressedSize64, 1))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, 0, err
	}
	// archive/zip checks the declared size and CRC at the end of the member.
	return rc, size, nil
}

// dirSource reads an unzipped archive folder through an os.Root, so no path leaves it.
type dirSource struct {
	root *os.Root
	list []string
}

func openDir(p string) (*dirSource, error) {
	root, err := os.OpenRoot(p)
	if err != nil {
		return nil, err
	}
	d := &dirSource{root: root}
	fsys := root.FS()
	// Only the folders that hold data are listed; media folders can hold thousands of files.
	var walk func(dir string, depth int)
	walk = func(dir string, depth int) {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			name := path.Join(dir, e.Name())
			if e.IsDir() {
				if depth < 4 && !strings.Contains(e.Name(), "media") && e.Name() != "assets" {
					walk(name, depth+1)
				}
				continue
			}
			if e.Type().IsRegular() {
				d.list = append(d.list, name)
			}
		}
	}
	walk(".", 0)
	sort.Strings(d.list)
	return d, nil
}

func (d *dirSource) names() []string { return d.list }

func (d *dirSource) size(name string) int64 {
	if st, err := d.root.Stat(name); err == nil {
		return st.Size()
	}
	return 0
}
func (d *dirSource) close() error { return d.root.Close() }

func (d *dirSource) open(name string) (io.ReadCloser, int64, error) {
	return withSize(d.root.Open(name))
}

// fileSource is a single data file given on its own (a tweets.js, a tweets.csv).
type fileSource struct {
	path, name string
}

func (s fileSource) names() []string { return []string{s.name} }

func (s fileSource) size(string) int64 {
	if st, err := os.Stat(s.path); err == nil {
		return st.Size()
	}
	return 0
}
func (s fileSource) close() error { return nil }

func (s fileSource) open(name string) (io.ReadCloser, int64, error) {
	if name != s.name {
		return nil, 0, fs.ErrNotExist
	}
	return withSize(os.Open(s.path))
}

// withSize returns the file just opened with its size (0 when it cannot be read), or err.
func withSize(f *os.File, err error) (io.ReadCloser, int64, error) {
	if err != nil {
		return nil, 0, err
	}
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	return f, size, nil
}
