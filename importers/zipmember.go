package importers

import (
	"archive/zip"
	"fmt"
	"io/fs"
	"math"
	"strconv"
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
// NUL byte, an absolute path, a ".." segment: it would escape the archive if extracted), or the
// zero Msg. Backslashes count as slashes, as Windows tools write them.
func ZipPathRefusal(name string) Msg {
	name = strings.ReplaceAll(name, `\`, "/")
	switch {
	case strings.ContainsRune(name, 0):
		return reasonZipNUL.M()
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':':
		return reasonZipAbsolute.M()
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return reasonZipDotDot.M()
		}
	}
	return Msg{}
}

var (
	reasonZipNUL       = NewReason("zip-member-nul", "member name contains a NUL byte: refused")
	reasonZipAbsolute  = NewReason("zip-member-absolute", "member path is absolute: refused (it would escape the archive)")
	reasonZipDotDot    = NewReason("zip-member-dotdot", `member path contains "..": refused (it would escape the archive)`)
	reasonZipSymlink   = NewReason("zip-member-symlink", "member is a symbolic link: refused")
	reasonZipIrregular = NewReason("zip-member-irregular", "member is not a regular file: refused")
	reasonZipEncrypted = NewReason("zip-member-encrypted", "member is encrypted: cannot be read")
	reasonZipBomb      = NewReason("zip-member-bomb", "member expands from {{.From}} to {{.To}} bytes (more than {{.Ratio}}:1): refused as a possible decompression bomb")
	reasonZipMembers   = NewReason("zip-too-many-members", "zip has {{.N}} members, more than the limit of {{.Max}}")
	reasonZipTotal     = NewReason("zip-too-large", "zip expands to {{.N}} bytes, more than the {{.Max}} bytes allowed: refused as a possible decompression bomb")
	reasonZipSameName  = NewReason("zip-same-name", `the archive holds {{.N}} members named {{.Name}} (an archive should hold one): each is read, this one located as "member {{.K}} of that name"`)
)

// ZipRefusal says why the member f must not be read, or the zero Msg when it may be: its path (see
// [ZipPathRefusal]), a symbolic link or other file that is not a regular one (whatever its
// content, a link is never read as the data it names), encryption, or a compression ratio above
// [ZipMaxRatio]:1 for a member larger than [ZipRatioMinSize] once expanded (a decompression
// bomb). Folder entries are no files: callers skip them first.
func ZipRefusal(f *zip.File) Msg {
	if why := ZipPathRefusal(f.Name); !why.IsZero() {
		return why
	}
	switch {
	case f.Mode()&fs.ModeSymlink != 0:
		return reasonZipSymlink.M()
	case f.Mode()&fs.ModeType != 0 && !f.Mode().IsDir():
		return reasonZipIrregular.M()
	case f.Flags&0x1 != 0:
		return reasonZipEncrypted.M()
	}
	u, c := f.UncompressedSize64, f.CompressedSize64
	if u > ZipRatioMinSize && (c == 0 || u/c > ZipMaxRatio) {
		return reasonZipBomb.M("From", c, "To", u, "Ratio", ZipMaxRatio)
	}
	return Msg{}
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
// than maxMembers members, or members expanding to more than maxTotal bytes; the zero Msg
// otherwise.
func ZipArchiveRefusal(files []*zip.File, maxMembers int, maxTotal uint64) Msg {
	if len(files) > maxMembers {
		return reasonZipMembers.M("N", len(files), "Max", maxMembers)
	}
	if total := ZipTotal(files); total > maxTotal {
		return reasonZipTotal.M("N", total, "Max", maxTotal)
	}
	return Msg{}
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
		warnings = append(warnings, reasonZipSameName.M("N", seen[strings.ReplaceAll(f.Name, `\`, "/")],
			"Name", strconv.Quote(f.Name), "K", d.n).Warning(names[d.i]))
	}
	return names, warnings
}
