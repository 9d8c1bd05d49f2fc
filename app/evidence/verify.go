package evidence

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hiddeco/sshsig"

	"raidtrace/app/casefile"
)

// Kind classifies a verification problem.
type Kind string

// Problem kinds.
const (
	Missing   Kind = "missing"   // a file listed in a manifest is not in the bag
	Extra     Kind = "extra"     // a file is in the bag but in no manifest
	Changed   Kind = "changed"   // a file's digest differs from its manifest line
	Oxum      Kind = "oxum"      // Payload-Oxum differs from the payload
	Signature Kind = "signature" // the signature is missing, malformed, does not match or is by an unexpected key
	Unsigned  Kind = "unsigned"  // the bag carries no signature at all (accepted only with [VerifyOptions.AllowUnsigned])
	Custody   Kind = "custody"   // the custody log's chain or head is broken
	BagIt     Kind = "bagit"     // the bag does not follow RFC 8493 (syntax, declarations)
)

// Problem is one thing wrong with a bag; Path is bag-relative (slash separated).
type Problem struct {
	Path   string `json:"path"`
	Kind   Kind   `json:"kind"`
	Detail string `json:"detail"`
}

func (p Problem) String() string { return fmt.Sprintf("%s: %s: %s", p.Path, p.Kind, p.Detail) }

// VerifyReport is the outcome of [Verify].
type VerifyReport struct {
	Bag         string `json:"bag"`
	Files       int    `json:"files"`       // payload files checked
	Bytes       int64  `json:"bytes"`       // payload bytes checked
	Signed      bool   `json:"signed"`      // a valid signature by an accepted key, the one bag-info.txt names
	Fingerprint string `json:"fingerprint"` // SHA256:… of the key whose signature verifies, accepted or not; "" when none does
	// SignerPinned says the signer was checked against [VerifyOptions.Signers], not only against
	// the allowed_signers that the bag itself carries (which whoever rebuilt the bag could replace).
	SignerPinned bool `json:"signer_pinned"`
	// UnsignedAllowed says the bag carries no signature and [VerifyOptions.AllowUnsigned] let it
	// pass: its manifests show only that nothing changed since they were computed, by anyone.
	UnsignedAllowed bool   `json:"unsigned_allowed,omitempty"`
	Stamped         bool   `json:"stamped"`      // a time-stamp response is present and answers the request
	CaseID          string `json:"case_id"`      // from bag-info.txt
	CustodyHead     string `json:"custody_head"` // last entry hash of data/custody.jsonl
	// CustodyMasked counts the custody entries of a pseudonymised bag whose details were masked:
	// their order and links are checked, their content hash cannot be.
	CustodyMasked int       `json:"custody_masked,omitempty"`
	RootHash      string    `json:"root_hash"` // SHA-256 of data/evidence-sha256.txt, as printed in the report
	Problems      []Problem `json:"problems"`
}

// OK reports whether the bag is intact.
func (r *VerifyReport) OK() bool { return len(r.Problems) == 0 }

func (r *VerifyReport) addf(path string, kind Kind, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Path: path, Kind: kind, Detail: fmt.Sprintf(format, args...)})
}

// VerifyOptions say which signatures [VerifyWith] accepts.
type VerifyOptions struct {
	// AllowUnsigned lets a bag that carries no signature (no .sig, and bag-info.txt names no
	// signer) pass, reported with [VerifyReport.UnsignedAllowed]. Without it such a bag fails
	// with an [Unsigned] problem: a forger who changes a file, deletes the signature and
	// recomputes the manifests would otherwise get a bag that verifies.
	AllowUnsigned bool
	// Signers are the fingerprints ("SHA256:…", as ssh-keygen -l prints them) of the keys
	// expected to have signed the bag ([ParseFingerprint], [ReadSigners]). When set, a signature
	// by any other key is a [Signature] problem naming both keys, and a signature is required
	// whatever AllowUnsigned says. When empty, any key in the bag's own allowed_signers is
	// accepted, and only the fingerprint in the report tells who signed.
	Signers []string
}

// Verify is [VerifyWith] with the zero [VerifyOptions]: a signature is required, by any key of
// the bag's allowed_signers.
func Verify(ctx context.Context, bag string) (*VerifyReport, error) {
	return VerifyWith(ctx, bag, VerifyOptions{})
}

// VerifyWith checks the bag in folder bag: BagIt declaration, both payload manifests and both tag
// manifests (missing, extra and changed files), Payload-Oxum, the signature against the bag's
// allowed_signers, the fingerprint in bag-info.txt and opt, the time-stamp request (and response
// when present), and the custody log's hash chain and head. It returns an error only when the
// bag cannot be read at all or opt is malformed; everything wrong with the bag is a [Problem] in
// the report.
func VerifyWith(ctx context.Context, bag string, opt VerifyOptions) (*VerifyReport, error) {
	pins := make([]string, 0, len(opt.Signers))
	for _, s := range opt.Signers {
		fp, err := ParseFingerprint(s)
		if err != nil {
			return nil, fmt.Errorf("verify: expected signer: %w", err)
		}
		pins = append(pins, fp)
	}
	opt.Signers = pins
	st, err := os.Stat(bag)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("verify: %s is not a folder (unzip a zipped bundle first)", bag)
	}
	r := &VerifyReport{Bag: bag}

	// bagit.txt
	if b, err := os.ReadFile(filepath.Join(bag, fileBagit)); err != nil {
		r.addf(fileBagit, Missing, "the BagIt declaration is missing: this is not a bag")
	} else if bi, err := parseBagInfo(b); err != nil {
		r.addf(fileBagit, BagIt, "%v", err)
	} else {
		if v, _ := bi.Get("BagIt-Version"); v != "1.0" && v != "0.97" {
			r.addf(fileBagit, BagIt, "BagIt-Version is %q, want 1.0", v)
		}
		if v, _ := bi.Get("Tag-File-Character-Encoding"); !strings.EqualFold(v, "UTF-8") {
			r.addf(fileBagit, BagIt, "Tag-File-Character-Encoding is %q, want UTF-8", v)
		}
	}
	var info BagInfo
	if b, err := os.ReadFile(filepath.Join(bag, fileBagInfo)); err == nil {
		if info, err = parseBagInfo(b); err != nil {
			r.addf(fileBagInfo, BagIt, "%v", err)
		}
		r.CaseID, _ = info.Get("Raidtrace-Case-Id")
	}

	// every file in the bag
	all := map[string]int64{}
	err = filepath.WalkDir(bag, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(bag, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			r.addf(rel, BagIt, "not a regular file (symbolic link or device): refused")
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		all[rel] = fi.Size()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}

	// payload manifests
	listed := map[string]bool{}
	payloadAlgs := checkManifests(ctx, r, bag, all, "manifest-", listed, true)
	if len(payloadAlgs) == 0 {
		r.addf(fileManifest256, Missing, "no payload manifest")
	}
	var files int
	var octets int64
	for p, n := range all {
		if strings.HasPrefix(p, "data/") {
			files++
			octets += n
			if !listed[p] {
				r.addf(p, Extra, "payload file in no manifest")
			}
		}
	}
	r.Files, r.Bytes = files, octets
	if v, ok := info.Get("Payload-Oxum"); ok {
		o, s, err := parseOxum(v)
		switch {
		case err != nil:
			r.addf(fileBagInfo, Oxum, "%v", err)
		case o != octets || s != int64(files):
			r.addf(fileBagInfo, Oxum, "Payload-Oxum says %d bytes in %d files, the payload has %d bytes in %d files", o, s, octets, files)
		}
	}

	// tag manifests
	tagListed := map[string]bool{}
	tagAlgs := checkManifests(ctx, r, bag, all, "tagmanifest-", tagListed, false)
	if len(tagAlgs) == 0 {
		r.addf(fileTagMan256, Missing, "no tag manifest")
	} else {
		// each payload manifest's algorithm has its tag manifest (RFC 8493 section 2.2.1); the
		// signed and time-stamped one must be there whenever a signature or request is
		for _, a := range payloadAlgs {
			p := "tagmanifest-" + a + ".txt"
			if _, ok := all[p]; ok {
				continue
			}
			_, sig := all[fileSig]
			_, tsq := all[fileTSQ]
			switch {
			case p == fileTagMan256 && (sig || tsq):
				r.addf(p, Missing, "the tag manifest that the signature and time-stamp request cover is missing")
			default:
				r.addf(p, Missing, "manifest-%s.txt has no tag manifest of the same algorithm", a)
			}
		}
	}
	known := map[string]bool{fileBagit: true, fileBagInfo: true, fileSig: true, fileTSQ: true, fileTSR: true}
	for p := range all {
		if strings.HasPrefix(p, "data/") || known[p] || tagListed[p] {
			continue
		}
		if isManifestName(p, "manifest-") || isManifestName(p, "tagmanifest-") {
			continue
		}
		r.addf(p, Extra, "tag file in no tag manifest")
	}
	for _, p := range []string{fileBagInfo, fileManifest256} {
		if _, ok := all[p]; ok && len(tagAlgs) > 0 && !tagListed[p] {
			r.addf(p, BagIt, "not covered by the tag manifests")
		}
	}

	// signature and time-stamp: both cover tagmanifest-sha256.txt, so when both disagree with
	// it, it is the manifest that changed; when one disagrees, that one did.
	tm, tmErr := os.ReadFile(filepath.Join(bag, fileTagMan256))
	if tmErr == nil {
		sigErr := verifySig(r, bag, info, tm, opt)
		want, _ := TimeStampRequest(tm)
		got, err := os.ReadFile(filepath.Join(bag, fileTSQ))
		tsqBad := err == nil && !bytes.Equal(got, want)
		switch {
		case err != nil:
			r.addf(fileTSQ, Missing, "the time-stamp request is missing")
		case tsqBad && sigErr != nil:
			r.addf(fileTagMan256, Changed, "matches neither its signature (%v) nor its time-stamp request", sigErr)
		case tsqBad && !r.Signed:
			r.addf(fileTSQ, Changed, "the time-stamp request is not the one over %s (one of the two was altered)", fileTagMan256)
		case tsqBad:
			r.addf(fileTSQ, Changed, "the time-stamp request is not the one over %s", fileTagMan256)
		case sigErr != nil:
			r.addf(fileSig, Signature, "%v", sigErr)
		}
		if tsr, err := os.ReadFile(filepath.Join(bag, fileTSR)); err == nil {
			if err := checkTimeStamp(tsr, tm); err != nil {
				r.addf(fileTSR, Changed, "%v", err)
			} else {
				r.Stamped = true
			}
		}
	}

	// root hash and custody
	if b, err := os.ReadFile(filepath.Join(bag, filepath.FromSlash(fileEvidenceList))); err == nil {
		r.RootHash = sha256Hex(b)
	}
	verifyCustody(r, bag, info)

	sort.SliceStable(r.Problems, func(i, j int) bool {
		if r.Problems[i].Path != r.Problems[j].Path {
			return r.Problems[i].Path < r.Problems[j].Path
		}
		return r.Problems[i].Kind < r.Problems[j].Kind
	})
	return r, nil
}

func isManifestName(p, prefix string) bool {
	if !strings.HasPrefix(p, prefix) || !strings.HasSuffix(p, ".txt") || strings.Contains(p, "/") {
		return false
	}
	return true
}

// checkManifests checks every <prefix><alg>.txt of the bag against the files present and
// returns the algorithms found. Payload manifests may list only data/ files, tag manifests only
// others.
func checkManifests(ctx context.Context, r *VerifyReport, bag string, all map[string]int64, prefix string, listed map[string]bool, payload bool) []string {
	var algs []string
	names := make([]string, 0, len(all))
	for p := range all {
		if isManifestName(p, prefix) {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	perAlg := map[string]map[string]bool{}
	type want struct {
		sum, alg, manifest string
	}
	wants := map[string][]want{}
	for _, name := range names {
		alg := strings.TrimSuffix(strings.TrimPrefix(name, prefix), ".txt")
		h := newHash(alg)
		if h == nil {
			r.addf(name, BagIt, "manifest algorithm %q is not supported (sha256, sha512)", alg)
			continue
		}
		algs = append(algs, alg)
		b, err := os.ReadFile(filepath.Join(bag, name))
		if err != nil {
			r.addf(name, BagIt, "%v", err)
			continue
		}
		entries, err := ParseManifest(bytes.NewReader(b))
		if err != nil {
			r.addf(name, BagIt, "%v", err)
		} else if d := canonicalDiff(b, canonicalManifest(entries)); d != "" {
			r.addf(name, BagIt, "malformed: %s", d)
		}
		seen := map[string]bool{}
		for _, e := range entries {
			if len(e.Sum) != h.Size()*2 {
				r.addf(name, BagIt, "line %d: %d hex digits for %s, want %d", e.Line, len(e.Sum), alg, h.Size()*2)
				continue
			}
			inData := strings.HasPrefix(e.Path, "data/")
			if payload != inData {
				r.addf(name, BagIt, "line %d: %s does not belong in this manifest", e.Line, e.Path)
				continue
			}
			if seen[e.Path] {
				r.addf(name, BagIt, "line %d: %s listed twice", e.Line, e.Path)
				continue
			}
			seen[e.Path] = true
			listed[e.Path] = true
			wants[e.Path] = append(wants[e.Path], want{e.Sum, alg, name})
		}
		perAlg[alg] = seen
	}
	paths := make([]string, 0, len(wants))
	for p := range wants {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if ctx.Err() != nil {
			return algs
		}
		ws := wants[p]
		if _, ok := all[p]; !ok {
			if len(ws) < len(perAlg) {
				// the other manifests do not list it either: the listing line is what changed
				for _, w := range ws {
					r.addf(w.manifest, Changed, "lists %q, which is neither in the bag nor in the other manifests", p)
				}
				continue
			}
			r.addf(p, Missing, "listed in %s but not in the bag", ws[0].manifest)
			continue
		}
		var as []string
		for _, w := range ws {
			as = append(as, w.alg)
		}
		sums, _, err := hashFile(filepath.Join(bag, filepath.FromSlash(p)), as)
		if err != nil {
			r.addf(p, Changed, "cannot read: %v", err)
			continue
		}
		var bad, good []want
		for _, w := range ws {
			if sums[w.alg] != w.sum {
				bad = append(bad, w)
			} else {
				good = append(good, w)
			}
		}
		switch {
		case len(bad) > 0 && len(good) > 0:
			// the file matches one manifest: it is the other manifest's line that changed
			for _, w := range bad {
				r.addf(w.manifest, Changed, "its line for %s does not match the file, which matches %s", p, good[0].manifest)
			}
		case len(bad) > 0:
			r.addf(p, Changed, "%s is %s, %s says %s", bad[0].alg, sums[bad[0].alg], bad[0].manifest, bad[0].sum)
		}
		for _, a := range algs {
			if perAlg[a] != nil && !perAlg[a][p] {
				r.addf(p, BagIt, "not in %s%s.txt", prefix, a)
			}
		}
	}
	return algs
}

// canonicalManifest is the one form in which this package writes a manifest of entries: one
// "<lower-case hex>  <encoded path>\n" line per file, sorted by path, nothing else.
func canonicalManifest(entries []ManifestEntry) []byte {
	es := append([]ManifestEntry(nil), entries...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Path < es[j].Path })
	var b bytes.Buffer
	for _, e := range es {
		b.WriteString(strings.ToLower(e.Sum))
		b.WriteString("  ")
		b.WriteString(encodePath(e.Path))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// canonicalDiff says where got departs from want, its canonical form ("" when it does not):
// the first line that differs, an extra or a missing byte at the end. A tag manifest that no
// signature covers (tagmanifest-sha512.txt) can only be checked this way: any byte added or
// removed that the parser would forgive (a blank line, a CR, a second space) is named.
func canonicalDiff(got, want []byte) string {
	if bytes.Equal(got, want) {
		return ""
	}
	const form = `sorted "<hex>  <path>" lines ending in LF, nothing else`
	gl, wl := bytes.SplitAfter(got, []byte("\n")), bytes.SplitAfter(want, []byte("\n"))
	for i := 0; i < len(gl) || i < len(wl); i++ {
		switch {
		case i >= len(wl) || len(wl[i]) == 0:
			return fmt.Sprintf("line %d: %q after the last entry; the canonical form is %s", i+1, clip(string(gl[i]), 80), form)
		case i >= len(gl) || len(gl[i]) == 0:
			return fmt.Sprintf("line %d: ends early, the canonical form has %q (%s)", i+1, clip(string(wl[i]), 80), form)
		case !bytes.Equal(gl[i], wl[i]):
			return fmt.Sprintf("line %d is %q, the canonical form has %q (%s)", i+1, clip(string(gl[i]), 100), clip(string(wl[i]), 100), form)
		}
	}
	return "differs from its canonical form (" + form + ")"
}

// verifySig checks the signature. Problems with allowed_signers, bag-info and opt are added to
// r; a signature that does not verify is returned, for Verify to attribute.
func verifySig(r *VerifyReport, bag string, info BagInfo, tm []byte, opt VerifyOptions) error {
	fp, claimed := info.Get("Raidtrace-Signer-Fingerprint")
	claimed = claimed && fp != "" && fp != "none"
	r.SignerPinned = len(opt.Signers) > 0
	expected := strings.Join(opt.Signers, " or ")
	sig, sigErr := os.ReadFile(filepath.Join(bag, fileSig))
	if sigErr != nil {
		_, shipped := os.Lstat(filepath.Join(bag, fileAllowed))
		switch {
		case claimed:
			r.addf(fileSig, Missing, "bag-info.txt names signer %s but the signature is missing", fp)
		case shipped == nil:
			r.addf(fileSig, Missing, "the bag ships allowed_signers, so it was signed, but the signature is missing")
		case r.SignerPinned:
			r.addf(fileSig, Unsigned, "not signed, and a signature by %s is expected", expected)
		case opt.AllowUnsigned:
			r.UnsignedAllowed = true
		default:
			r.addf(fileSig, Unsigned, "not signed: there is no signature and bag-info.txt names no signer, "+
				"so nothing shows who made the bag, and whoever changed a file could have recomputed its manifests")
		}
		return nil
	}
	as, err := os.ReadFile(filepath.Join(bag, fileAllowed))
	if err != nil {
		r.addf(fileAllowed, Missing, "the bag is signed but allowed_signers is missing")
		return nil
	}
	keys, err := parseAllowedSigners(as, Principal)
	if err != nil {
		r.addf(fileAllowed, Signature, "%v", err)
		return nil
	}
	got, err := verifySignature(tm, sig, keys)
	if err != nil {
		return err
	}
	r.Fingerprint = got
	// the signature is good; the file must also be nothing but its armoring (pem.Decode, and so
	// ssh-keygen, ignore what surrounds the block)
	if parsed, err := sshsig.Unarmor(sig); err == nil && !bytes.Equal(sig, sshsig.Armor(parsed)) {
		r.addf(fileSig, Signature, "malformed: not byte for byte the armored signature it holds (%d bytes, the armoring is %d)",
			len(sig), len(sshsig.Armor(parsed)))
	}
	ok := true
	switch {
	case claimed && got != fp:
		r.addf(fileBagInfo, Signature, "signed by %s but bag-info.txt names %s", got, fp)
		ok = false
	case !claimed:
		r.addf(fileBagInfo, Signature, "signed by %s but bag-info.txt names no signer", got)
		ok = false
	}
	if r.SignerPinned && !slices.Contains(opt.Signers, got) {
		r.addf(fileSig, Signature, "signed by %s, not by the expected key %s (the bag's allowed_signers was replaced, or it was signed on another install)", got, expected)
		ok = false
	}
	r.Signed = ok
	return nil
}

var errCustody = errors.New("custody log broken")

// checkCustodyLog reads a custody JSONL stream (one [casefile.CustodyEntry] per line) and checks
// its chain with [casefile.VerifyChain]; it returns the head hash and the number of entries, or
// an error naming the first bad line or entry. In a pseudonymised bag (redacted), an entry
// that lists masked details under "masked" keeps the hash of its unmasked content, which can
// no longer be recomputed: its links are checked but not its content; masked counts them.
func checkCustodyLog(data []byte, redacted bool) (head string, n, masked int, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var entries []casefile.CustodyEntry
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		dec.DisallowUnknownFields()
		var e casefile.CustodyEntry
		if err := dec.Decode(&e); err != nil {
			return "", 0, 0, fmt.Errorf("line %d: %w: %v", line, errCustody, err)
		}
		if rest := bytes.TrimSpace(sc.Bytes()[dec.InputOffset():]); len(rest) > 0 {
			return "", 0, 0, fmt.Errorf("line %d: %w: %q after the entry (one JSON object a line)", line, errCustody, clip(string(rest), 40))
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		return "", 0, 0, fmt.Errorf("line %d: %w: %v", line+1, errCustody, err)
	}
	if !redacted {
		err = casefile.VerifyChain(entries)
	} else {
		masked, err = verifyMaskedChain(entries)
	}
	if err != nil {
		return "", 0, 0, err
	}
	if len(entries) > 0 {
		head = entries[len(entries)-1].Hash
	}
	return head, len(entries), masked, nil
}

// verifyMaskedChain is [casefile.VerifyChain] for the custody log of a pseudonymised bag, with
// the same checks and wording, except that an entry whose details carry the "masked" list is
// held to its sequence number, its link to the previous entry and a well-formed hash, not to its
// content hash.
func verifyMaskedChain(entries []casefile.CustodyEntry) (masked int, err error) {
	prev := ""
	for i, e := range entries {
		if want := int64(i + 1); e.Seq != want {
			return masked, fmt.Errorf("%w: entry %d: sequence number %d, want %d (entry missing or inserted)", casefile.ErrChain, want, e.Seq, want)
		}
		if e.Prev != prev {
			return masked, fmt.Errorf("%w: entry %d: prev %.12s… does not match the previous entry's hash %.12s…", casefile.ErrChain, e.Seq, e.Prev, prev)
		}
		if maskedList(e.Details) {
			if b, err := hex.DecodeString(e.Hash); err != nil || len(b) != sha256.Size {
				return masked, fmt.Errorf("%w: entry %d (%s): hash %q is not a SHA-256", casefile.ErrChain, e.Seq, e.Action, clip(e.Hash, 70))
			}
			masked++
		} else if casefile.EntryHash(e) != e.Hash {
			return masked, fmt.Errorf("%w: entry %d (%s): content does not match its hash", casefile.ErrChain, e.Seq, e.Action)
		}
		prev = e.Hash
	}
	return masked, nil
}

// maskedList reports whether details list masked keys as redactCustody writes them: a
// non-empty list of keys that the details hold.
func maskedList(details map[string]any) bool {
	list, ok := details[custodyMaskedKey].([]any)
	if !ok || len(list) == 0 {
		return false
	}
	for _, k := range list {
		s, ok := k.(string)
		if _, there := details[s]; !ok || !there || s == custodyMaskedKey {
			return false
		}
	}
	return true
}

func verifyCustody(r *VerifyReport, bag string, info BagInfo) {
	b, err := os.ReadFile(filepath.Join(bag, filepath.FromSlash(fileCustody)))
	if err != nil {
		return // a missing payload file is already reported by the manifests
	}
	redacted, _ := info.Get("Raidtrace-Redacted")
	head, _, masked, err := checkCustodyLog(b, redacted == "true")
	if err != nil {
		r.addf(fileCustody, Custody, "%v", err)
		return
	}
	r.CustodyHead, r.CustodyMasked = head, masked
	if want, ok := info.Get("Raidtrace-Custody-Head"); ok && want != head {
		r.addf(fileCustody, Custody, "the last entry's hash is %s, bag-info.txt says %s", head, want)
	}
}
