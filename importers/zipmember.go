package importers

import (
	"archive/zip"
	"fmt"
	"io/fs"
	"math"
	"strings"
)

// Limits on what a ZIP archive may make a parser read, shared by the generic ZIP import
// (importers/detect) and the formats that open a ZIP themselves (importers/xarchive).
const (
	ZipMaxRatio     = 200     // a member expanding more than this many times is refused…
	ZipRatioMinSize = 1 << 20 // …when it expands to more than this many bytes
	ZipMaxTotal     = 32 << 30
	ZipMaxMembers   = 100_000
)

// ZipPathRefusal says why a member named name must not be read because of its name alone (a
// NUL byte, an absolute path, a ".." segment: it would escape the archive if extracted), or "".
// Backslashes count as slashes, as Windows tools write them.
func ZipPathRefusal(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	switch {
	case strings.ContainsRune(name, 0):
		return "member name contains a NUL byte: refused"
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':':
		return "member path is absolute: refused (it would escape the archive)"
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return "member path contains \"..\": refused (it would escape the archive)"
		}
	}
	return ""
}

// ZipRefusal says why the member f must not be read, or "" when it may be: its path (see
// [ZipPathRefusal]), a symbolic link or other file that is not a regular one (whatever its
// content, a link is never read as the data it names), encryption, or a compression ratio above
// [ZipMaxRatio]:1 for a member larger than [ZipRatioMinSize] once expanded (a decompression
// bomb). Folder entries are no files: callers skip them first.
func ZipRefusal(f *zip.File) string {
	if why := ZipPathRefusal(f.Name); why != "" {
		return why
	}
	switch {
	case f.Mode()&fs.ModeSymlink != 0:
		return "member is a symbolic link: refused"
	case f.Mode()&fs.ModeType != 0 && !f.Mode().IsDir():
		return "member is not a regular file: refused"
	case f.Flags&0x1 != 0:
		return "member is encrypted: cannot be read"
	}
	u, c := f.UncompressedSize64, f.CompressedSize64
	if u > ZipRatioMinSize && (c == 0 || u/c > ZipMaxRatio) {
		return fmt.Sprintf("member expands from %d to %d bytes (more than %d:1): refused as a possible decompression bomb",
			c, u, ZipMaxRatio)
	}
	return ""
}

// ZipTotal is the uncompressed size the members of an archive declare, math.MaxUint64 when the
// sum overflows (forged sizes).
func ZipTotal(files []*zip.File) uint64 {
	var total uint64
	for _, f := range files {
		if total+f.UncompressedSize64 < total {
			return math.MaxUint64
		}
		total += f.UncompressedSize64
	}
	return total
}

// ZipArchiveRefusal says why an archive whose members are files must not be read at all: more
// than maxMembers members, or members expanding to more than maxTotal bytes; "" otherwise.
func ZipArchiveRefusal(files []*zip.File, maxMembers int, maxTotal uint64) string {
	if len(files) > maxMembers {
		return fmt.Sprintf("zip has %d members, more than the limit of %d", len(files), maxMembers)
	}
	if total := ZipTotal(files); total > maxTotal {
		return fmt.Sprintf("zip expands to %d bytes, more than the %d bytes allowed: refused as a possible decompression bomb", total, maxTotal)
	}
	return ""
}

// IsZipFolder reports whether f is a folder entry, which holds nothing.
func IsZipFolder(f *zip.File) bool { return strings.HasSuffix(f.Name, "/") || f.Mode().IsDir() }

// ZipNames returns the name each member of files is located by, in the same order: its name,
// or, for the second and later members with the same name (backslashes counting as slashes),
// "name (member N of that name)", so that the records of two members named alike stay apart.
// It also returns a warning, located at that name, for each such member. Folder entries keep
// their name.
func ZipNames(files []*zip.File) ([]string, []Problem) {
	names := make([]string, len(files))
	seen := map[string]int{}
	type dup struct{ i, n int }
	var dups []dup
	for i, f := range files {
		names[i] = f.Name
		if IsZipFolder(f) {
			continue
		}
		key := strings.ReplaceAll(f.Name, `\`, "/")
		seen[key]++
		if n := seen[key]; n > 1 {
			names[i] = fmt.Sprintf("%s (member %d of that name)", f.Name, n)
			dups = append(dups, dup{i, n})
		}
	}
	var warnings []Problem
	for _, d := range dups {
		f := files[d.i]
		warnings = append(warnings, Problem{Location: names[d.i], Warning: true, Reason: fmt.Sprintf(
			"the archive holds %d members named %q (an archive should hold one): each is read, this one located as \"member %d of that name\"",
			seen[strings.ReplaceAll(f.Name, `\`, "/")], f.Name, d.n)})
	}
	return names, warnings
}
