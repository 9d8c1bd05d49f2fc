// Package xarchive imports the X/Twitter account archive, as the ZIP the platform gives
// ("Download an archive of your data") or its unzipped folder, and the pre-2019 "Grailbird"
// archive (tweets.csv and data/js/tweets/YYYY_MM.js).
//
// # What is imported
//
//   - the owner's tweets (data/tweets.js, data/tweet.js and their -partN files, as listed in
//     data/manifest.js or found by name), Platform "x", Direction Outgoing; a long post's full
//     text from data/note-tweet.js replaces its truncated tweet (matched by creation second and
//     text, since no id links them) and the note id goes in Extra["note_tweet_id"];
//   - deleted tweets (data/deleted-tweets.js), with Extra["deleted_at"];
//   - direct messages, both directions (data/direct-messages.js), and group DMs
//     (data/direct-messages-group.js), Platform "x-dm"; reactions to a DM are records of Kind
//     "reaction"; the group events joinConversation, participantsJoin, participantsLeave and
//     conversationNameUpdate are records of Kind "event" with an empty text, so that who added
//     whom to a group stays in the case;
//   - Grailbird: data/js/tweets/*.js, or tweets.csv when the archive has no JS files (both hold
//     the same tweets, so only one is read).
//
// The owner comes from data/account.js (or the manifest's userInfo, or [importers.Options.Owner]).
// The archive never maps other accounts' ids to usernames, so DM parties get the handle seen in
// the owner's mentions and replies when there is one, and only their numeric id otherwise.
//
// Each record's location is the member path plus a JSON pointer ("data/tweets.js#/12/tweet") or
// a CSV line ("tweets.csv line 40"). A malformed element is reported as an [importers.Problem]
// and the rest continues; a truncated file ends in an [importers.ParseError] wrapping
// [importers.ErrTruncated] after everything complete was imported.
//
// The package reads ZIP members in place: it never extracts, writes or modifies anything, and it
// opens no network connection. It applies the generic ZIP import's rules ([importers.ZipRefusal]):
// member paths that escape the archive, symbolic links and other files that are not regular
// ones (in a folder too), encrypted members, implausible compression ratios and archives
// declaring more than [importers.ZipMaxTotal] bytes are refused and reported; a second member of
// the same name is read too, located as "data/tweets.js (member 2 of that name)", with a warning. JSON arrays are decoded one element at a time, so memory stays flat however
// large tweets.js is (the note tweets, usually few, are held in memory to be matched).
package xarchive

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
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"raidtrace/importers"
)

// Format is the account-archive format for detection and the case file.
var Format = importers.Format{
	ID:     "x-archive",
	Name:   "X/Twitter account archive (ZIP or folder, also pre-2019 Grailbird)",
	Sniff:  Sniff,
	Probe:  Probe,
	Import: Import,
	Read:   Read,
}

var (
	zipMagic  = []byte("PK\x03\x04")
	csvHeader = []byte(`"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp"`)
)

// Sniff reports whether head (nil for a directory) may be an archive: a ZIP whose first member
// names (read from the local headers in head) are an archive's; one archive data file on its own
// (window.YTD.tweets…, Grailbird.data.tweets_…, the Grailbird tweets.csv header); or any
// directory, whatever its name, since a directory's name is all Sniff gets: [Probe] then decides
// from its content.
func Sniff(head []byte, name string) bool {
	if head == nil {
		return true
	}
	if bytes.HasPrefix(head, zipMagic) {
		names := zipHeadNames(head)
		if _, ok := layout(names); ok {
			return true
		}
		for _, n := range names {
			if archiveMember.MatchString(n) {
				return true
			}
		}
		return false
	}
	return loneKind(head) != kindNone
}

// archiveRoot reports whether the folder dir holds what only the root of an X archive holds:
// data/manifest.js or data/account.js, data/js/tweet_index.js, or tweets.csv with the Grailbird
// header.
func archiveRoot(dir string) bool {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return false
	}
	defer root.Close()
	for _, name := range []string{"data/manifest.js", "data/account.js", "data/js/tweet_index.js"} {
		if st, err := root.Stat(name); err == nil && st.Mode().IsRegular() {
			return true
		}
	}
	f, err := root.Open("tweets.csv")
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(csvHeader)+3)
	n, _ := io.ReadFull(f, head)
	return loneKind(head[:n]) == kindGrailCSV
}

// zipHeadNames returns the member names of the ZIP local file headers found in head.
func zipHeadNames(head []byte) []string {
	var names []string
	for i := 0; ; {
		j := bytes.Index(head[i:], zipMagic)
		if j < 0 {
			return names
		}
		i += j
		if i+30 > len(head) {
			return names
		}
		n := int(head[i+26]) | int(head[i+27])<<8
		if i+30+n > len(head) {
			return names
		}
		names = append(names, string(head[i+30:i+30+n]))
		i += 30 + n
	}
}

// Probe confirms a Sniff match from the archive itself: a ZIP whose central directory holds an
// archive's manifest or message files; a folder, whatever its name, holding data/manifest.js or
// data/account.js (the archive since 2019), data/js/tweet_index.js or a Grailbird tweets.csv
// (the older one); or a folder whose name is an archive's (twitter-2024-11-12-…, or naming
// twitter, tweets or an archive) holding an archive's data files, at its root or in one folder
// inside it.
func Probe(p string) bool {
	st, err := os.Stat(p)
	if err != nil {
		return false
	}
	var src source
	switch {
	case st.IsDir():
		if archiveRoot(p) {
			return true
		}
		if !dirName.MatchString(filepath.Base(p)) {
			return false
		}
		d, err := openDir(p)
		if err != nil {
			return false
		}
		src = d
	default:
		head := make([]byte, 4)
		f, err := os.Open(p)
		if err != nil {
			return false
		}
		n, _ := io.ReadFull(f, head)
		f.Close()
		if !bytes.Equal(head[:n], zipMagic) {
			return true // a lone data file: Sniff decided from its content
		}
		z, err := openZip(p)
		if err != nil {
			return false
		}
		src = z
	}
	defer src.close()
	_, ok := layout(src.names())
	return ok
}

// Import reads the archive at p (a ZIP, a folder, or one data file) and sends its messages to
// sink.
func Import(ctx context.Context, p string, opt importers.Options, sink importers.Sink) error {
	opt = opt.WithDefaults()
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("open x archive: %w", err)
	}
	a := newArchive(ctx, opt, sink)
	if st.IsDir() {
		d, err := openDir(p)
		if err != nil {
			return fmt.Errorf("open x archive folder: %w", err)
		}
		defer d.close()
		return a.run(d)
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("open x archive: %w", err)
	}
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	if bytes.HasPrefix(head, zipMagic) {
		z, err := openZip(p)
		if err != nil {
			return fmt.Errorf("open x archive zip: %w", err)
		}
		defer z.close()
		for _, p := range z.bad {
			sink.Problem(p)
		}
		return a.run(z)
	}
	k := loneKind(head)
	if k == kindNone {
		return &importers.ParseError{File: filepath.Base(p), Err: importers.ErrNotFormat}
	}
	name := filepath.Base(p)
	a.files = []member{{name: name, kind: k, count: -1}}
	return a.read(fileSource{path: p, name: name})
}

// Read imports from r an archive ZIP (held in memory, up to 256 MiB: a ZIP inside a ZIP) or one
// archive data file: a tweets.js, direct-messages.js,
// direct-messages-group.js, note-tweet.js or deleted-tweets.js, a Grailbird month file or
// tweets.csv, as a ZIP of exports may hold it. Locations then start with the JSON pointer
// ("#/0/tweet") or "line N"; the caller prefixes the member name. Without account.js the owner is
// [importers.Options.Owner], and DM directions are unknown when that is unset.
func Read(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	if bytes.HasPrefix(head, zipMagic) {
		return readZipStream(ctx, br, opt, sink)
	}
	k := loneKind(head)
	if k == kindNone {
		return &importers.ParseError{Err: reasonNotDataFile.M().Wrap(importers.ErrNotFormat)}
	}
	a := newArchive(ctx, opt.WithDefaults(), sink)
	a.files = []member{{kind: k, count: -1}}
	return a.read(streamSource{r: br})
}

// maxZipStream bounds an archive ZIP read from a stream (a ZIP inside a ZIP), which must be held
// in memory because archive/zip needs random access.
const maxZipStream = 256 << 20

func readZipStream(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	b, err := io.ReadAll(io.LimitReader(r, maxZipStream+1))
	if err != nil {
		return fmt.Errorf("read x archive zip: %w", err)
	}
	if len(b) > maxZipStream {
		return &importers.ParseError{Err: reasonZipInZip.M("N", maxZipStream>>20).Wrap(nil)}
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return &importers.ParseError{Err: reasonReadZip.M("Err", err).Wrap(err)}
	}
	z, err := newZipSource(zr)
	if err != nil {
		return &importers.ParseError{Err: reasonReadZip.M("Err", err).Wrap(err)}
	}
	for _, p := range z.bad {
		sink.Problem(p)
	}
	return newArchive(ctx, opt.WithDefaults(), sink).run(z)
}

// streamSource is one data file read from a stream; its member name is empty.
type streamSource struct{ r io.Reader }

func (s streamSource) names() []string   { return []string{""} }
func (s streamSource) size(string) int64 { return 0 }
func (s streamSource) close() error      { return nil }
func (s streamSource) open(string) (io.ReadCloser, int64, error) {
	return io.NopCloser(s.r), 0, nil
}

// kind is what an archive file holds.
type kind int

const (
	kindNone kind = iota
	kindAccount
	kindNotes
	kindTweets
	kindDeleted
	kindDMs
	kindGroupDMs
	kindGrailJS
	kindGrailCSV
	kindGrailUser
)

// globals maps the YTD global names (file names with - turned to _) and the manifest's data
// type names to kinds.
var globals = map[string]kind{
	"account": kindAccount, "note_tweet": kindNotes, "noteTweet": kindNotes,
	"tweets": kindTweets, "tweet": kindTweets,
	"deleted_tweets": kindDeleted, "deletedTweets": kindDeleted,
	"direct_messages": kindDMs, "directMessages": kindDMs,
	"direct_messages_group": kindGroupDMs, "directMessagesGroup": kindGroupDMs,
}

var ytdGlobal = regexp.MustCompile(`^\s*window\.YTD\.([A-Za-z_]+)\.part\d+\s*=`)

// loneKind tells the kind of a data file from its first bytes.
func loneKind(head []byte) kind {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if m := ytdGlobal.FindSubmatch(head); m != nil {
		if k := globals[string(m[1])]; k != kindAccount {
			return k
		}
		return kindNone
	}
	if bytes.HasPrefix(bytes.TrimSpace(head), []byte("Grailbird.data.tweets_")) {
		return kindGrailJS
	}
	if bytes.HasPrefix(head, csvHeader) {
		return kindGrailCSV
	}
	return kindNone
}

// fileNames matches the data files by name, for archives without a manifest.
var fileNames = regexp.MustCompile(`^data/(account|note-tweet|tweets|tweet|deleted-tweets|direct-messages|direct-messages-group)(-part(\d+))?\.js$`)

// dirName matches the names an archive folder is likely to have: the platform names the ZIP,
// and so its unzipped folder, twitter-YYYY-MM-DD-<hash>. Only a folder so named may hold the
// archive one folder down (see [Probe]).
var dirName = regexp.MustCompile(`(?i)twitter|tweets|grailbird|archive|^x[-_ ]`)

// archiveMember matches member names only X archives have, modern or Grailbird, at the root or
// under one folder.
var archiveMember = regexp.MustCompile(`^([^/]+/)?(Your archive\.html|data/[a-z0-9-]+\.js|data/js/[a-z0-9_/]+\.js|data/README\.txt)$`)

var grailJSName = regexp.MustCompile(`^data/js/tweets/(\d{4})_(\d{2})\.js$`)

// layout finds the archive's root inside names (a ZIP made from the folder may put everything
// under one top folder) and reports whether names look like an archive.
func layout(names []string) (prefix string, ok bool) {
	best := -1
	for _, n := range names {
		var p string
		switch {
		case strings.HasSuffix(n, "data/manifest.js"):
			p = strings.TrimSuffix(n, "data/manifest.js")
		case strings.HasSuffix(n, "tweets.csv"):
			p = strings.TrimSuffix(n, "tweets.csv")
		default:
			i := strings.Index(n, "data/")
			if i < 0 || (i > 0 && n[i-1] != '/') {
				continue
			}
			rel := n[i:]
			if !fileNames.MatchString(rel) && !grailJSName.MatchString(rel) {
				continue
			}
			p = n[:i]
		}
		if p != "" && !strings.HasSuffix(p, "/") {
			continue
		}
		if strings.Count(p, "/") > 1 {
			continue // deeper than one wrapping folder: not this archive's root
		}
		if best < 0 || len(p) < best {
			best, prefix = len(p), p
		}
	}
	return prefix, best >= 0
}

// member is one data file to read, in reading order.
type member struct {
	name  string // full member name, as in the ZIP or folder
	kind  kind
	part  int
	count int // elements the manifest announces; -1 when unknown
}

// where names the member in a problem about the whole file.
func (m member) where() string {
	if m.name == "" {
		return "start of file"
	}
	return m.name
}

var (
	reasonNotDataFile     = importers.NewReason("x-not-data-file", "not this format: not an X archive data file")
	reasonZipInZip        = importers.NewReason("x-zip-in-zip", "archive ZIP inside a ZIP is larger than {{.N}} MiB: unzip the outer one and import the archive")
	reasonReadZip         = importers.NewReason("x-read-zip", "read x archive zip: {{.Err}}")
	reasonNoLayout        = importers.NewReason("x-no-layout", "not this format: no data/manifest.js, data/tweets.js, data/direct-messages.js or tweets.csv")
	reasonManifest        = importers.NewReason("x-manifest-unreadable", "manifest not readable, data files found by name instead: {{.Err}}")
	reasonManifestMissing = importers.NewReason("x-manifest-missing-file", "manifest lists {{.File}} ({{.N}} entries) but the archive does not contain it")
	reasonSameTweets      = importers.NewReason("x-csv-same-tweets", "not read: it holds the same tweets as data/js/tweets/*.js, which were imported")
	reasonManifests       = importers.NewReason("x-manifests", "the archive holds {{.N}} members of this name: only the first was read as the manifest")
	reasonNotRead         = importers.NewReason("x-not-messages", "not imported, as they hold no messages (entries per the manifest): {{.Files}}")
)

// plan lists the data files of the archive in src, in the order they must be read: account,
// notes, tweets, deleted tweets, DMs, group DMs (Grailbird: user details, then tweets).
func (a *archive) plan(src source) error {
	names := src.names()
	prefix, ok := layout(names)
	if !ok {
		return &importers.ParseError{Err: reasonNoLayout.M().Wrap(importers.ErrNotFormat)}
	}
	have := map[string]bool{}
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			have[strings.TrimPrefix(n, prefix)] = true
		}
	}
	seen := map[string]bool{}
	add := func(rel string, k kind, part, count int) {
		if seen[rel] {
			return
		}
		seen[rel] = true
		a.files = append(a.files, member{name: prefix + rel, kind: k, part: part, count: count})
	}
	var notRead []string // data files with entries that are not messages, with their count
	if have["data/manifest.js"] {
		if err := a.readManifest(src, prefix+"data/manifest.js"); err != nil {
			a.sink.Problem(reasonManifest.M("Err", err).Warning(prefix + "data/manifest.js"))
		}
		for _, f := range a.manifest {
			k := globals[f.dataType]
			if k == kindNone {
				if f.count > 0 {
					notRead = append(notRead, fmt.Sprintf("%s (%d)", strings.TrimPrefix(path.Clean(f.fileName), "data/"), f.count))
				}
				continue
			}
			rel := strings.TrimPrefix(path.Clean(f.fileName), "/")
			if !have[rel] {
				a.sink.Problem(reasonManifestMissing.M("File", rel, "N", f.count).Problem(prefix + "data/manifest.js"))
				continue
			}
			add(rel, k, f.part, f.count)
		}
	}
	var grail []string
	for rel := range have {
		if m := fileNames.FindStringSubmatch(rel); m != nil {
			part, _ := strconv.Atoi(m[3])
			add(rel, globals[strings.ReplaceAll(m[1], "-", "_")], part, -1)
		} else if grailJSName.MatchString(rel) {
			grail = append(grail, rel)
		}
	}
	if len(grail) > 0 {
		if have["data/js/user_details.js"] {
			add("data/js/user_details.js", kindGrailUser, 0, -1)
		}
		sort.Strings(grail)
		for _, rel := range grail {
			add(rel, kindGrailJS, 0, -1)
		}
		if have["tweets.csv"] {
			a.sink.Problem(reasonSameTweets.M().Warning(prefix + "tweets.csv"))
		}
	} else if have["tweets.csv"] {
		if have["data/js/user_details.js"] {
			add("data/js/user_details.js", kindGrailUser, 0, -1)
		}
		add("tweets.csv", kindGrailCSV, 0, -1)
	}
	// A ZIP may hold two members of the same name: each data file is read, the second under
	// the name that tells it apart, with a warning; a second manifest is not read.
	if d, ok := src.(interface {
		duplicates(string) ([]string, []importers.Problem)
	}); ok {
		for _, m := range a.files {
			names, warnings := d.duplicates(m.name)
			for i, name := range names {
				a.sink.Problem(warnings[i])
				a.files = append(a.files, member{name: name, kind: m.kind, part: m.part, count: -1})
			}
		}
		if names, _ := d.duplicates(prefix + "data/manifest.js"); len(names) > 0 {
			a.sink.Problem(reasonManifests.M("N", len(names)+1).Warning(prefix + "data/manifest.js"))
		}
	}
	if len(notRead) > 0 {
		sort.Strings(notRead)
		a.sink.Problem(reasonNotRead.M("Files", strings.Join(notRead, ", ")).Warning(prefix + "data/manifest.js"))
	}
	sort.SliceStable(a.files, func(i, j int) bool {
		if a.files[i].kind != a.files[j].kind {
			return a.files[i].kind < a.files[j].kind
		}
		return a.files[i].part < a.files[j].part
	})
	return nil
}

func (a *archive) run(src source) error {
	if err := a.plan(src); err != nil {
		return err
	}
	return a.read(src)
}

// read reads the planned files in order. A file that cannot be read or ends early is reported
// and the others are still read; the first such failure is returned at the end.
func (a *archive) read(src source) error {
	for _, m := range a.files {
		a.total += src.size(m.name)
	}
	for _, m := range a.files {
		if err := a.ctx.Err(); err != nil {
			return err
		}
		err := a.readMember(src, m)
		if err == nil {
			continue
		}
		if a.sinkErr != nil {
			return a.sinkErr
		}
		if err := a.ctx.Err(); err != nil {
			return err
		}
		var pe *importers.ParseError
		if !errors.As(err, &pe) {
			pe = &importers.ParseError{Err: err}
		}
		loc, cause := m.name, pe.Err
		switch {
		case strings.HasPrefix(pe.Location, "#") || loc == "":
			loc += pe.Location
		case pe.Location != "":
			cause = importers.ReasonAt.M("Where", pe.Location, "Err", pe.Err).Wrap(pe.Err)
		}
		if loc == "" {
			loc = "start of file"
		}
		a.sink.Problem(importers.ErrMsg(cause).Problem(loc))
		if a.failed == nil {
			// Located as the problem just reported, so that a caller reporting the error too
			// (the case file does) shows it once.
			a.failed = &importers.ParseError{Location: loc, Err: cause}
		}
	}
	a.flushNotes()
	if a.failed != nil {
		return a.failed
	}
	return a.sinkErr
}

func (a *archive) readMember(src source, m member) error {
	rc, size, err := src.open(m.name)
	if err != nil {
		return err
	}
	defer rc.Close()
	r := bufio.NewReaderSize(&countReader{r: rc, a: a, size: size}, 64<<10)
	switch m.kind {
	case kindAccount:
		return a.readAccount(r, m)
	case kindNotes:
		return a.readNotes(r, m)
	case kindTweets, kindDeleted:
		return a.readTweets(r, m)
	case kindDMs, kindGroupDMs:
		return a.readDMs(r, m)
	case kindGrailUser:
		return a.readGrailUser(r, m)
	case kindGrailJS:
		return a.readGrailJS(r, m)
	case kindGrailCSV:
		return a.readGrailCSV(r, m)
	}
	return nil
}

// countReader reports progress through opt.Progress.
type countReader struct {
	r    io.Reader
	a    *archive
	size int64
}

func (c *countReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.a.done += int64(n)
	if c.a.opt.Progress != nil {
		c.a.opt.Progress(c.a.done, max(c.a.total, c.a.done))
	}
	return n, err
}
