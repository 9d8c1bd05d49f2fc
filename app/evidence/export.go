package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
)

// Options control an export.
type Options struct {
	Langs  []string         // report languages, "fr" and/or "en"; empty means both
	Redact bool             // pseudonymised variant for press and NGOs (no originals)
	Zip    bool             // also write the bag as <name>.zip beside the folder and return its path
	Now    func() time.Time // clock (Bagging-Date, report dates, folder name); nil means time.Now
	Key    *Signer          // signs the tag manifest; nil means an unsigned bag
	Agent  string           // Bag-Software-Agent, e.g. "raidtrace/0.3"; empty means "raidtrace"
	// Cleanup, when set, is told what Export removed before it started writing: the partial
	// bundles that earlier exports into the same folder left when they were killed. It is called
	// only when there was something to remove.
	Cleanup func(Cleanup)
}

func (o Options) withDefaults() Options {
	if len(o.Langs) == 0 {
		o.Langs = []string{"fr", "en"}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Agent == "" {
		o.Agent = "raidtrace"
	}
	return o
}

// Bundle describes a written bag.
type Bundle struct {
	Name           string // folder name
	TagManifest256 string // SHA-256 of tagmanifest-sha256.txt (what is signed and time-stamped)
	RootHash       string // SHA-256 of data/evidence-sha256.txt (printed on the report cover)
	PayloadOxum    string
	CustodyHead    string // hash of the last custody entry copied into the bag
}

// Export writes c's evidence bundle into a new folder inside dir and returns its path (the zip's
// path when opt.Zip). The bag is built in dir/.partial-… and renamed when complete, so a bag
// under its final name is always whole. While it is built its partial folder and zip are
// flock-ed; before it starts, the partial bundles that earlier exports into dir left when they
// were killed (no lock held on them) are removed and reported to opt.Cleanup. After the rename an "export" entry (bag name, tag
// manifest SHA-256, root hash, Payload-Oxum) is appended to the case's custody log; the bag's
// own data/custody.jsonl holds the log up to just before that entry. If that entry cannot be
// logged, the bag is removed and the error returned. progress may be nil.
func Export(ctx context.Context, c *casefile.Case, dir string, opt Options, progress func(stage string, frac float64)) (string, error) {
	opt = opt.withDefaults()
	if progress == nil {
		progress = func(string, float64) {}
	}
	now := opt.Now().UTC()
	progress("read", 0)
	m, err := BuildModel(ctx, c, BuildOptions{Now: now, Agent: opt.Agent, Redact: opt.Redact, Signer: opt.Key, late: true})
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	name := bagName(m.Info.ID, now, opt.Redact)
	final := filepath.Join(dir, name)
	for i := 2; exists(final) || exists(final+".zip"); i++ {
		final = filepath.Join(dir, fmt.Sprintf("%s-%d", name, i))
	}
	name = filepath.Base(final)
	parts, cleaned, err := startPartials(ctx, dir, name, opt.Zip)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	defer parts.release() // after the removals below (deferred calls run last first)
	tmp := parts.dir
	defer os.RemoveAll(tmp) // no-op after the rename
	if parts.zip != nil {
		defer os.Remove(parts.zip.Name()) // no-op after the rename
	}
	if opt.Cleanup != nil && (cleaned.Removed > 0 || len(cleaned.Failed) > 0) {
		opt.Cleanup(cleaned)
	}
	m.once = true
	b, err := writeBag(ctx, m, c.Original, tmp, opt, progress)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	b.Name = name
	if err := syncDir(tmp); err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	out := final
	if opt.Zip {
		progress("zip", 0)
		out = final + ".zip"
		if err := zipBag(ctx, tmp, name, parts.zip, out, now); err != nil {
			return "", fmt.Errorf("export: %w", err)
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		if opt.Zip {
			os.Remove(out) // no zip without its folder
		}
		return "", fmt.Errorf("export: %w", err)
	}
	details := map[string]any{"bag": name, "tagmanifest_sha256": b.TagManifest256, "root_hash": b.RootHash,
		"payload_oxum": b.PayloadOxum, "custody_head": b.CustodyHead, "redacted": opt.Redact,
		"langs": strings.Join(opt.Langs, ",")}
	if opt.Key != nil {
		details["signer"] = opt.Key.Fingerprint()
	}
	if opt.Zip {
		details["zip"] = filepath.Base(out)
	}
	if _, err := c.Log(ctx, "export", details); err != nil {
		os.RemoveAll(final)
		if opt.Zip {
			os.Remove(out)
		}
		return "", fmt.Errorf("export: log custody entry: %w", err)
	}
	progress("done", 1)
	return out, nil
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// partialPrefix starts the name of every bundle being built, folder or zip, in its destination
// folder (".partial-raidtrace-…"): hidden, and renamed when complete.
const partialPrefix = ".partial-raidtrace-"

// errBusy says a partial bundle is locked by an export that is still running.
var errBusy = errors.New("in use by a running export")

// Cleanup is what an export removed from its destination folder before it started: the partial
// bundles (folders and zips named .partial-raidtrace-…) of earlier exports that were killed
// before they finished (SIGKILL, a crash, power loss). A partial bundle is removed only when no
// running export holds its lock.
type Cleanup struct {
	Removed int     // stale partial bundles removed
	Bytes   int64   // their size
	Failed  []error // stale partial bundles that could not be removed, each error naming its path
}

func (c Cleanup) String() string {
	s := fmt.Sprintf("removed %d stale partial bundle(s) (%s) left in the output folder by interrupted exports", c.Removed, byteSize(c.Bytes))
	for _, err := range c.Failed {
		s += "; " + err.Error()
	}
	return s
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// partials are an export's temporaries: the partial folder dir, the partial zip (nil without
// --zip), and the descriptors whose flocks say they are in use until release.
type partials struct {
	dir   string
	zip   *os.File
	locks []*os.File
}

func (p *partials) release() {
	for _, f := range p.locks {
		f.Close()
	}
	if p.zip != nil {
		p.zip.Close()
	}
}

// startPartials removes the stale partial bundles of dir and creates this export's partial
// folder (and zip, when zip), each locked for as long as the export runs. Both happen under a
// lock on dir itself, so that no other export's sweep comes between the creation of a temporary
// and its lock. Where flock is not available nothing is removed.
func startPartials(ctx context.Context, dir, name string, zip bool) (*partials, Cleanup, error) {
	var cleaned Cleanup
	dl, err := flockPath(ctx, dir, true)
	switch {
	case err == nil:
		defer dl.Close()
		cleaned = removeStale(ctx, dir)
	case ctx.Err() != nil:
		return nil, cleaned, ctx.Err()
	}
	p := &partials{}
	if p.dir, err = os.MkdirTemp(dir, ".partial-"+name+"-"); err != nil {
		return nil, cleaned, err
	}
	if l, err := flockPath(ctx, p.dir, false); err == nil {
		p.locks = append(p.locks, l)
	}
	if zip {
		f, err := os.CreateTemp(dir, ".partial-"+name+".zip-*")
		if err != nil {
			p.release()
			os.RemoveAll(p.dir)
			return nil, cleaned, err
		}
		flockFile(f) // where it fails, so does every sweep's
		p.zip = f
	}
	return p, cleaned, nil
}

// removeStale removes the partial bundles in dir that no running export holds locked.
func removeStale(ctx context.Context, dir string) Cleanup {
	var c Cleanup
	ents, err := os.ReadDir(dir)
	if err != nil || !canLockPartials {
		return c
	}
	for _, e := range ents {
		if ctx.Err() != nil {
			break
		}
		if !strings.HasPrefix(e.Name(), partialPrefix) || !(e.IsDir() || e.Type().IsRegular()) {
			continue
		}
		p := filepath.Join(dir, e.Name())
		l, err := flockPath(ctx, p, false)
		if err != nil {
			continue // in use (errBusy), or it cannot be told (not ours, no flock there): left alone
		}
		n := treeSize(p)
		err = os.RemoveAll(p)
		l.Close()
		if err != nil {
			c.Failed = append(c.Failed, fmt.Errorf("stale partial bundle %s: %w", p, err))
			continue
		}
		c.Removed++
		c.Bytes += n
	}
	return c
}

func treeSize(p string) int64 {
	var n int64
	filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func syncDir(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return nil // some file systems cannot sync folders; the files themselves were synced
	}
	return nil
}

// bagName is raidtrace-<first 8 of the case id>-<UTC stamp>[-redacted].
func bagName(caseID string, now time.Time, redact bool) string {
	id := safeName(caseID)
	if len(id) > 8 {
		id = id[:8]
	}
	if id == "" {
		id = "case"
	}
	n := "raidtrace-" + id + "-" + now.UTC().Format("20060102T150405Z")
	if redact {
		n += "-redacted"
	}
	return n
}

// safeName keeps a file name readable and portable: control characters, path separators,
// characters Windows refuses and "%" (which manifests would percent-encode, breaking
// `sha256sum -c`) become "_"; it is cut to 100 bytes.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>|%`, r) || r == unicode.ReplacementChar:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.Trim(b.String(), " .")
	for len(out) > 100 {
		_, size := lastRune(out)
		out = out[:len(out)-size]
	}
	return out
}

func lastRune(s string) (rune, int) {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return []rune(s[i:])[0], len(s) - i
		}
	}
	return 0, 1
}

// originalOpener opens a source's stored bytes (Case.Original).
type originalOpener func(ctx context.Context, sourceID int64) (io.ReadCloser, error)

// writeBag writes the whole bag for m into the empty folder root.
func writeBag(ctx context.Context, m *Model, open originalOpener, root string, opt Options, progress func(string, float64)) (*Bundle, error) {
	opt = opt.withDefaults()
	now := opt.Now().UTC()
	w := &bagWriter{root: root}
	m.scratch = root // temporaries, removed before the manifests are written
	defer func() {
		m.rsmfEvents.discard() // when WriteRSMF did not get to it
		m.rsmfEvents = nil
	}()
	if opt.Key != nil {
		m.Fingerprint = opt.Key.Fingerprint()
	}

	// originals, byte for byte (not in the redacted variant: they would undo the pseudonyms)
	if !m.Redacted && open != nil {
		for i, s := range m.Sources {
			progress("originals", float64(i)/float64(max(len(m.Sources), 1)))
			if err := copyOriginal(ctx, w, open, s); err != nil {
				return nil, err
			}
		}
	}
	type gen struct {
		path string
		fn   func(io.Writer) error
	}
	params := func(wr io.Writer) error {
		var p any = nil
		if m.Analysis != nil && m.Analysis.Result != nil {
			p = m.Analysis.Result.Params
		}
		return writeJSON(wr, p)
	}
	result := func(wr io.Writer) error {
		if m.fullAnalysis == nil {
			return writeResultJSON(wr, m.Analysis, nil)
		}
		a, clusters, err := m.fullAnalysis()
		if err != nil {
			return err
		}
		return writeResultJSON(wr, a, clusters)
	}
	// the tables that need only the model come before the pass over the full messages, so that
	// what only they need (the per-sender rows, the analysis' per-message lists) is let go of
	// before that pass and the reports, the peak of an export's memory
	before := []gen{
		{"data/clusters.csv", m.WriteClustersCSV},
		{"data/senders.csv", m.WriteSendersCSV},
		{"data/sources.csv", m.WriteSourcesCSV},
		{"data/analysis/parameters.json", params},
		{"data/analysis/timeline.csv", m.WriteTimelineCSV},
		{"data/analysis/timeline-raids.csv", m.WriteRaidTimelineCSV},
		{"data/analysis/key-figures.csv", m.WriteKeyFiguresCSV},
		{"data/analysis/raid-windows.csv", m.WriteRaidWindowsCSV},
		{"data/analysis/joined.csv", m.WriteJoinedCSV},
		{fileCustody, m.WriteCustodyJSONL},
	}
	// these need what the pass gathers (the attachments' counts, the RSMF head and events)
	after := []gen{
		{"data/analysis/method.txt", m.WriteMethod},
		{"data/rsmf/raidtrace.rsmf", m.WriteRSMF},
		{"data/README.txt", m.WriteReadme},
	}
	progress("tables", 0)
	// result.json first, while the full analysis it reads is all the export holds: Export's
	// model reads the messages only then
	if err := writeGen(w, "data/analysis/result.json", result); err != nil {
		return nil, err
	}
	if m.load != nil { // the messages, which the rest needs, were left for now
		if err := m.load(); err != nil {
			return nil, err
		}
	}
	total := float64(len(before) + len(after) + 1)
	writeGens := func(gens []gen, done int) error {
		for i, g := range gens {
			if err := ctx.Err(); err != nil {
				return err
			}
			progress("tables", float64(done+i)/total)
			if err := writeGen(w, g.path, g.fn); err != nil {
				return err
			}
		}
		return nil
	}
	if err := writeGens(before, 0); err != nil {
		return nil, err
	}
	if m.once {
		m.releaseTables()
	}
	if err := m.writeMessageFiles(w); err != nil {
		return nil, err
	}
	// attachments, named by their hash (not in the redacted variant: pictures identify people)
	if !m.Redacted && open != nil {
		if err := m.writeAttachments(ctx, w, open); err != nil {
			return nil, err
		}
	}
	m.att.finish()
	if err := writeGens(after, len(before)+1); err != nil {
		return nil, err
	}

	// the evidence list: every payload file so far, relative to data/, in sha256sum format
	var list bytes.Buffer
	ps := append([]fileSum(nil), w.payload...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].path < ps[j].path })
	for _, f := range ps {
		fmt.Fprintf(&list, "%s  %s\n", f.sums["sha256"], encodePath(strings.TrimPrefix(f.path, "data/")))
	}
	if err := w.writeFile(fileEvidenceList, list.Bytes()); err != nil {
		return nil, err
	}
	m.RootHash = sha256Hex(list.Bytes())

	// reports: the HTML ones, then the PDFs, whose contents are made for every language first:
	// Export's model then lets go of its messages, which only those contents need, before fpdf
	// holds a whole document's pages (the peak of an export's memory)
	trs := make([]*tr, len(opt.Langs))
	for i, lang := range opt.Langs {
		progress("report", float64(i)/float64(2*len(opt.Langs)))
		t, err := loadStrings(lang)
		if err != nil {
			return nil, err
		}
		trs[i] = t
		if err := writeGen(w, "data/report/report."+lang+".html", func(wr io.Writer) error { return m.WriteHTML(wr, trs[i]) }); err != nil {
			return nil, err
		}
	}
	docs := make([][]block, len(opt.Langs))
	for i := range opt.Langs {
		docs[i] = m.pdfBlocks(trs[i])
	}
	if m.once {
		m.releaseMessages()
	}
	for i, lang := range opt.Langs {
		progress("report", float64(len(opt.Langs)+i)/float64(2*len(opt.Langs)))
		if err := writeGen(w, "data/report/report."+lang+".pdf", func(wr io.Writer) error { return m.renderPDF(wr, trs[i], docs[i]) }); err != nil {
			return nil, err
		}
		docs[i] = nil
	}

	// tag files
	progress("manifests", 0)
	if err := w.writeManifests(); err != nil {
		return nil, err
	}
	b := &Bundle{RootHash: m.RootHash, PayloadOxum: w.oxum()}
	if n := len(m.Custody); n > 0 {
		b.CustodyHead = m.Custody[n-1].Hash
	}
	if err := w.writeFile(fileBagit, []byte(bagitText)); err != nil {
		return nil, err
	}
	if err := w.writeFile(fileBagInfo, m.bagInfo(now, w.oxum(), b.CustodyHead).Bytes()); err != nil {
		return nil, err
	}
	var readme bytes.Buffer
	if err := m.WriteReadme(&readme); err != nil {
		return nil, err
	}
	if err := w.writeFile("README.txt", readme.Bytes()); err != nil {
		return nil, err
	}
	if opt.Key != nil {
		if err := w.writeFile(fileAllowed, opt.Key.AllowedSigners()); err != nil {
			return nil, err
		}
	}
	if err := w.writeTagManifests(); err != nil {
		return nil, err
	}
	tm, err := os.ReadFile(filepath.Join(root, fileTagMan256))
	if err != nil {
		return nil, err
	}
	b.TagManifest256 = sha256Hex(tm)
	if opt.Key != nil {
		sig, err := opt.Key.Sign(tm)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(root, fileSig), sig, 0o644); err != nil {
			return nil, err
		}
	}
	tsq, err := TimeStampRequest(tm)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(root, fileTSQ), tsq, 0o644); err != nil {
		return nil, err
	}
	progress("manifests", 1)
	return b, nil
}

func writeGen(w *bagWriter, p string, fn func(io.Writer) error) error {
	h, err := w.create(p)
	if err != nil {
		return err
	}
	if err := fn(h); err != nil {
		h.f.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	return h.Close()
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// originalName is the payload path of a source: data/originals/<sha256 prefix>-<base name>.
func originalName(s casefile.Source) string {
	n := safeName(filepath.Base(s.Name))
	if n == "" || n == "." {
		n = "source"
	}
	h := s.SHA256
	if len(h) > 12 {
		h = h[:12]
	}
	return "data/originals/" + h + "-" + n
}

func copyOriginal(ctx context.Context, w *bagWriter, open originalOpener, s casefile.Source) error {
	rc, err := open(ctx, s.ID)
	if err != nil {
		return fmt.Errorf("original of source %d (%s): %w", s.ID, s.Name, err)
	}
	defer rc.Close()
	p := originalName(s)
	for i := 2; w.has(p); i++ {
		p = fmt.Sprintf("%s-%d", originalName(s), i)
	}
	h, err := w.create(p)
	if err != nil {
		return err
	}
	sum := sha256.New()
	if _, err := io.Copy(io.MultiWriter(h, sum), ctxReader{ctx, rc}); err != nil {
		h.f.Close()
		return fmt.Errorf("copy original %s: %w", s.Name, err)
	}
	if err := h.Close(); err != nil {
		return err
	}
	if got := hex.EncodeToString(sum.Sum(nil)); s.SHA256 != "" && got != s.SHA256 {
		return fmt.Errorf("original %s: stored bytes hash to %s, the import recorded %s", s.Name, got, s.SHA256)
	}
	return nil
}

func (w *bagWriter) has(p string) bool {
	for _, f := range w.payload {
		if f.path == p {
			return true
		}
	}
	return false
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// bagInfo is the bag-info.txt of the bundle.
func (m *Model) bagInfo(now time.Time, oxum, head string) BagInfo {
	desc := fmt.Sprintf("Raidtrace evidence bundle for case %s: %d messages, %d senders, %d clusters.", m.Info.ID,
		m.Figures.Messages, m.Figures.Senders, m.Figures.Raids)
	if m.Redacted {
		desc += " Pseudonymised variant: senders replaced by pseudonyms, record hashes by keyed hashes, originals not included."
	}
	caseName := m.Info.Name
	if m.Redacted {
		caseName = "" // left out, as on the report's cover: it may name the victim
	}
	fp := m.Fingerprint
	if fp == "" {
		fp = "none"
	}
	bi := BagInfo{
		{"Source-Organization", m.Info.Org},
	}
	if strings.Contains(m.Info.Contact, "@") {
		bi = append(bi, BagInfoField{"Contact-Email", m.Info.Contact})
	} else if m.Info.Contact != "" {
		bi = append(bi, BagInfoField{"Contact-Phone", m.Info.Contact})
	}
	bi = append(bi,
		BagInfoField{"Contact-Name", m.Info.Examiner},
		BagInfoField{"External-Description", desc},
		BagInfoField{"External-Identifier", m.Info.ID},
		BagInfoField{"Bagging-Date", now.Format("2006-01-02")},
		BagInfoField{"Payload-Oxum", oxum},
		BagInfoField{"Bag-Software-Agent", m.Agent},
		BagInfoField{"Raidtrace-Case-Id", m.Info.ID},
		BagInfoField{"Raidtrace-Case-Name", caseName},
		BagInfoField{"Raidtrace-Export-Time", fmtTime(now)},
		BagInfoField{"Raidtrace-Custody-Head", head},
		BagInfoField{"Raidtrace-Root-Hash", m.RootHash},
		BagInfoField{"Raidtrace-Signer-Fingerprint", fp},
		BagInfoField{"Raidtrace-Redacted", fmt.Sprint(m.Redacted)},
	)
	return bi
}

// clusterStream gives an analysis' clusters one at a time, in order, and reports whether its
// list is null (see [casefile.Case.AnalysisClusters]).
type clusterStream func(fn func(*analysis.Cluster) error) (null bool, err error)

// exhibitID is a message's id written as its exhibit id.
type exhibitID int64

func (id exhibitID) MarshalText() ([]byte, error) { return []byte(exhibitOf(int64(id))), nil }

// writeResultJSON writes data/analysis/result.json: the analysis with the exhibit id of each
// input message, as writeJSON would, but field by field and element by element (clusters, flags,
// message ids…) so that the whole indented text is never held in memory. With clusters, a's
// result has none (nil) and the list written is the one clusters gives, a cluster at a time.
func writeResultJSON(w io.Writer, a *casefile.Analysis, clusters clusterStream) error {
	if a == nil {
		return writeJSON(w, nil)
	}
	ex := make([]exhibitID, len(a.MessageIDs))
	for i, id := range a.MessageIDs {
		ex[i] = exhibitID(id)
	}
	type withExhibits struct {
		*casefile.Analysis
		ExhibitIDs []exhibitID `json:"exhibit_ids"`
	}
	if clusters == nil || a.Result == nil {
		return writeJSONStreamed(w, withExhibits{a, ex})
	}
	if a.Result.Clusters != nil {
		return fmt.Errorf("write result: clusters both held and streamed")
	}
	list := jsonList{owner: reflect.TypeFor[analysis.Result](), name: "clusters",
		each: func(fn func(any) error) (bool, error) {
			return clusters(func(c *analysis.Cluster) error { return fn(c) })
		}}
	return writeJSONStreamed(w, withExhibits{a, ex}, list)
}

// releaseTables lets go of what only the data tables need (the per-sender rows, the analysis'
// per-message lists) before the pass over the full messages and the reports, the peak of an
// export's memory. The model cannot write those tables again afterwards.
func (m *Model) releaseTables() {
	if a := m.Analysis; a != nil {
		slim := &casefile.Analysis{Run: a.Run, At: a.At}
		if a.Result != nil {
			slim.Result = &analysis.Result{Params: a.Result.Params, Messages: a.Result.Messages, Analysed: a.Result.Analysed,
				Distinct: a.Result.Distinct, Clustered: a.Result.Clustered}
		}
		m.Analysis = slim
	}
}

// releaseMessages lets go of the messages and what is derived from them message by message,
// once the last of the bag's files that read them is made (the PDFs' contents): the model keeps
// its figures, timelines, custody log and each raid's variants.
func (m *Model) releaseMessages() {
	m.msgs, m.byID, m.parties, m.partyKeys, m.Messages, m.Suggestions, m.sugg = nil, nil, nil, nil, nil, nil, nil
	for i := range m.Raids {
		m.Raids[i].Joined, m.Raids[i].members = nil, nil
	}
}

// writeMessageFiles writes data/messages.csv and data/messages.jsonl in one pass over the
// messages, gathering the RSMF participants, conversations and (compressed) events on the way.
func (m *Model) writeMessageFiles(w *bagWriter) error {
	const csvPath, jsonlPath = "data/messages.csv", "data/messages.jsonl"
	ch, err := w.create(csvPath)
	if err != nil {
		return err
	}
	jh, err := w.create(jsonlPath)
	if err != nil {
		ch.f.Close()
		return err
	}
	t, err := m.newMessageTables(ch, jh)
	if err == nil {
		head := newRSMFHead(m)
		var events *rsmfEvents
		if events, err = newRSMFEvents(m.scratch); err == nil {
			m.att = attachmentCount{}
			t.also = func(msg *casefile.Message, l *msgLite) error {
				head.add(msg, l)
				m.att.add(msg)
				return events.add(events.fw, msg, l)
			}
			if err = m.eachFull(t.add); err == nil {
				err = events.finish()
			}
			if err == nil {
				m.rsmfPre, m.rsmfEvents = head, events
			} else {
				events.discard()
			}
		}
	}
	if err == nil {
		err = t.flushCSV()
	}
	if err != nil {
		ch.f.Close()
		jh.f.Close()
		return fmt.Errorf("write %s: %w", csvPath, err)
	}
	if err := ch.Close(); err != nil {
		jh.f.Close()
		return err
	}
	if err := t.flushJSONL(); err != nil {
		jh.f.Close()
		return fmt.Errorf("write %s: %w", jsonlPath, err)
	}
	return jh.Close()
}
