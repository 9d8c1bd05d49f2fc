package xarchive

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
)

// zipMember is one member of a crafted archive.
type zipMember struct {
	name string
	data string
	mode fs.FileMode // 0: a regular file
	size uint64      // when set, the uncompressed size declared (a forged header), data stored raw
}

func craftZip(t testing.TB, members ...zipMember) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Deflate}
		if m.mode != 0 {
			h.SetMode(m.mode)
		}
		if m.size != 0 {
			h.Method = zip.Store
			h.CompressedSize64, h.UncompressedSize64 = uint64(len(m.data)), m.size
			h.CRC32 = crc32.ChecksumIEEE([]byte(m.data))
			w, err := zw.CreateRaw(h)
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(m.data))
			continue
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(m.data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	zipAccount = `window.YTD.account.part0 = [{"account":{"accountId":"1","username":"me"}}]`
	zipDMs     = `window.YTD.direct_messages.part0 = [{"dmConversation":{"conversationId":"1-2","messages":[{"messageCreate":{"recipientId":"1","text":"hi","senderId":"2","id":"9","createdAt":"2024-01-01T00:00:00.000Z"}}]}}]`
)

func zipTweets(texts ...string) string {
	var els []string
	for i, t := range texts {
		els = append(els, fmt.Sprintf(`{"tweet":{"id_str":"%d","full_text":%q,"created_at":"Fri Dec 05 15:55:44 +0000 2014"}}`, 100+i, t))
	}
	return "window.YTD.tweets.part0 = [" + strings.Join(els, ",") + "]"
}

// importZip imports data as an archive ZIP file, and also as a ZIP read from a stream (a ZIP
// inside a ZIP), checking that both give the same.
func importZip(t *testing.T, data []byte) (*importers.Collector, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "twitter-2024-11-12-abc.zip")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := importPath(t, p, importers.Options{})
	var s importers.Collector
	serr := Read(context.Background(), bytes.NewReader(data), importers.Options{}, &s)
	if fmt.Sprint(s.Problems) != fmt.Sprint(c.Problems) || len(s.Records) != len(c.Records) || (serr == nil) != (err == nil) {
		t.Errorf("read as a stream: got %d records, problems %v, error %v; as a file %d, %v, %v",
			len(s.Records), s.Problems, serr, len(c.Records), c.Problems, err)
	}
	return c, err
}

func locations(c *importers.Collector) string {
	var locs []string
	for _, r := range c.Records {
		locs = append(locs, r.Location)
	}
	return strings.Join(locs, "\n")
}

// TestZipMemberRules: the archive reader refuses what the generic ZIP import refuses: a member
// that is a symbolic link (whatever it points to) or another file that is not a regular one,
// paths that would escape the archive; each is reported at its name and the other members
// import.
func TestZipMemberRules(t *testing.T) {
	data := craftZip(t,
		zipMember{name: "data/account.js", data: zipAccount},
		zipMember{name: "data/tweets.js", data: zipTweets("one", "two")},
		zipMember{name: "data/tweets-part8.js", data: "../../../etc/passwd", mode: fs.ModeSymlink | 0o777},
		zipMember{name: "data/tweets-part9.js", data: "data/tweets.js", mode: fs.ModeSymlink | 0o777},
		zipMember{name: "data/tweets-part7.js", data: zipTweets("pipe"), mode: fs.ModeNamedPipe | 0o644},
		zipMember{name: `..\..\data\tweets-part6.js`, data: zipTweets("escape")},
		zipMember{name: "/data/tweets-part5.js", data: zipTweets("absolute")},
		zipMember{name: "data/direct-messages.js", data: zipDMs},
	)
	c, err := importZip(t, data)
	if err == nil || !strings.Contains(err.Error(), "data/tweets-part7.js: member is not a regular file") {
		t.Errorf("error: got %v, want the first refused member's", err)
	}
	if want := "data/tweets.js#/0/tweet\ndata/tweets.js#/1/tweet\ndata/direct-messages.js#/0/dmConversation/messages/0/messageCreate"; locations(c) != want {
		t.Errorf("records at\n%s\nwant\n%s", locations(c), want)
	}
	want := []string{
		`..\..\data\tweets-part6.js: member path contains "..": refused (it would escape the archive)`,
		"/data/tweets-part5.js: member path is absolute: refused (it would escape the archive)",
		"data/tweets-part7.js: member is not a regular file: refused",
		"data/tweets-part8.js: member is a symbolic link: refused",
		"data/tweets-part9.js: member is a symbolic link: refused",
	}
	var got []string
	for _, p := range c.Problems {
		got = append(got, p.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestZipArchiveLimits: an archive whose members declare more bytes than the generic ZIP import
// allows is refused before anything is read; a member that expands too much is refused when
// read.
func TestZipArchiveLimits(t *testing.T) {
	huge := craftZip(t,
		zipMember{name: "data/account.js", data: zipAccount},
		zipMember{name: "data/tweets.js", data: zipTweets("one"), size: importers.ZipMaxTotal + 1},
	)
	c, err := importZip(t, huge)
	if err == nil || !strings.Contains(err.Error(), "more than the 34359738368 bytes allowed") || len(c.Records) != 0 {
		t.Errorf("total: got %v and %d records, want the archive refused", err, len(c.Records))
	}
	p := filepath.Join(t.TempDir(), "twitter.zip")
	os.WriteFile(p, huge, 0o600)
	if Probe(p) {
		t.Errorf("Probe: got true for an archive refused as a bomb")
	}
}

// TestZipDuplicateNames: two members of the same name are both read, the second located by a
// name that tells it apart, with a warning naming it.
func TestZipDuplicateNames(t *testing.T) {
	data := craftZip(t,
		zipMember{name: "data/account.js", data: zipAccount},
		zipMember{name: "data/tweets.js", data: zipTweets("one")},
		zipMember{name: "data/tweets.js", data: zipTweets("other one")},
		zipMember{name: `data\tweets.js`, data: zipTweets("third one")},
		zipMember{name: "media/a.jpg", data: "x"},
		zipMember{name: "media/a.jpg", data: "y"},
	)
	c, err := importZip(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if want := "data/tweets.js#/0/tweet\ndata/tweets.js (member 2 of that name)#/0/tweet\n" +
		`data\tweets.js (member 3 of that name)#/0/tweet`; locations(c) != want {
		t.Errorf("records at\n%s\nwant\n%s", locations(c), want)
	}
	if len(c.Records) == 3 && (c.Records[0].Text != "one" || c.Records[1].Text != "other one" || c.Records[2].Text != "third one") {
		t.Errorf("records: got %q, %q and %q, want one, other one and third one", c.Records[0].Text, c.Records[1].Text, c.Records[2].Text)
	}
	want := []importers.Problem{
		{Location: "data/tweets.js (member 2 of that name)", Warning: true,
			Reason: `the archive holds 3 members named "data/tweets.js" (an archive should hold one): each is read, this one located as "member 2 of that name"`},
		{Location: `data\tweets.js (member 3 of that name)`, Warning: true,
			Reason: `the archive holds 3 members named "data\\tweets.js" (an archive should hold one): each is read, this one located as "member 3 of that name"`},
	}
	if fmt.Sprint(c.Problems) != fmt.Sprint(want) {
		t.Errorf("problems: got %v, want only %v", c.Problems, want)
	}
}

// TestFolderSymlink: in an unzipped archive, a data file that is a symbolic link is reported and
// not read, as in a ZIP; the other files import.
func TestFolderSymlink(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "twitter-2024-11-12-abc")
	os.MkdirAll(filepath.Join(dir, "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "data", "account.js"), []byte(zipAccount), 0o644)
	os.WriteFile(filepath.Join(dir, "data", "tweets.js"), []byte(zipTweets("one")), 0o644)
	os.WriteFile(filepath.Join(dir, "data", "direct-messages.js"), []byte(zipDMs), 0o644)
	if err := os.Symlink("tweets.js", filepath.Join(dir, "data", "tweets-part1.js")); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
	c, err := importPath(t, dir, importers.Options{})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("error: got %v, want the link refused", err)
	}
	if want := "data/tweets.js#/0/tweet\ndata/direct-messages.js#/0/dmConversation/messages/0/messageCreate"; locations(c) != want {
		t.Errorf("records at\n%s\nwant\n%s", locations(c), want)
	}
	want := importers.Problem{Location: "data/tweets-part1.js", Reason: "file is a symbolic link: refused"}
	if len(c.Problems) != 1 || c.Problems[0].Plain() != want {
		t.Errorf("problems: got %v, want only %v", c.Problems, want)
	}
}
