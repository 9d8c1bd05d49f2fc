package xarchive

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/internal/fuzzseed"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func importPath(t testing.TB, p string, opt importers.Options) (*importers.Collector, error) {
	t.Helper()
	var c importers.Collector
	err := Format.Import(context.Background(), p, opt, &c)
	return &c, err
}

func byID(c *importers.Collector) map[string]importers.Record {
	m := map[string]importers.Record{}
	for _, r := range c.Records {
		key := r.PlatformID
		if key == "" {
			key = r.Location
		}
		m[key] = r
	}
	return m
}

// zipDir writes the files under dir into a new ZIP at dst, each name prefixed with prefix.
func zipDir(t testing.TB, dir, prefix, dst string) {
	t.Helper()
	f, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(prefix + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestArchive(t *testing.T) {
	c, err := importPath(t, "testdata/archive", importers.Options{})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	owner := importers.Party{ID: "1122334455", Handle: "victime_fr", Name: "Camille V."}
	bot := importers.Party{ID: "901234567890123456", Handle: "raid_bot_01", Name: "Bot équipe"}
	recs := byID(c)
	tests := []struct {
		id        string
		location  string
		platform  string
		kind      string
		dir       importers.Direction
		sender    importers.Party
		text      string
		time      string
		extra     map[string]string
		recipient string // id of the first recipient, "" for none
	}{
		{id: "1855000000000000001", location: "data/tweets.js#/0/tweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "@raid_bot_01 Arrête & laisse-moi tranquille <3 😢", time: "2024-11-09T11:00:00Z",
			extra: map[string]string{"in_reply_to_status_id": "1854999999999999999", "in_reply_to_screen_name": "raid_bot_01"}, recipient: bot.ID},
		{id: "1855000000000000002", location: "data/tweets.js#/1/tweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "Thread important : ce qui m'arrive depuis hier >> des centaines de messages identiques, envoyés par des comptes créés le même jour. Je documente tout avec une association et je porte plainte. Merci à celles et ceux qui m'ont écrit, vous êtes nombreux & nombreuses, et cela compte énormément pour moi dans ce moment difficile.",
			time: "2024-11-09T12:14:18Z", extra: map[string]string{"note_tweet_id": "1855000000000000000"}},
		{id: "1855000000000000004", location: "data/tweets.js#/3/tweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "RT @troll_two: tu l'as cherché…", time: "2024-11-09T13:00:00Z", extra: map[string]string{"retweet": "true"}, recipient: "7770001"},
		{id: "1855000000000000005", location: "data/tweets.js#/4/tweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "Merci pour vos messages de soutien 💜 (corrigé)", time: "2024-11-09T13:05:00Z", extra: map[string]string{"initialTweetId": "1855000000000000003"}},
		{id: "1855000000000000006", location: "data/tweets-part1.js#/0/tweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "@troll_two je ne te répondrai plus.", time: "2024-11-10T08:00:00Z", recipient: "7770001"},
		{id: "1855000000000000007", location: "data/deleted-tweets.js#/0/tweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "Je ferme mes DM & je passe en privé.", time: "2024-11-09T15:00:00Z", extra: map[string]string{"deleted_at": "Sat Nov 09 15:30:00 +0000 2024"}},
		{id: "1855100000000000001", location: "data/direct-messages.js#/0/dmConversation/messages/1/messageCreate", platform: "x-dm", kind: "message",
			dir: importers.Incoming, sender: bot, text: "t'es finie <3\nsur ta vie 🔪", time: "2024-11-09T10:01:30.597Z", recipient: owner.ID},
		{id: "1855100000000000002", location: "data/direct-messages.js#/0/dmConversation/messages/0/messageCreate", platform: "x-dm", kind: "message",
			dir: importers.Outgoing, sender: owner, text: "Arrête.", time: "2024-11-09T10:05:00.123Z", recipient: bot.ID},
		{id: "1855100000000000009", location: "data/direct-messages.js#/0/dmConversation/messages/1/messageCreate/reactions/0", platform: "x-dm", kind: "reaction",
			dir: importers.Outgoing, sender: owner, text: "sad", time: "2024-11-09T10:04:00Z", extra: map[string]string{"messageId": "1855100000000000001"}},
		{id: "1855100000000000003", location: "data/direct-messages.js#/1/dmConversation/messages/0/messageCreate", platform: "x-dm", kind: "message",
			dir: importers.Incoming, sender: importers.Party{ID: "5550001"}, text: "on a ton adresse & ton numéro", time: "2024-11-09T10:02:00Z", recipient: owner.ID},
		{id: "1855200000000000001", location: "data/direct-messages-group.js#/0/dmConversation/messages/2/messageCreate", platform: "x-dm", kind: "message",
			dir: importers.Incoming, sender: bot, text: "bienvenue dans le groupe 😈", time: "2024-11-09T10:10:30Z"},
		{id: "data/direct-messages-group.js#/0/dmConversation/messages/3/joinConversation", location: "data/direct-messages-group.js#/0/dmConversation/messages/3/joinConversation",
			platform: "x-dm", kind: "event", dir: importers.Incoming, sender: bot, time: "2024-11-09T10:10:00Z",
			extra: map[string]string{"event": "joinConversation", "participantsSnapshot": "901234567890123456,5550001,7770001"}},
		{id: "data/direct-messages-group.js#/0/dmConversation/messages/0/participantsLeave", location: "data/direct-messages-group.js#/0/dmConversation/messages/0/participantsLeave",
			platform: "x-dm", kind: "event", dir: importers.Outgoing, sender: owner, time: "2024-11-09T10:20:00Z",
			extra: map[string]string{"event": "participantsLeave"}},
		{id: "data/note-tweet.js#/1/noteTweet", location: "data/note-tweet.js#/1/noteTweet", platform: "x", kind: "message", dir: importers.Outgoing, sender: owner,
			text: "Un long post dont le tweet a disparu de l'archive.", time: "2024-10-01T09:00:00Z", extra: map[string]string{"note_tweet_id": "1850000000000000000"}},
	}
	for _, tt := range tests {
		r, ok := recs[tt.id]
		if !ok {
			t.Errorf("%s: not imported", tt.id)
			continue
		}
		if r.Location != tt.location {
			t.Errorf("%s: location: got %q, want %q", tt.id, r.Location, tt.location)
		}
		if r.Platform != tt.platform || r.Kind != tt.kind || r.Direction != tt.dir {
			t.Errorf("%s: platform/kind/direction: got %q/%q/%q, want %q/%q/%q", tt.id, r.Platform, r.Kind, r.Direction, tt.platform, tt.kind, tt.dir)
		}
		if r.Sender != tt.sender {
			t.Errorf("%s: sender: got %+v, want %+v", tt.id, r.Sender, tt.sender)
		}
		if r.Text != tt.text {
			t.Errorf("%s: text: got %q, want %q", tt.id, r.Text, tt.text)
		}
		if got := r.Time.Format(time.RFC3339Nano); got != tt.time {
			t.Errorf("%s: time: got %s, want %s", tt.id, got, tt.time)
		}
		for k, want := range tt.extra {
			if got := r.Extra[k]; got != want {
				t.Errorf("%s: extra[%s]: got %q, want %q", tt.id, k, got, want)
			}
		}
		got := ""
		if len(r.Recipients) > 0 {
			got = r.Recipients[0].ID
		}
		if got != tt.recipient {
			t.Errorf("%s: first recipient: got %q, want %q", tt.id, got, tt.recipient)
		}
	}
	// 5 tweets (a sixth element is broken), 1 deleted, 3 DMs (a fourth is broken) + 1 reaction,
	// 2 group DMs + 2 events, 1 lone note.
	if got, want := len(c.Records), 15; got != want {
		t.Errorf("records: got %d, want %d", got, want)
	}
	var skipped []string
	for _, p := range c.Problems {
		if !p.Warning {
			skipped = append(skipped, p.Location)
		}
	}
	if want := []string{"data/tweets.js#/2/tweet", "data/direct-messages.js#/1/dmConversation/messages/1/messageCreate"}; strings.Join(skipped, ";") != strings.Join(want, ";") {
		t.Errorf("skipped: got %v, want %v", c.Problems, want)
	}
}

// TestZip imports the fixture folder as the ZIP the platform gives, and as a ZIP of the folder
// itself (one top folder), and expects the same records as from the folder.
func TestZip(t *testing.T) {
	for _, dir := range []string{"testdata/archive", "testdata/archive-2021", "testdata/grailbird"} {
		want, err := importPath(t, dir, importers.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, prefix := range []string{"", "twitter-2024-11-12-abc123/"} {
			zp := filepath.Join(t.TempDir(), "archive.zip")
			zipDir(t, dir, prefix, zp)
			head, _ := os.ReadFile(zp)
			if !Sniff(head[:min(len(head), 64<<10)], "archive.zip") || !Probe(zp) {
				t.Errorf("%s as zip (prefix %q): Sniff/Probe refused it", dir, prefix)
			}
			got, err := importPath(t, zp, importers.Options{})
			if err != nil {
				t.Fatalf("%s as zip: %v", dir, err)
			}
			if len(got.Records) != len(want.Records) {
				t.Fatalf("%s as zip (prefix %q): records: got %d, want %d", dir, prefix, len(got.Records), len(want.Records))
			}
			for i := range got.Records {
				g, w := got.Records[i], want.Records[i]
				if g.Location != prefix+w.Location {
					t.Errorf("record %d location: got %q, want %q", i, g.Location, prefix+w.Location)
				}
				if g.Hash() != w.Hash() {
					t.Errorf("record %d (%s): hash differs from the folder's", i, g.Location)
				}
			}
		}
	}
}

// copyDir copies the files under src to a new folder dst.
func copyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRenamedFolder: an unzipped archive is recognised by its content, whatever the folder's name
// (cp -r twitter-… myexport), and imports as the archive it is: with its owner, DM directions and
// long posts merged, and with the same record hashes as the ZIP of the same archive, so that
// importing one after the other finds the records already there.
func TestRenamedFolder(t *testing.T) {
	for _, src := range []string{"testdata/archive", "testdata/archive-2021", "testdata/grailbird"} {
		t.Run(filepath.Base(src), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "myexport")
			copyDir(t, src, dir)
			if !Sniff(nil, "myexport") || !Probe(dir) {
				t.Fatalf("Sniff/Probe(%s): refused a copy of %s", dir, src)
			}
			want, err := importPath(t, src, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := importPath(t, dir, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			zp := filepath.Join(t.TempDir(), "twitter-2024-11-12-abc123.zip")
			zipDir(t, dir, "", zp)
			fromZip, err := importPath(t, zp, importers.Options{})
			if err != nil {
				t.Fatal(err)
			}
			hashes := func(c *importers.Collector) string {
				var hs []string
				for _, r := range c.Records {
					hs = append(hs, r.Hash())
				}
				sort.Strings(hs)
				return strings.Join(hs, " ")
			}
			if len(got.Records) != len(want.Records) || hashes(got) != hashes(want) {
				t.Errorf("renamed folder: got %d records, want %d with the same hashes as %s", len(got.Records), len(want.Records), src)
			}
			if hashes(fromZip) != hashes(got) {
				t.Errorf("ZIP of the folder: the record hashes differ from the folder's")
			}
			for _, r := range got.Records {
				if r.Sender.ID == "" && r.Sender.Handle == "" || r.Direction == importers.Unknown {
					t.Errorf("%s: sender %+v, direction %q: the owner was not read", r.Location, r.Sender, r.Direction)
				}
			}
		})
	}
	// A folder of other files, or with a tweets.csv that is not Grailbird's, is not an archive.
	other := filepath.Join(t.TempDir(), "myexport")
	os.MkdirAll(filepath.Join(other, "data"), 0o755)
	os.WriteFile(filepath.Join(other, "tweets.csv"), []byte("date,from,text\n"), 0o644)
	os.WriteFile(filepath.Join(other, "data", "notes.js"), []byte("var x = 1"), 0o644)
	if Probe(other) {
		t.Errorf("Probe(%s): got true for a folder that is no archive", other)
	}
}

func TestZipRefusals(t *testing.T) {
	zp := filepath.Join(t.TempDir(), "evil.zip")
	f, _ := os.Create(zp)
	zw := zip.NewWriter(f)
	add := func(name string, body []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	add("data/account.js", []byte(`window.YTD.account.part0 = [{"account":{"accountId":"1","username":"me"}}]`))
	add("../../etc/evil.js", []byte(`window.YTD.tweets.part0 = []`))
	// A tweets.js that inflates 1000:1: refused before it is read.
	add("data/tweets.js", append([]byte(`window.YTD.tweets.part0 = [`), bytes.Repeat([]byte(" "), 8<<20)...))
	add("data/direct-messages.js", []byte(`window.YTD.direct_messages.part0 = [{"dmConversation":{"conversationId":"1-2","messages":[{"messageCreate":{"recipientId":"1","text":"hi","senderId":"2","id":"9","createdAt":"2024-01-01T00:00:00.000Z"}}]}}]`))
	zw.Close()
	f.Close()
	c, err := importPath(t, zp, importers.Options{})
	if err == nil || !strings.Contains(err.Error(), "decompression bomb") {
		t.Errorf("error: got %v, want the decompression bomb refused", err)
	}
	if len(c.Records) != 1 || c.Records[0].Text != "hi" {
		t.Errorf("records: got %+v, want the one DM", c.Records)
	}
	var locs []string
	for _, p := range c.Problems {
		locs = append(locs, p.Location)
	}
	if want := "../../etc/evil.js;data/tweets.js"; strings.Join(locs, ";") != want {
		t.Errorf("problems: got %v, want locations %s", c.Problems, want)
	}
}

func TestTruncated(t *testing.T) {
	c, err := importPath(t, "testdata/truncated", importers.Options{})
	var pe *importers.ParseError
	if !errors.As(err, &pe) || !errors.Is(err, importers.ErrTruncated) {
		t.Fatalf("error: got %v, want a ParseError wrapping ErrTruncated", err)
	}
	if !strings.HasPrefix(pe.Location, "data/tweets.js#/2 (byte 1846)") {
		t.Errorf("error position: got %q, want data/tweets.js#/2 (byte 1846)", pe.Location)
	}
	// The error is the problem reported: a caller that reports it too can show it once.
	if n := len(c.Problems); n != 1 || c.Problems[0].Location != pe.Location || c.Problems[0].Reason != pe.Err.Error() {
		t.Errorf("problems: got %v, want the one for the returned error %v", c.Problems, pe)
	}
	var got []string
	for _, r := range c.Records {
		got = append(got, r.Text)
	}
	if want := "message 0;message 1;toujours là"; strings.Join(got, ";") != want {
		t.Errorf("records: got %q, want %q (the complete tweets, then the other files)", got, want)
	}
}

// TestDamagedElement: an element of tweet.js that is not valid JSON is reported once, at its
// member path and pointer, and the tweets after it import.
func TestDamagedElement(t *testing.T) {
	c, err := importPath(t, "testdata/damaged", importers.Options{})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	var locs []string
	for _, r := range c.Records {
		locs = append(locs, strings.TrimPrefix(r.Location, "data/tweet.js#/"))
	}
	if want := "0/tweet 1/tweet 2/tweet 3/tweet 5/tweet 6/tweet"; strings.Join(locs, " ") != want {
		t.Errorf("records: got %v, want %s", locs, want)
	}
	want := importers.Problem{Location: "data/tweet.js#/4",
		Reason: "not valid JSON: invalid character 'w' in literal true (expecting 'r') at byte 3201; bytes 2601 to 3238 skipped"}
	if len(c.Problems) != 1 || c.Problems[0].Plain() != want {
		t.Errorf("problems: got %v, want only %v", c.Problems, want)
	}
}

func TestGrailbird(t *testing.T) {
	tests := []struct {
		path      string
		owner     string
		locations []string
		texts     map[string]string // id → text
		wantOwner string
	}{
		{path: "testdata/grailbird",
			locations: []string{"data/js/tweets/2015_10.js#/0", "data/js/tweets/2015_10.js#/1", "data/js/tweets/2015_10.js#/2", "data/js/tweets/2015_11.js#/0"},
			texts:     map[string]string{"652000000000000002": "@harceleur1 stop.\nVraiment.\r\nStop & merci", "663000000000000001": "Novembre ✨"},
			wantOwner: "1122334455"},
		{path: "testdata/grailbird/tweets.csv", owner: "victime_fr",
			locations: []string{"tweets.csv line 2", "tweets.csv line 3", "tweets.csv line 6"},
			texts: map[string]string{"652000000000000002": "@harceleur1 stop.\nVraiment.\r\nStop & merci",
				"652000000000000003": `RT @harceleur1: "elle" ment`, "652000000000000001": "Premier tweet <3"}},
	}
	for _, tt := range tests {
		c, err := importPath(t, tt.path, importers.Options{Owner: tt.owner})
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		var locs []string
		for _, r := range c.Records {
			locs = append(locs, r.Location)
			if tt.wantOwner != "" && r.Sender.ID != tt.wantOwner {
				t.Errorf("%s: sender: got %+v, want id %s", r.Location, r.Sender, tt.wantOwner)
			}
			if tt.owner != "" && r.Sender.Handle != tt.owner {
				t.Errorf("%s: sender: got %+v, want handle %s", r.Location, r.Sender, tt.owner)
			}
			if r.Time.IsZero() || r.Direction != importers.Outgoing {
				t.Errorf("%s: time %v, direction %q", r.Location, r.Time, r.Direction)
			}
		}
		if strings.Join(locs, ";") != strings.Join(tt.locations, ";") {
			t.Errorf("%s: locations: got %v, want %v", tt.path, locs, tt.locations)
		}
		recs := byID(c)
		for id, want := range tt.texts {
			if got := recs[id].Text; got != want {
				t.Errorf("%s %s: text: got %q, want %q", tt.path, id, got, want)
			}
		}
	}
}

func TestGrailbirdCSVProblems(t *testing.T) {
	const header = `"tweet_id","in_reply_to_status_id","in_reply_to_user_id","timestamp","source","text","retweeted_status_id","retweeted_status_user_id","retweeted_status_timestamp","expanded_urls"` + "\n"
	row := func(id, text string) string {
		return fmt.Sprintf(`"%s","","","2015-10-14 03:00:00 +0000","web","%s","","","",""`+"\n", id, text)
	}
	tests := []struct {
		name      string
		csv       string
		records   int
		problems  []string
		truncated bool
	}{
		{"good", header + row("1", "a") + row("2", "b\nc"), 2, nil, false},
		{"short row", header + row("1", "a") + `"2","x"` + "\n" + row("3", "c"), 2, []string{"tweets.csv line 3"}, false},
		{"bad quote", header + row("1", "a") + `"2","","","2015-10-14 03:00:00 +0000","web","x"y","","","",""` + "\n" + row("3", "c"), 2, []string{"tweets.csv line 3"}, false},
		{"truncated", header + row("1", "a") + `"2","","","2015-10-14 03:00:00 +0000","web","cut in the mid`, 1, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "tweets.csv")
			os.WriteFile(p, []byte(tt.csv), 0o644)
			c, err := importPath(t, p, importers.Options{Owner: "me"})
			if tt.truncated != errors.Is(err, importers.ErrTruncated) {
				t.Errorf("error: got %v, want truncated %v", err, tt.truncated)
			}
			if got := len(c.Records); got != tt.records {
				t.Errorf("records: got %d, want %d", got, tt.records)
			}
			var locs []string
			for _, p := range c.Problems {
				if !p.Warning {
					locs = append(locs, p.Location)
				}
			}
			if !tt.truncated && strings.Join(locs, ";") != strings.Join(tt.problems, ";") {
				t.Errorf("problems: got %v, want %v", c.Problems, tt.problems)
			}
		})
	}
}

func TestSniffProbe(t *testing.T) {
	head := func(p string) []byte {
		b, _ := os.ReadFile(p)
		if len(b) > 512 {
			b = b[:512]
		}
		return b
	}
	tests := []struct {
		name       string
		head       []byte
		path       string
		sniff      bool
		probe      bool
		checkProbe bool
	}{
		{"folder", nil, "testdata/archive", true, true, true},
		{"2021 folder", nil, "testdata/archive-2021", true, true, true},
		{"grailbird folder", nil, "testdata/grailbird", true, true, true},
		{"other folder", nil, "testdata/archive/data/tweets_media", true, false, true},
		{"any folder name", nil, "", true, false, false}, // Probe decides from the content
		{"tweets.js alone", head("testdata/archive/data/tweets.js"), "", true, false, false},
		{"group DMs alone", head("testdata/archive/data/direct-messages-group.js"), "", true, false, false},
		{"account.js alone", head("testdata/archive/data/account.js"), "", false, false, false},
		{"like.js alone", head("testdata/archive/data/like.js"), "", false, false, false},
		{"grailbird month", head("testdata/grailbird/data/js/tweets/2015_10.js"), "", true, false, false},
		{"tweets.csv", head("testdata/grailbird/tweets.csv"), "", true, false, false},
		{"json", []byte(`{"data":[]}`), "", false, false, false},
	}
	for _, tt := range tests {
		name := filepath.Base(tt.path)
		if tt.path == "" {
			name = "Downloads"
		}
		if got := Sniff(tt.head, name); got != tt.sniff {
			t.Errorf("%s: Sniff: got %v, want %v", tt.name, got, tt.sniff)
		}
		if tt.checkProbe {
			if got := Probe(tt.path); got != tt.probe {
				t.Errorf("%s: Probe: got %v, want %v", tt.name, got, tt.probe)
			}
		}
	}
	other := filepath.Join(t.TempDir(), "other.zip")
	zipDir(t, "testdata/archive/data/tweets_media", "", other)
	if Probe(other) {
		t.Errorf("Probe(zip without archive data): got true, want false")
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		file     string
		records  int
		first    string
		problems int
	}{
		{"testdata/archive/data/tweets.js", 4, "#/0/tweet", 1},
		{"testdata/archive/data/direct-messages-group.js", 4, "#/0/dmConversation/messages/0/participantsLeave", 0},
		{"testdata/grailbird/tweets.csv", 3, "line 2", 1}, // the warning that the owner is unknown
		{"testdata/grailbird/data/js/tweets/2015_10.js", 3, "#/0", 0},
	}
	for _, tt := range tests {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var c importers.Collector
		if err := Read(context.Background(), bytes.NewReader(b), importers.Options{}, &c); err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if len(c.Records) != tt.records || len(c.Problems) != tt.problems {
			t.Errorf("%s: got %d records, %d problems %v; want %d, %d", tt.file, len(c.Records), len(c.Problems), c.Problems, tt.records, tt.problems)
			continue
		}
		if got := c.Records[0].Location; got != tt.first {
			t.Errorf("%s: first location: got %q, want %q", tt.file, got, tt.first)
		}
	}
	zp := filepath.Join(t.TempDir(), "a.zip")
	zipDir(t, "testdata/archive", "", zp)
	zb, _ := os.ReadFile(zp)
	var zc importers.Collector
	if err := Read(context.Background(), bytes.NewReader(zb), importers.Options{}, &zc); err != nil || len(zc.Records) != 15 {
		t.Errorf("Read(archive zip): got %d records, %v; want 15, nil", len(zc.Records), err)
	}
	var c importers.Collector
	err := Read(context.Background(), strings.NewReader(`{"data":[]}`), importers.Options{}, &c)
	if !errors.Is(err, importers.ErrNotFormat) {
		t.Errorf("Read(JSON): got %v, want ErrNotFormat", err)
	}
}

func TestLoneFile(t *testing.T) {
	c, err := importPath(t, "testdata/archive/data/direct-messages.js", importers.Options{Owner: "1122334455"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(c.Records), 4; got != want {
		t.Fatalf("records: got %d, want %d", got, want)
	}
	r := c.Records[1]
	if r.Location != "direct-messages.js#/0/dmConversation/messages/1/messageCreate" || r.Direction != importers.Incoming {
		t.Errorf("record: got %s %q, want the bot's DM, incoming", r.Location, r.Direction)
	}
	if c.Records[0].Direction != importers.Outgoing {
		t.Errorf("owner's DM: got direction %q, want out", c.Records[0].Direction)
	}
}

// TestGolden compares the whole output for each fixture archive with testdata/golden/<name>.json.
func TestGolden(t *testing.T) {
	for _, name := range []string{"archive", "archive-2021", "truncated", "grailbird", "damaged"} {
		t.Run(name, func(t *testing.T) {
			c, err := importPath(t, filepath.Join("testdata", name), importers.Options{})
			out := struct {
				Records  []importers.Record
				Problems []importers.Problem
				Error    string `json:",omitempty"`
			}{Records: c.Records, Problems: c.Problems}
			if err != nil {
				out.Error = err.Error()
			}
			got, _ := json.MarshalIndent(out, "", "  ")
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", name+".json")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s; got:\n%s", golden, got)
			}
		})
	}
}

func TestProgress(t *testing.T) {
	var last, total int64
	calls := 0
	opt := importers.Options{Progress: func(done, tot int64) {
		if done < last {
			t.Errorf("progress went back: %d after %d", done, last)
		}
		last, total = done, tot
		calls++
	}}
	if _, err := importPath(t, "testdata/archive", opt); err != nil {
		t.Fatal(err)
	}
	// account, note-tweet, tweets, tweets-part1, deleted-tweets, DMs, group DMs (manifest and
	// like.js are not counted).
	var want int64
	for _, f := range []string{"account.js", "note-tweet.js", "tweets.js", "tweets-part1.js", "deleted-tweets.js", "direct-messages.js", "direct-messages-group.js"} {
		st, err := os.Stat(filepath.Join("testdata/archive/data", f))
		if err != nil {
			t.Fatal(err)
		}
		want += st.Size()
	}
	if calls == 0 || last != want || total != want {
		t.Errorf("progress: got %d calls, last %d of %d; want %d of %d", calls, last, total, want, want)
	}
}

func TestMatchNote(t *testing.T) {
	at := time.Date(2024, 11, 9, 12, 14, 18, 0, time.UTC)
	tests := []struct {
		name  string
		notes []string // texts, all created at the same second
		tweet string
		want  int // index of the matched note, -1 for none
	}{
		{"prefix and link", []string{"Hello world, this is long"}, "Hello world, this… https://t.co/x", 0},
		{"second of two", []string{"Other text", "Hello world, this is long"}, "Hello world, this… https://t.co/x", 1},
		{"whitespace differs", []string{"Hello\n\nworld again"}, "Hello world… https://t.co/x", 0},
		{"no common start", []string{"Something else"}, "Hello world… https://t.co/x", -1},
		{"only a link, one note", []string{"Anything"}, "https://t.co/x", 0},
		{"only a link, two notes", []string{"A", "B"}, "https://t.co/x", -1},
	}
	for _, tt := range tests {
		a := newArchive(context.Background(), importers.Options{}, &importers.Collector{})
		var notes []*note
		for _, text := range tt.notes {
			nt := &note{text: strings.ReplaceAll(text, `\n`, "\n"), created: at}
			notes = append(notes, nt)
			a.notes[at.Unix()] = append(a.notes[at.Unix()], nt)
		}
		got := a.matchNote(at, tt.tweet)
		want := (*note)(nil)
		if tt.want >= 0 {
			want = notes[tt.want]
		}
		if got != want {
			t.Errorf("%s: got %v, want %v", tt.name, got, want)
		}
		if a.matchNote(at.Add(time.Second), tt.tweet) != nil {
			t.Errorf("%s: matched a note one second off", tt.name)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var c importers.Collector
	if err := Import(ctx, "testdata/archive", importers.Options{}, &c); !errors.Is(err, context.Canceled) {
		t.Errorf("error: got %v, want context.Canceled", err)
	}
}

// memSource is an archive held in memory, for fuzzing one data file.
type memSource map[string][]byte

func (m memSource) names() []string {
	var l []string
	for n := range m {
		l = append(l, n)
	}
	sort.Strings(l)
	return l
}
func (m memSource) close() error           { return nil }
func (m memSource) size(name string) int64 { return int64(len(m[name])) }
func (m memSource) open(name string) (io.ReadCloser, int64, error) {
	b, ok := m[name]
	if !ok {
		return nil, 0, fs.ErrNotExist
	}
	return io.NopCloser(bytes.NewReader(b)), int64(len(b)), nil
}

// FuzzFile feeds the same bytes to every data-file parser: it must never panic, and every record
// and problem must carry a location.
func FuzzFile(f *testing.F) {
	filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.Contains(p, "golden") && !strings.HasSuffix(p, ".jpg") {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
				for _, v := range fuzzseed.Hostile(b) {
					f.Add(v)
				}
			}
		}
		return nil
	})
	names := map[kind]string{kindAccount: "data/account.js", kindNotes: "data/note-tweet.js", kindTweets: "data/tweets.js",
		kindDeleted: "data/deleted-tweets.js", kindDMs: "data/direct-messages.js", kindGroupDMs: "data/direct-messages-group.js",
		kindGrailUser: "data/js/user_details.js", kindGrailJS: "data/js/tweets/2015_10.js", kindGrailCSV: "tweets.csv"}
	f.Fuzz(func(t *testing.T, data []byte) {
		for k, name := range names {
			var c importers.Collector
			a := newArchive(context.Background(), importers.Options{}.WithDefaults(), &c)
			a.files = []member{{name: name, kind: k, count: -1}}
			a.read(memSource{name: data})
			for _, r := range c.Records {
				if r.Location == "" {
					t.Fatalf("record without location: %+v", r)
				}
			}
			for _, p := range c.Problems {
				if p.Location == "" {
					t.Fatalf("problem without location: %+v", p)
				}
			}
		}
		var c importers.Collector
		a := newArchive(context.Background(), importers.Options{}.WithDefaults(), &c)
		a.readManifest(memSource{"data/manifest.js": data}, "data/manifest.js")
		c = importers.Collector{}
		Read(context.Background(), bytes.NewReader(data), importers.Options{}, &c)
		for _, p := range c.Problems {
			if p.Location == "" {
				t.Fatalf("Read: problem without location: %+v", p)
			}
		}
	})
}

func ExampleImport() {
	var c importers.Collector
	err := Import(context.Background(), "testdata/archive", importers.Options{}, &c)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range c.Records[6:8] {
		fmt.Printf("%s %s %s @%s: %q\n", r.Platform, r.Direction, r.Time.Format(time.RFC3339), r.Sender.Handle, r.Text)
	}
	// Output:
	// x-dm out 2024-11-09T10:05:00Z @victime_fr: "Arrête."
	// x-dm in 2024-11-09T10:01:30Z @raid_bot_01: "t'es finie <3\nsur ta vie 🔪"
}

// BenchmarkXArchive imports a generated archive ZIP of a few MB: tweets.js and direct-messages.js.
func BenchmarkXArchive(b *testing.B) {
	dir := b.TempDir()
	var tw, dm bytes.Buffer
	msgs := 0
	tw.WriteString("window.YTD.tweets.part0 = [")
	for i := 0; tw.Len() < 3<<20; i++ {
		if i > 0 {
			tw.WriteString(",")
		}
		fmt.Fprintf(&tw, `
  {
    "tweet" : {
      "retweeted" : false,
      "entities" : {
        "user_mentions" : [ { "name" : "Troll %d", "screen_name" : "troll%d", "indices" : [ "0", "9" ], "id_str" : "%d", "id" : "%d" } ]
      },
      "id_str" : "%d",
      "in_reply_to_user_id_str" : "%d",
      "in_reply_to_screen_name" : "troll%d",
      "id" : "%d",
      "created_at" : "Sat Nov 09 12:%02d:%02d +0000 2024",
      "full_text" : "@troll%d laisse-moi tranquille &amp; arrête 😢 message %d",
      "lang" : "fr"
    }
  }`, i%500, i%500, 1000+i%500, 1000+i%500, 1855000000000000000+i, 1000+i%500, i%500, 1855000000000000000+i, (i/60)%60, i%60, i%500, i)
		msgs++
	}
	tw.WriteString("\n]")
	dm.WriteString("window.YTD.direct_messages.part0 = [")
	for c := 0; dm.Len() < 2<<20; c++ {
		if c > 0 {
			dm.WriteString(",")
		}
		fmt.Fprintf(&dm, `{"dmConversation":{"conversationId":"%d-1122334455","messages":[`, 1000+c)
		for j := 0; j < 20; j++ {
			if j > 0 {
				dm.WriteString(",")
			}
			fmt.Fprintf(&dm, `{"messageCreate":{"recipientId":"1122334455","reactions":[],"urls":[],"text":"t'es finie &lt;3 %d","mediaUrls":[],"senderId":"%d","id":"%d","createdAt":"2024-11-09T10:%02d:%02d.000Z"}}`,
				j, 1000+c, 1855100000000000000+c*20+j, j, c%60)
			msgs++
		}
		dm.WriteString("]}}")
	}
	dm.WriteString("]")
	os.MkdirAll(filepath.Join(dir, "src", "data"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "data", "account.js"), []byte(`window.YTD.account.part0 = [{"account":{"accountId":"1122334455","username":"victime_fr","accountDisplayName":"Camille"}}]`), 0o644)
	os.WriteFile(filepath.Join(dir, "src", "data", "tweets.js"), tw.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "src", "data", "direct-messages.js"), dm.Bytes(), 0o644)
	zp := filepath.Join(dir, "archive.zip")
	zipDir(b, filepath.Join(dir, "src"), "", zp)
	size := int64(tw.Len() + dm.Len())
	b.SetBytes(size)
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		var n countSink
		if err := Import(context.Background(), zp, importers.Options{}, &n); err != nil {
			b.Fatal(err)
		}
		if n.records != msgs {
			b.Fatalf("records: got %d, want %d", n.records, msgs)
		}
		peak = max(peak, n.peakHeap)
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
	b.ReportMetric(float64(msgs)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(size)*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// countSink counts what it receives and samples the heap every few thousand records.
type countSink struct {
	records, problems int
	peakHeap          uint64
}

func (c *countSink) Record(importers.Record) error {
	c.records++
	if c.records%4096 == 0 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		c.peakHeap = max(c.peakHeap, ms.HeapInuse)
	}
	return nil
}
func (c *countSink) Problem(importers.Problem) { c.problems++ }

func TestSniffZipHead(t *testing.T) {
	build := func(names ...string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, n := range names {
			w, _ := zw.Create(n)
			w.Write([]byte("window.YTD.x.part0 = []"))
		}
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		names []string
		want  bool
	}{
		{[]string{"Your archive.html", "assets/app.js"}, true},
		{[]string{"data/manifest.js"}, true},
		{[]string{"twitter-2024/data/tweets.js"}, true},
		{[]string{"tweets.csv", "data/js/tweets/2015_10.js"}, true},
		{[]string{"css/app.css", "data/js/tweet_index.js"}, true},
		{[]string{"sms.xml"}, false},
		{[]string{"export/messages.csv", "export/data/readme.txt"}, false},
	}
	for _, tt := range tests {
		if got := Sniff(build(tt.names...), "a.zip"); got != tt.want {
			t.Errorf("Sniff(zip of %v): got %v, want %v", tt.names, got, tt.want)
		}
	}
}
