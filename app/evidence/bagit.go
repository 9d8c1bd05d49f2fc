package evidence

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// File names of the bag's tag files.
const (
	fileBagit        = "bagit.txt"
	fileBagInfo      = "bag-info.txt"
	fileManifest256  = "manifest-sha256.txt"
	fileManifest512  = "manifest-sha512.txt"
	fileTagMan256    = "tagmanifest-sha256.txt"
	fileTagMan512    = "tagmanifest-sha512.txt"
	fileSig          = "tagmanifest-sha256.txt.sig"
	fileTSQ          = "tagmanifest-sha256.txt.tsq"
	fileTSR          = "tagmanifest-sha256.txt.tsr"
	fileAllowed      = "allowed_signers"
	fileEvidenceList = "data/evidence-sha256.txt"
	fileCustody      = "data/custody.jsonl"

	bagitText = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
)

// algorithms are the manifest algorithms this package writes and checks, in order.
var algorithms = []string{"sha256", "sha512"}

func newHash(alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// ManifestEntry is one line of a BagIt manifest: a hex digest and a bag-relative path (decoded).
type ManifestEntry struct {
	Sum  string
	Path string
	Line int
}

// errManifest is wrapped by every manifest syntax error.
var errManifest = errors.New("bad manifest line")

// encodePath percent-encodes a path for a manifest line as RFC 8493 section 2.1.3 requires.
func encodePath(p string) string {
	if !strings.ContainsAny(p, "%\r\n") {
		return p
	}
	r := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	return r.Replace(p)
}

// decodePath reverses encodePath. Only %25, %0A and %0D (any case) are decoded; any other "%"
// stays as it is, as bagit-python does.
func decodePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			switch strings.ToUpper(p[i+1 : i+3]) {
			case "25":
				b.WriteByte('%')
				i += 2
				continue
			case "0A":
				b.WriteByte('\n')
				i += 2
				continue
			case "0D":
				b.WriteByte('\r')
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// ParseManifest reads a BagIt manifest ("<hex> <whitespace> <path>" per line). It checks syntax
// only: hex digits, a path that stays inside the bag. Errors name the line.
func ParseManifest(r io.Reader) ([]ManifestEntry, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	var out []ManifestEntry
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			continue
		}
		i := strings.IndexAny(line, " \t")
		if i <= 0 {
			return out, fmt.Errorf("line %d: %w: no path", n, errManifest)
		}
		sum := line[:i]
		rest := strings.TrimLeft(line[i:], " \t")
		if _, err := hex.DecodeString(sum); err != nil || len(sum)%2 != 0 {
			return out, fmt.Errorf("line %d: %w: checksum %q is not hexadecimal", n, errManifest, clip(sum, 40))
		}
		if rest == "" {
			return out, fmt.Errorf("line %d: %w: no path", n, errManifest)
		}
		p := decodePath(rest)
		if err := checkRelPath(p); err != nil {
			return out, fmt.Errorf("line %d: %w: %v", n, errManifest, err)
		}
		out = append(out, ManifestEntry{Sum: strings.ToLower(sum), Path: p, Line: n})
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("line %d: %w", n+1, err)
	}
	return out, nil
}

// checkRelPath refuses paths that leave the bag or are not in clean slash form.
func checkRelPath(p string) error {
	switch {
	case p == "" || strings.HasPrefix(p, "/") || filepath.IsAbs(p) || strings.Contains(p, "\x00"):
		return fmt.Errorf("path %q is not relative", clip(p, 80))
	case path.Clean(p) != p || p == "." || p == ".." || strings.HasPrefix(p, "../"):
		return fmt.Errorf("path %q is not a clean path inside the bag", clip(p, 80))
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// fileSum is one written file with its digests.
type fileSum struct {
	path string // bag-relative, slash separated
	size int64
	sums map[string]string // algorithm -> hex
}

// bagWriter writes files into a bag folder and remembers their digests.
type bagWriter struct {
	root    string
	payload []fileSum
	tags    []fileSum
}

// hashWriter writes to a file and hashes what it writes.
type hashWriter struct {
	f    *os.File
	bw   *bufio.Writer
	hs   map[string]hash.Hash
	n    int64
	rel  string
	bag  *bagWriter
	done bool
}

func (h *hashWriter) Write(p []byte) (int, error) {
	for _, x := range h.hs {
		x.Write(p)
	}
	h.n += int64(len(p))
	return h.bw.Write(p)
}

// Close flushes, syncs and records the file's digests in the bag.
func (h *hashWriter) Close() error {
	if h.done {
		return nil
	}
	h.done = true
	err := h.bw.Flush()
	if err == nil {
		err = h.f.Sync()
	}
	if cerr := h.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", h.rel, err)
	}
	fs := fileSum{path: h.rel, size: h.n, sums: map[string]string{}}
	for alg, x := range h.hs {
		fs.sums[alg] = hex.EncodeToString(x.Sum(nil))
	}
	if strings.HasPrefix(h.rel, "data/") {
		h.bag.payload = append(h.bag.payload, fs)
	} else {
		h.bag.tags = append(h.bag.tags, fs)
	}
	return nil
}

// create opens rel (slash separated, relative to the bag root) for writing.
func (w *bagWriter) create(rel string) (*hashWriter, error) {
	if err := checkRelPath(rel); err != nil {
		return nil, err
	}
	full := filepath.Join(w.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(full, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	hs := map[string]hash.Hash{}
	for _, a := range algorithms {
		hs[a] = newHash(a)
	}
	return &hashWriter{f: f, bw: bufio.NewWriterSize(f, 256*1024), hs: hs, rel: rel, bag: w}, nil
}

// writeFile writes data to rel in one go.
func (w *bagWriter) writeFile(rel string, data []byte) error {
	h, err := w.create(rel)
	if err != nil {
		return err
	}
	if _, err := h.Write(data); err != nil {
		h.f.Close()
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return h.Close()
}

// oxum returns the Payload-Oxum of the payload written so far.
func (w *bagWriter) oxum() string {
	var n int64
	for _, f := range w.payload {
		n += f.size
	}
	return fmt.Sprintf("%d.%d", n, len(w.payload))
}

// manifest renders a manifest of files for alg, sorted by path.
func manifest(files []fileSum, alg string) []byte {
	fs := append([]fileSum(nil), files...)
	sort.Slice(fs, func(i, j int) bool { return fs[i].path < fs[j].path })
	var b bytes.Buffer
	for _, f := range fs {
		b.WriteString(f.sums[alg])
		b.WriteString("  ")
		b.WriteString(encodePath(f.path))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// writeManifests writes manifest-<alg>.txt for the payload.
func (w *bagWriter) writeManifests() error {
	for _, a := range algorithms {
		if err := w.writeFile("manifest-"+a+".txt", manifest(w.payload, a)); err != nil {
			return err
		}
	}
	return nil
}

// writeTagManifests writes tagmanifest-<alg>.txt over every tag file written so far (the tag
// manifests, the signature and the time-stamp files are written after and are not listed).
func (w *bagWriter) writeTagManifests() error {
	tags := append([]fileSum(nil), w.tags...)
	for _, a := range algorithms {
		if err := w.writeFile("tagmanifest-"+a+".txt", manifest(tags, a)); err != nil {
			return err
		}
	}
	return nil
}

// BagInfo is bag-info.txt as ordered label/value pairs.
type BagInfo []BagInfoField

// BagInfoField is one "Label: value" of bag-info.txt.
type BagInfoField struct{ Label, Value string }

// Get returns the first value for label (case-insensitive) and whether it was present.
func (bi BagInfo) Get(label string) (string, bool) {
	for _, f := range bi {
		if strings.EqualFold(f.Label, label) {
			return f.Value, true
		}
	}
	return "", false
}

// Bytes renders bag-info.txt. Line breaks in values become spaces; a long value is folded at
// spaces onto continuation lines indented by two spaces, so that lines stay within the 79
// characters RFC 8493 section 2.2.2 recommends (a single word longer than that, such as a
// hash, is never cut).
func (bi BagInfo) Bytes() []byte {
	const width = 79
	var b bytes.Buffer
	for _, f := range bi {
		words := strings.Fields(f.Value)
		if len(words) == 0 {
			continue
		}
		b.WriteString(f.Label)
		b.WriteString(":")
		n := utf8.RuneCountInString(f.Label) + 1
		for i, w := range words {
			wl := utf8.RuneCountInString(w)
			if i > 0 && n+1+wl > width {
				b.WriteString("\n ")
				n = 1
			}
			b.WriteByte(' ')
			b.WriteString(w)
			n += 1 + wl
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// parseBagInfo reads "Label: value" lines; lines starting with whitespace continue a value.
func parseBagInfo(data []byte) (BagInfo, error) {
	var bi BagInfo
	for n, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(bi) == 0 {
				return bi, fmt.Errorf("line %d: continuation without a label", n+1)
			}
			bi[len(bi)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		i := strings.Index(line, ":")
		if i <= 0 {
			return bi, fmt.Errorf("line %d: no \"Label: value\"", n+1)
		}
		bi = append(bi, BagInfoField{strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])})
	}
	return bi, nil
}

// parseOxum parses "<octets>.<streams>".
func parseOxum(s string) (octets, streams int64, err error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok {
		return 0, 0, fmt.Errorf("Payload-Oxum %q is not <octets>.<streams>", s)
	}
	if octets, err = strconv.ParseInt(a, 10, 64); err != nil {
		return 0, 0, fmt.Errorf("Payload-Oxum %q: %w", s, err)
	}
	if streams, err = strconv.ParseInt(b, 10, 64); err != nil {
		return 0, 0, fmt.Errorf("Payload-Oxum %q: %w", s, err)
	}
	return octets, streams, nil
}

// hashFile returns the hex digests of the file at p for each algorithm, and its size.
func hashFile(p string, algs []string) (map[string]string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	hs := make([]hash.Hash, len(algs))
	ws := make([]io.Writer, len(algs))
	for i, a := range algs {
		hs[i] = newHash(a)
		ws[i] = hs[i]
	}
	n, err := io.Copy(io.MultiWriter(ws...), f)
	if err != nil {
		return nil, 0, err
	}
	out := map[string]string{}
	for i, a := range algs {
		out[a] = hex.EncodeToString(hs[i].Sum(nil))
	}
	return out, n, nil
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
