package detect

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
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

// zipLimits bound what an archive may make Raidtrace read; the limits on single members are
// [importers.ZipRefusal]'s, shared with the formats that open a ZIP themselves.
type zipLimits struct {
	maxTotal   uint64 // uncompressed bytes of all members, nested archives included
	maxDepth   int    // archives inside archives: 1 means no nesting
	maxNested  uint64 // a nested archive is read into memory, up to this size
	maxMembers int
}

var limits = zipLimits{
	maxTotal:   importers.ZipMaxTotal,
	maxDepth:   3,
	maxNested:  256 << 20,
	maxMembers: importers.ZipMaxMembers,
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

func (z *zipImport) problem(loc string, reason importers.Msg) {
	z.sink.Problem(reason.Problem(loc))
}

var (
	reasonReadZip      = importers.NewReason("zip-read", "read zip: {{.Err}}")
	reasonMemberOpen   = importers.NewReason("zip-member-open", "cannot open member: {{.Err}}")
	reasonMemberRead   = importers.NewReason("zip-member-read", "cannot read member: {{.Err}}")
	reasonMemberFormat = importers.NewReason("zip-member-unknown", "format not recognised; member skipped")
	reasonMemberFile   = importers.NewReason("zip-member-needs-file", "{{.Formats}} cannot be read inside a ZIP; unzip first and import the file")
	reasonOr           = importers.NewReason("or", "{{.A}} or {{.B}}")
	reasonStopped      = importers.NewReason("zip-member-stopped", "{{.Format}} import stopped: {{.Err}}")
	reasonTooDeep      = importers.NewReason("zip-too-deep", "archive nested more than {{.Max}} deep: refused")
	reasonNestedLarge  = importers.NewReason("zip-nested-too-large", "nested archive of {{.N}} bytes is larger than {{.Max}}: unzip it first")
	reasonNestedRead   = importers.NewReason("zip-nested-read", "cannot read nested archive: {{.Err}}")
)

// orList joins names as "a or b or c".
func orList(names []importers.Msg) importers.Msg {
	m := names[0]
	for _, n := range names[1:] {
		m = reasonOr.M("A", m, "B", n)
	}
	return m
}

// archive imports one archive; prefix names it inside its parents ("" at the top).
func (z *zipImport) archive(r io.ReaderAt, size int64, prefix string, depth int) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // insecure names are refused one by one below
		if errors.Is(err, zip.ErrFormat) {
			err = importers.NotFormat(err)
		}
		return &importers.ParseError{File: strings.TrimSuffix(prefix, ":"), Err: reasonReadZip.M("Err", err).Wrap(err)}
	}
	if why := importers.ZipArchiveRefusal(zr.File, limits.maxMembers, z.budget); !why.IsZero() {
		return &importers.ParseError{File: strings.TrimSuffix(prefix, ":"), Err: why.Wrap(nil)}
	}
	if depth == 1 {
		z.total = int64(importers.ZipTotal(zr.File))
	}
	// Two members may have the same name: each is read, the second and later ones located by a
	// name that tells them apart, with a warning.
	names, dups := importers.ZipNames(zr.File)
	for i, f := range zr.File {
		if err := z.ctx.Err(); err != nil {
			return fmt.Errorf("zip: %w", err)
		}
		if names[i] != f.Name {
			w := dups[0]
			dups = dups[1:]
			w.Location = prefix + w.Location
			z.sink.Problem(w)
		}
		if err := z.member(f, prefix+names[i], depth); err != nil {
			return err
		}
	}
	return nil
}

// member imports the member f, located as loc (its name inside its parents, told apart from
// other members of the same name).
func (z *zipImport) member(f *zip.File, loc string, depth int) error {
	if importers.IsZipFolder(f) {
		return nil // a folder entry holds nothing
	}
	if why := importers.ZipRefusal(f); !why.IsZero() {
		z.problem(loc, why)
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		z.problem(loc, reasonMemberOpen.M("Err", err))
		return nil
	}
	defer rc.Close()
	z.budget -= min(z.budget, f.UncompressedSize64)
	cr := &countingReader{r: rc, z: z}
	br := bufio.NewReaderSize(cr, HeadSize)
	head, err := br.Peek(HeadSize)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		z.problem(loc, reasonMemberRead.M("Err", err))
		return nil
	}
	var claims []importers.Format // formats whose Sniff claims the member, in detection order
	for _, c := range Formats() {
		if c.Sniff != nil && c.Sniff(head, path.Base(f.Name)) {
			claims = append(claims, c)
		}
	}
	if len(claims) == 0 {
		z.problem(loc, reasonMemberFormat.M())
		return nil
	}
	format := claims[0]
	switch {
	case format.ID == "zip":
		return z.nested(br, f, loc, depth)
	case format.Read == nil:
		// Formats that need a file; without it, a Probe cannot tell which one this is.
		var names []importers.Msg
		for _, c := range claims {
			if c.Read == nil && c.ID != "zip" {
				names = append(names, importers.FormatName(c))
			}
		}
		z.problem(loc, reasonMemberFile.M("Formats", orList(names)))
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
		z.problem(loc, reasonStopped.M("Format", importers.FormatName(format), "Err", err))
	}
	return nil
}

// nested imports a ZIP inside a ZIP, read into memory since archive/zip needs random access.
func (z *zipImport) nested(r io.Reader, f *zip.File, loc string, depth int) error {
	if depth >= limits.maxDepth {
		z.problem(loc, reasonTooDeep.M("Max", limits.maxDepth))
		return nil
	}
	if f.UncompressedSize64 > limits.maxNested {
		z.problem(loc, reasonNestedLarge.M("N", f.UncompressedSize64, "Max", limits.maxNested))
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(limits.maxNested)+1))
	if err != nil {
		z.problem(loc, reasonNestedRead.M("Err", err))
		return nil
	}
	err = z.archive(bytes.NewReader(data), int64(len(data)), loc+":", depth+1)
	var pe *importers.ParseError
	if errors.As(err, &pe) {
		z.problem(loc, importers.ErrMsg(err))
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
