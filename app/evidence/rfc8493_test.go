package evidence

// An RFC 8493 conformance check written apart from the export and Verify code: it shares no
// parser, path decoder or hasher with them, so a bug in those is not mirrored here. No
// independent BagIt validator could be installed (bagit-python is on PyPI, which this
// project's machines cannot reach; the Go BagIt modules tried are refused by the module
// proxy; Debian and npm have none), so this is the "any conforming validator" check.

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var (
	reManifestName = regexp.MustCompile(`^(tag)?manifest-([a-z0-9]+)\.txt$`)
	reLabel        = regexp.MustCompile(`^[^\s:][^:]*[^\s:]$|^[^\s:]$`)
	reOxum         = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
	reDate         = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// rfcDecode decodes a manifest path: only %25, %0A and %0D are defined by RFC 8493 §2.1.3.
func rfcDecode(p string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] != '%' {
			b.WriteByte(p[i])
			continue
		}
		if i+2 >= len(p) {
			return "", fmt.Errorf("stray %% in %q", p)
		}
		switch strings.ToUpper(p[i+1 : i+3]) {
		case "25":
			b.WriteByte('%')
		case "0A":
			b.WriteByte('\n')
		case "0D":
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("%q: %% not followed by 25, 0A or 0D (a %% in a name must be encoded)", p)
		}
		i += 2
	}
	return b.String(), nil
}

func rfcHash(alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha512":
		return sha512.New()
	}
	return nil
}

// checkRFC8493 returns every way bag departs from RFC 8493 (and from what this project
// promises on top: SHA-256 and SHA-512 manifests and tag manifests covering every tag file).
func checkRFC8493(bag string) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }

	// every file, relative, slash separated
	files := map[string]int64{}
	filepath.WalkDir(bag, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			bad("walk: %v", err)
			return nil
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(bag, p)
			info, _ := d.Info()
			if !d.Type().IsRegular() {
				bad("%s: not a regular file", rel)
			}
			files[filepath.ToSlash(rel)] = info.Size()
		}
		return nil
	})

	// §2.1.1 bagit.txt: exactly two lines, in this order, UTF-8
	bt, err := os.ReadFile(filepath.Join(bag, "bagit.txt"))
	if err != nil {
		bad("bagit.txt: %v", err)
	} else {
		if bytes.HasPrefix(bt, []byte("\xef\xbb\xbf")) {
			bad("bagit.txt: starts with a byte-order mark")
		}
		lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(bt), "\r\n", "\n"), "\n"), "\n")
		want := []string{"BagIt-Version: 1.0", "Tag-File-Character-Encoding: UTF-8"}
		if len(lines) != 2 || lines[0] != want[0] || lines[1] != want[1] || !bytes.HasSuffix(bt, []byte("\n")) {
			bad("bagit.txt: %q, want exactly %q", bt, strings.Join(want, "\n")+"\n")
		}
	}

	// payload: every file under data/ (§2.1.2); the payload directory must exist
	payload := map[string]int64{}
	var octets int64
	for p, n := range files {
		if strings.HasPrefix(p, "data/") {
			payload[p] = n
			octets += n
		}
	}
	if st, err := os.Stat(filepath.Join(bag, "data")); err != nil || !st.IsDir() {
		bad("data/: the payload directory is missing")
	}

	// §2.2.2 bag-info.txt: UTF-8, "Label: value" lines, continuation lines start with white space
	info := map[string][]string{}
	bi, err := os.ReadFile(filepath.Join(bag, "bag-info.txt"))
	if err != nil {
		bad("bag-info.txt: %v", err)
	} else {
		if !utf8.Valid(bi) || bytes.HasPrefix(bi, []byte("\xef\xbb\xbf")) {
			bad("bag-info.txt: not UTF-8 without byte-order mark")
		}
		if len(bi) > 0 && !bytes.HasSuffix(bi, []byte("\n")) {
			bad("bag-info.txt: last line has no line end")
		}
		var last string
		for i, l := range strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(bi), "\r\n", "\n"), "\n"), "\n") {
			switch {
			case l == "":
				bad("bag-info.txt line %d: empty line", i+1)
			case l[0] == ' ' || l[0] == '\t':
				if last == "" {
					bad("bag-info.txt line %d: continuation with no label before it", i+1)
					continue
				}
				vs := info[last]
				vs[len(vs)-1] += " " + strings.TrimSpace(l)
			default:
				label, value, ok := strings.Cut(l, ":")
				if !ok || !reLabel.MatchString(label) {
					bad("bag-info.txt line %d: %q is not \"Label: value\"", i+1, l)
					continue
				}
				if value != "" && value[0] != ' ' && value[0] != '\t' {
					bad("bag-info.txt line %d: no white space after the colon", i+1)
				}
				last = strings.ToLower(label)
				info[last] = append(info[last], strings.TrimSpace(value))
			}
			if r := []rune(l); len(r) > 79 {
				// §2.2.2 recommends lines of at most 79 characters, long values folded at white
				// space; a line may only be longer when it could not be folded (one long word)
				start := strings.IndexAny(string(r), ":") + 2
				if l[0] == ' ' || l[0] == '\t' {
					start = len(string(r)) - len(strings.TrimLeft(string(r), " \t")) + 1
				}
				if start < 79 && strings.ContainsAny(string(r[min(start, len(r)):79]), " \t") {
					bad("bag-info.txt line %d: %d characters, longer than 79 and not folded", i+1, len(r))
				}
			}
		}
		// reserved labels that must not repeat (§2.2.2)
		for _, l := range []string{"bagging-date", "bag-size", "payload-oxum", "bag-group-identifier", "bag-count"} {
			if len(info[l]) > 1 {
				bad("bag-info.txt: %s repeated %d times", l, len(info[l]))
			}
		}
		if v := info["payload-oxum"]; len(v) == 1 {
			m := reOxum.FindStringSubmatch(v[0])
			if m == nil {
				bad("bag-info.txt: Payload-Oxum %q is not octets.count", v[0])
			} else if o, _ := strconv.ParseInt(m[1], 10, 64); o != octets {
				bad("bag-info.txt: Payload-Oxum octets %d, the payload has %d", o, octets)
			} else if c, _ := strconv.Atoi(m[2]); c != len(payload) {
				bad("bag-info.txt: Payload-Oxum count %d, the payload has %d files", c, len(payload))
			}
		} else {
			bad("bag-info.txt: no Payload-Oxum")
		}
		if v := info["bagging-date"]; len(v) != 1 || !reDate.MatchString(v[0]) {
			bad("bag-info.txt: Bagging-Date %q is not YYYY-MM-DD", v)
		}
		for _, l := range []string{"source-organization", "external-description", "bag-software-agent", "external-identifier"} {
			if len(info[l]) == 0 {
				bad("bag-info.txt: no %s", l)
			}
		}
	}

	// §2.1.3 and §2.2.1: manifests
	type man struct {
		tag  bool
		alg  string
		list map[string]string // decoded path -> digest
	}
	var mans []man
	for p := range files {
		m := reManifestName.FindStringSubmatch(p)
		if m == nil {
			continue
		}
		mm := man{tag: m[1] == "tag", alg: m[2], list: map[string]string{}}
		h := rfcHash(mm.alg)
		if h == nil {
			bad("%s: algorithm %q is not one this bag should use", p, mm.alg)
			continue
		}
		data, _ := os.ReadFile(filepath.Join(bag, p))
		if !utf8.Valid(data) {
			bad("%s: not UTF-8", p)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSuffix(sc.Text(), "\r")
			i := strings.IndexAny(line, " \t")
			if i <= 0 {
				bad("%s line %d: no digest and path", p, n)
				continue
			}
			sum, rawPath := line[:i], strings.TrimLeft(line[i:], " \t")
			if len(sum) != h.Size()*2 {
				bad("%s line %d: digest of %d hex digits, %s has %d", p, n, len(sum), mm.alg, h.Size()*2)
			}
			if _, err := hex.DecodeString(sum); err != nil {
				bad("%s line %d: digest is not hex", p, n)
			}
			path, err := rfcDecode(rawPath)
			if err != nil {
				bad("%s line %d: %v", p, n, err)
				continue
			}
			if strings.HasPrefix(path, "/") || strings.HasPrefix(path, "./") || strings.Contains("/"+path+"/", "/../") || strings.Contains(path, `\`) {
				bad("%s line %d: path %q is not relative to the bag with / separators", p, n, path)
			}
			if _, dup := mm.list[path]; dup {
				bad("%s line %d: %q listed twice", p, n, path)
			}
			mm.list[path] = strings.ToLower(sum)
			if mm.tag == strings.HasPrefix(path, "data/") {
				bad("%s line %d: %q in the wrong kind of manifest", p, n, path)
			}
			if reManifestName.MatchString(path) && strings.HasPrefix(path, "tagmanifest-") {
				bad("%s line %d: lists a tag manifest (%s)", p, n, path)
			}
		}
		mans = append(mans, mm)
	}
	algs := map[bool][]string{}
	for _, m := range mans {
		algs[m.tag] = append(algs[m.tag], m.alg)
	}
	for _, tag := range []bool{false, true} {
		sort.Strings(algs[tag])
		if strings.Join(algs[tag], ",") != "sha256,sha512" {
			bad("manifests (tag=%v): algorithms %v, want sha256 and sha512", tag, algs[tag])
		}
	}
	// a tag manifest's algorithm has a payload manifest (§2.2.1 SHOULD)
	for _, m := range mans {
		want := map[string]int64{}
		if m.tag {
			for p, n := range files {
				// every tag file except the tag manifests and the files computed over them
				if !strings.HasPrefix(p, "data/") && !strings.HasPrefix(p, "tagmanifest-") {
					want[p] = n
				}
			}
		} else {
			want = payload
		}
		name := "manifest-" + m.alg + ".txt"
		if m.tag {
			name = "tag" + name
		}
		for p := range want {
			if _, ok := m.list[p]; !ok {
				bad("%s: does not list %s", name, p)
			}
		}
		for p, sum := range m.list {
			if _, ok := files[p]; !ok {
				bad("%s: lists %q, which is not in the bag", name, p)
				continue
			}
			f, err := os.Open(filepath.Join(bag, filepath.FromSlash(p)))
			if err != nil {
				bad("%s: %v", name, err)
				continue
			}
			h := rfcHash(m.alg)
			io.Copy(h, f)
			f.Close()
			if got := hex.EncodeToString(h.Sum(nil)); got != sum {
				bad("%s: %s has %s %s, manifest says %s", name, p, m.alg, got, sum)
			}
		}
	}
	sort.Strings(errs)
	return errs
}

func TestRFC8493Conformance(t *testing.T) {
	bags := map[string]string{"exported": sharedBag(t)}
	// a redacted bag too
	bags["redacted"] = exportTest(t, newTestCase(t), Options{Key: testSigner(t), Redact: true})

	// a bag with names that must be percent-encoded and a long bag-info value that is folded
	root := t.TempDir()
	w := &bagWriter{root: root}
	for _, n := range []string{"data/100%.txt", "data/line\nbreak.txt", "data/cr\rhere.txt", "data/a b/élève.txt", "data/%0A-literal.txt"} {
		if err := w.writeFile(n, []byte(n)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.writeManifests(); err != nil {
		t.Fatal(err)
	}
	w.writeFile(fileBagit, []byte(bagitText))
	w.writeFile(fileBagInfo, BagInfo{{"Source-Organization", strings.Repeat("Association très longue ", 8)},
		{"External-Description", "odd names"}, {"External-Identifier", "x"}, {"Bagging-Date", "2024-05-02"},
		{"Payload-Oxum", w.oxum()}, {"Bag-Software-Agent", "raidtrace/test"}}.Bytes())
	w.writeTagManifests()
	bags["odd names"] = root

	for name, bag := range bags {
		if errs := checkRFC8493(bag); len(errs) > 0 {
			t.Errorf("%s bag departs from RFC 8493:\n  %s", name, strings.Join(errs, "\n  "))
		}
	}
	// the manifest really encodes the odd names (not only decodes back to them)
	man, _ := os.ReadFile(filepath.Join(root, "manifest-sha512.txt"))
	for _, want := range []string{"  data/100%25.txt\n", "  data/line%0Abreak.txt\n", "  data/cr%0Dhere.txt\n", "  data/%250A-literal.txt\n"} {
		if !bytes.Contains(man, []byte(want)) {
			t.Errorf("manifest-sha512.txt lacks %q", want)
		}
	}
}

// TestRFC8493CheckerCatches makes sure the checker above is not blind: each breakage of a good
// bag is reported.
func TestRFC8493CheckerCatches(t *testing.T) {
	tests := []struct {
		name   string
		change func(bag string) error
		want   string
	}{
		{"bagit.txt with a third line", func(b string) error {
			return os.WriteFile(filepath.Join(b, "bagit.txt"), []byte(bagitText+"Extra: 1\n"), 0o644)
		}, "bagit.txt:"},
		{"bagit.txt in another encoding", func(b string) error {
			return os.WriteFile(filepath.Join(b, "bagit.txt"), []byte("BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n"), 0o644)
		}, "bagit.txt:"},
		{"oxum off by one octet", func(b string) error {
			return os.WriteFile(filepath.Join(b, "data", "x"), []byte("1"), 0o644)
		}, "Payload-Oxum octets"},
		{"payload file not in manifest", func(b string) error {
			return os.WriteFile(filepath.Join(b, "data", "x"), nil, 0o644)
		}, "does not list data/x"},
		{"unfolded long line", func(b string) error {
			return rewrite(b, "bag-info.txt", func(s string) string { return s + "Contact-Name: " + strings.Repeat("xx ", 30) + "\n" })
		}, "not folded"},
		{"bad label", func(b string) error {
			return rewrite(b, "bag-info.txt", func(s string) string { return s + "no colon here\n" })
		}, "is not \"Label: value\""},
		{"repeated Bagging-Date", func(b string) error {
			return rewrite(b, "bag-info.txt", func(s string) string { return s + "Bagging-Date: 2024-01-01\n" })
		}, "bagging-date repeated"},
		{"raw % in a manifest path", func(b string) error {
			return rewrite(b, "manifest-sha256.txt", func(s string) string { return s + strings.Repeat("0", 64) + "  data/50%off\n" })
		}, "must be encoded"},
		{"tag manifest lists a tag manifest", func(b string) error {
			return rewrite(b, "tagmanifest-sha256.txt", func(s string) string {
				return s + strings.Repeat("0", 64) + "  tagmanifest-sha512.txt\n"
			})
		}, "lists a tag manifest"},
		{"tag file not in tag manifest", func(b string) error {
			return os.WriteFile(filepath.Join(b, "notes.txt"), nil, 0o644)
		}, "does not list notes.txt"},
		{"changed byte", func(b string) error {
			return rewrite(b, "data/senders.csv", func(s string) string { return "X" + s[1:] })
		}, "data/senders.csv has sha256"},
		{"path listed twice", func(b string) error {
			return rewrite(b, "manifest-sha512.txt", func(s string) string { return s + strings.SplitAfter(s, "\n")[0] })
		}, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bag := copyBag(t, sharedBag(t))
			if err := tt.change(bag); err != nil {
				t.Fatal(err)
			}
			errs := checkRFC8493(bag)
			if !strings.Contains(strings.Join(errs, "\n"), tt.want) {
				t.Errorf("want a report containing %q; got:\n  %s", tt.want, strings.Join(errs, "\n  "))
			}
		})
	}
}
