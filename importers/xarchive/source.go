package xarchive

import (
	"archive/zip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"raidtrace/importers"
)

// source is an archive as a set of members: a ZIP, an unzipped folder, or one lone data file.
type source interface {
	names() []string // member paths, slash-separated, relative to the source
	open(name string) (io.ReadCloser, int64, error)
	size(name string) int64 // uncompressed size, 0 when unknown
	close() error
}

// zipSource reads members straight from the ZIP; nothing is extracted to disk. It applies the
// rules of the generic ZIP import ([importers.ZipRefusal], [importers.ZipArchiveRefusal]): a
// member whose path would escape the archive is not listed, and one that is a symbolic link or
// another file that is not a regular one, encrypted, or a likely decompression bomb is refused
// when it is opened. A second member of a name is listed under a name that tells it apart
// ([importers.ZipNames]).
type zipSource struct {
	zr    *zip.Reader
	c     io.Closer // the file, when opened from a path
	files map[string]*zip.File
	list  []string
	bad   []importers.Problem // members refused because of their path
	// dups lists, by member name (backslashes as slashes), the names of the other members of
	// that name; dupWarn holds the warning for each of those.
	dups    map[string][]string
	dupWarn map[string]importers.Problem
}

func openZip(p string) (*zipSource, error) {
	rc, err := zip.OpenReader(p)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, err
	}
	z, err := newZipSource(&rc.Reader)
	if err != nil {
		rc.Close()
		return nil, err
	}
	z.c = rc
	return z, nil
}

func newZipSource(zr *zip.Reader) (*zipSource, error) {
	if why := importers.ZipArchiveRefusal(zr.File, importers.ZipMaxMembers, importers.ZipMaxTotal); !why.IsZero() {
		return nil, why.Wrap(nil)
	}
	z := &zipSource{zr: zr, files: map[string]*zip.File{}, dups: map[string][]string{}, dupWarn: map[string]importers.Problem{}}
	names, warnings := importers.ZipNames(zr.File)
	for _, w := range warnings {
		z.dupWarn[w.Location] = w
	}
	for i, f := range zr.File {
		if importers.IsZipFolder(f) {
			continue
		}
		name := names[i]
		if why := importers.ZipPathRefusal(f.Name); !why.IsZero() {
			z.bad = append(z.bad, why.Problem(name))
			continue
		}
		if name != f.Name {
			key := strings.ReplaceAll(f.Name, `\`, "/") // as importers.ZipNames compares them
			z.dups[key] = append(z.dups[key], name)
		}
		z.list = append(z.list, name)
		z.files[name] = f
	}
	sort.Strings(z.list)
	return z, nil
}

// duplicates returns the names of the other members named name, and the warning for each.
func (z *zipSource) duplicates(name string) ([]string, []importers.Problem) {
	var ws []importers.Problem
	key := strings.ReplaceAll(name, `\`, "/")
	for _, d := range z.dups[key] {
		ws = append(ws, z.dupWarn[d])
	}
	return z.dups[key], ws
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
	if why := importers.ZipRefusal(f); !why.IsZero() {
		return nil, 0, why.Wrap(nil)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, 0, err
	}
	// archive/zip checks the declared size and CRC at the end of the member.
	return rc, int64(f.UncompressedSize64), nil
}

// dirSource reads an unzipped archive folder through an os.Root, so no path leaves it. As in a
// ZIP, a symbolic link or another file that is not a regular one is listed but refused when it
// is opened, so that a data file that is a link is reported rather than read or left out.
type dirSource struct {
	root    *os.Root
	list    []string
	refused map[string]importers.Msg // name → why it is not read
}

var (
	reasonSymlink   = importers.NewReason("x-file-symlink", "file is a symbolic link: refused")
	reasonIrregular = importers.NewReason("x-file-irregular", "file is not a regular file: refused")
)

func openDir(p string) (*dirSource, error) {
	root, err := os.OpenRoot(p)
	if err != nil {
		return nil, err
	}
	d := &dirSource{root: root, refused: map[string]importers.Msg{}}
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
			switch {
			case e.Type()&fs.ModeSymlink != 0:
				d.refused[name] = reasonSymlink.M()
			case !e.Type().IsRegular():
				d.refused[name] = reasonIrregular.M()
			}
			d.list = append(d.list, name)
		}
	}
	walk(".", 0)
	sort.Strings(d.list)
	return d, nil
}

func (d *dirSource) names() []string { return d.list }

func (d *dirSource) size(name string) int64 {
	if _, ok := d.refused[name]; ok {
		return 0
	}
	if st, err := d.root.Stat(name); err == nil {
		return st.Size()
	}
	return 0
}
func (d *dirSource) close() error { return d.root.Close() }

func (d *dirSource) open(name string) (io.ReadCloser, int64, error) {
	if why, ok := d.refused[name]; ok {
		return nil, 0, why.Wrap(nil)
	}
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
