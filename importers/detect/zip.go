package detect

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"strings"

	"raidtrace/importers"
)

// Zip is the generic ZIP format: an archive of exports that no specific format claims. Its
// members are imported in place, each through the format detected from its content.
var Zip = importers.Format{ID: "zip", Name: "ZIP archive of exports", Sniff: sniffZip}

// Import is set here: it detects members through the registry, which lists Zip.
func init() { Zip.Import = importZip }

// zipLimits bound what an archive may make Raidtrace read.
type zipLimits struct {
	maxRatio     uint64 // refuse members that expand more than this many times…
	ratioMinSize uint64 // …when they expand to more than this many bytes
	maxTotal     uint64 // uncompressed bytes of all members, nested archives included
	maxDepth     int    // archives inside archives: 1 means no nesting
	maxNested    uint64 // a nested archive is read into memory, up to this size
	maxMembers   int
}

var limits = zipLimits{
	maxRatio:     200,
	ratioMinSize: 1 << 20,
	maxTotal:     32 << 30,
	maxDepth:     3,
	maxNested:    256 << 20,
	maxMembers:   100_000,
}

func sniffZip(head []byte, _ string) bool {
	return bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
}

func importZip(ctx context.Context, name string, opt importers.Options, sink importers.Sink) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("open zip: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open zip: %w", err)
	}
	return ReadZip(ctx, f, st.Size(), opt, sink)
}

// ReadZip imports the members of the ZIP archive in r (size bytes) as [Zip] does for a file.
// Problems with single members (unsafe paths, bombs, unknown or path-only formats, broken
// members) are reported to sink and the other members still import; an error is returned when
// the archive itself cannot be read, is too large, or the sink or ctx stops the import.
func ReadZip(ctx context.Context, r io.ReaderAt, size int64, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	z := &zipImport{ctx: ctx, opt: opt, sink: sink, budget: limits.maxTotal, progress: opt.Progress}
	z.opt.Progress = nil
	return z.archive(r, size, "", 1)
}

type zipImport struct {
	ctx      context.Context
	opt      importers.Options
	sink     importers.Sink
	budget   uint64 // uncompressed bytes still allowed
	progress func(done, total int64)
	done     int64
	total    int64
}

func (z *zipImport) problem(loc, reason string) {
	z.sink.Problem(importers.Problem{Location: loc, Reason: reason})
}

// archive imports one archive; prefix names it inside its parents ("" at the top).
func (z *zipImport) archive(r io.ReaderAt, size int64, prefix string, depth int) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are refused one by one below
		if errors.Is(err, zip.ErrFormat) {
			err = fmt.Errorf("%v: %w", err, importers.ErrNotFormat)
		}
		return &importers.ParseError{File: strings.TrimSuffix(prefix, ":"), Err: fmt.Errorf("read zip: %w", err)}
	}
	if len(zr.File) > limits.maxMembers {
		return &importers.ParseError{File: strings.TrimSuffix(prefix, ":"),
			Err: fmt.Errorf("zip has %d members, more than the limit of %d", len(zr.File), limits.maxMembers)}
	}
	var total uint64
	for _, f := range zr.File {
		if total+f.UncompressedSize64 < total { // overflow: a forged size
			total = math.MaxUint64
			break
		}
		total += f.UncompressedSize64
	}
	if total > z.budget {
		return &importers.ParseError{File: strings.TrimSuffix(prefix, ":"),
			Err: fmt.Errorf("zip expands to %d bytes, more than the %d bytes allowed: refused as a possible decompression bomb", total, z.budget)}
	}
	if depth == 1 {
		z.total = int64(total)
	}
	for _, f := range zr.File {
		if err := z.ctx.Err(); err != nil {
			return fmt.Errorf("zip: %w", err)
		}
		if err := z.member(f, prefix, depth); err != nil {
			return err
		}
	}
	return nil
}

// refusal says why member f must not be read, or "".
func refusal(f *zip.File) string {
	name := strings.ReplaceAll(f.Name, `\`, "/")
	switch {
	case strings.ContainsRune(name, 0):
		return "member name contains a NUL byte: refused"
	case strings.HasPrefix(name, "/") || len(name) >= 2 && name[1] == ':':
		return "member path is absolute: refused (it would escape the archive)"
	case f.Mode()&fs.ModeSymlink != 0:
		return "member is a symbolic link: refused"
	case f.Mode()&fs.ModeType != 0 && !f.Mode().IsDir():
		return "member is not a regular file: refused"
	case f.Flags&0x1 != 0:
		return "member is encrypted: cannot be read"
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return "member path contains \"..\": refused (it would escape the archive)"
		}
	}
	u, c := f.UncompressedSize64, f.CompressedSize64
	if u > limits.ratioMinSize && (c == 0 || u/c > limits.maxRatio) {
		return fmt.Sprintf("member expands from %d to %d bytes (more than %d:1): refused as a possible decompression bomb",
			c, u, limits.maxRatio)
	}
	return ""
}

func (z *zipImport) member(f *zip.File, prefix string, depth int) error {
	loc := prefix + f.Name
	if strings.HasSuffix(f.Name, "/") || f.Mode().IsDir() {
		return nil // a folder entry holds nothing
	}
	if why := refusal(f); why != "" {
		z.problem(loc, why)
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		z.problem(loc, fmt.Sprintf("cannot open member: %v", err))
		return nil
	}
	defer rc.Close()
	z.budget -= min(z.budget, f.UncompressedSize64)
	cr := &countingReader{r: rc, z: z}
	br := bufio.NewReaderSize(cr, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		z.problem(loc, fmt.Sprintf("cannot read member: %v", err))
		return nil
	}
	var claims []importers.Format // formats whose Sniff claims the member, in detection order
	for _, c := range Formats() {
		if c.Sniff != nil && c.Sniff(head, path.Base(f.Name)) {
			claims = append(claims, c)
		}
	}
	if len(claims) == 0 {
		z.problem(loc, "format not recognised; member skipped")
		return nil
	}
	format := claims[0]
	switch {
	case format.ID == "zip":
		return z.nested(br, f, loc, depth)
	case format.Read == nil:
		// Formats that need a file; without it, a Probe cannot tell which one this is.
		var names []string
		for _, c := range claims {
			if c.Read == nil && c.ID != "zip" {
				names = append(names, c.Name)
			}
		}
		z.problem(loc, fmt.Sprintf("%s cannot be read inside a ZIP; unzip first and import the file", strings.Join(names, " or ")))
		return nil
	}
	ps := &prefixSink{prefix: loc + ":", sink: z.sink}
	err = format.Read(z.ctx, br, z.opt, ps)
	switch {
	case ps.err != nil:
		return err
	case z.ctx.Err() != nil:
		return fmt.Errorf("zip: %w", z.ctx.Err())
	case err != nil && !ps.reported(err):
		z.problem(loc, fmt.Sprintf("%s import stopped: %v", format.Name, err))
	}
	return nil
}

// nested imports a ZIP inside a ZIP, read into memory since archive/zip needs random access.
func (z *zipImport) nested(r io.Reader, f *zip.File, loc string, depth int) error {
	if depth >= limits.maxDepth {
		z.problem(loc, fmt.Sprintf("archive nested more than %d deep: refused", limits.maxDepth))
		return nil
	}
	if f.UncompressedSize64 > limits.maxNested {
		z.problem(loc, fmt.Sprintf("nested archive of %d bytes is larger than %d: unzip it first", f.UncompressedSize64, limits.maxNested))
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(limits.maxNested)+1))
	if err != nil {
		z.problem(loc, fmt.Sprintf("cannot read nested archive: %v", err))
		return nil
	}
	err = z.archive(bytes.NewReader(data), int64(len(data)), loc+":", depth+1)
	var pe *importers.ParseError
	if errors.As(err, &pe) {
		z.problem(loc, err.Error())
		return nil
	}
	return err
}

// prefixSink puts the member name in front of every location and remembers a sink error.
type prefixSink struct {
	prefix string
	sink   importers.Sink
	err    error
	last   string // reason of the last problem that skipped something
}

func (s *prefixSink) Record(r importers.Record) error {
	r.Location = s.prefix + r.Location
	if err := s.sink.Record(r); err != nil {
		s.err = err
		return err
	}
	return nil
}

func (s *prefixSink) Problem(p importers.Problem) {
	if !p.Warning {
		s.last = p.Reason
	}
	p.Location = s.prefix + p.Location
	s.sink.Problem(p)
}

// reported tells whether the parser already reported err as its last problem, as parsers do
// for a truncated file; the member's error is then not reported twice.
func (s *prefixSink) reported(err error) bool {
	var pe *importers.ParseError
	return errors.As(err, &pe) && s.last != "" && s.last == pe.Err.Error()
}

// countingReader reports progress over the uncompressed bytes of the top-level archive.
type countingReader struct {
	r io.Reader
	z *zipImport
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.z.progress != nil && n > 0 {
		c.z.done += int64(n)
		c.z.progress(min(c.z.done, c.z.total), c.z.total)
	}
	return n, err
}
