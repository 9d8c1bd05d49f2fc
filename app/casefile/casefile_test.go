package casefile

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/importers"
)

// lineFormat is a tiny stand-in for a real importer: one "unixms|sender|text" record per line.
// A line without two "|" is a skipped record; a last line without a newline means the file is
// truncated (ParseError wrapping ErrTruncated); a line "FAIL" is a hard failure.
var lineFormat = importers.StreamFormat("lines", "Test lines",
	func(head []byte, name string) bool { return bytes.Count(head, []byte("|")) >= 2 },
	func(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
		br := bufio.NewReader(r)
		for n := 1; ; n++ {
			line, err := br.ReadString('\n')
			if err == io.EOF {
				if line == "" {
					return nil
				}
				return &importers.ParseError{Line: n, Err: importers.ErrTruncated}
			}
			if err != nil {
				return err
			}
			line = strings.TrimSuffix(line, "\n")
			if line == "FAIL" {
				return errors.New("hard failure")
			}
			f := strings.SplitN(line, "|", 3)
			if len(f) != 3 {
				sink.Problem(importers.Problem{Location: fmt.Sprintf("line %d", n), Reason: "want time|sender|text"})
				continue
			}
			rec := importers.Record{Location: fmt.Sprintf("line %d", n), Platform: "sms", RawTime: f[0],
				Sender: importers.Party{Raw: f[1], E164: f[1]}, Direction: importers.Incoming, Text: f[2], Kind: "message"}
			if ms, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				rec.Time = time.UnixMilli(ms).UTC()
			} else {
				sink.Problem(importers.Problem{Location: rec.Location, Reason: "bad time", Warning: true})
			}
			if f[1] == "me" {
				rec.Direction = importers.Outgoing
			}
			if err := sink.Record(rec); err != nil {
				return err
			}
		}
	})

// fakeLines returns n records, from start, with texts cycling through raid and ordinary texts.
func fakeLines(start, n int) string {
	var b strings.Builder
	t0 := int64(1_763_000_000_000)
	for i := start; i < start+n; i++ {
		text := fmt.Sprintf("ordinary message %d", i)
		if i%3 == 0 {
			text = "tu vas le payer, on sait où tu habites"
		}
		fmt.Fprintf(&b, "%d|+3361234%04d|%s\n", t0+int64(i)*1000, i%10000, text)
	}
	return b.String()
}

func writeFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func newCase(t testing.TB) *Case {
	t.Helper()
	c, err := Create(context.Background(), filepath.Join(t.TempDir(), "test"+Extension), Info{Name: "Test", Examiner: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestCreateOpenReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "case"+Extension)
	c, err := Create(ctx, path, Info{Name: "Raid on A.", Org: "Assoc"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if in.ID == "" || in.TimeZone != "Europe/Paris" || in.Region != "FR" || in.Currency != "EUR" || in.Created.IsZero() {
		t.Errorf("defaults: got %+v", in)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: got %v, want nil", err)
	}
	if _, err := Create(ctx, path, Info{}); err == nil {
		t.Errorf("Create over an existing case: got nil error")
	}
	for range 2 { // reopen twice: migrations are idempotent
		c, err = Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != in {
			t.Errorf("reopened info: got %+v, want %+v", got, in)
		}
		var n int
		c.r.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
		if names, _ := migrationFS.ReadDir("migrations"); n != len(names) {
			t.Errorf("schema_migrations rows: got %d, want %d", n, len(names))
		}
		if err := c.VerifyCustody(ctx); err != nil {
			t.Error(err)
		}
		c.Close()
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("lock file left after Close: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*")); len(left) != 1 {
		t.Errorf("files beside the case: got %v, want only the case", left)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	for i := range 3 {
		if err := migrate(ctx, c.w); err != nil {
			t.Fatalf("migrate #%d: %v", i, err)
		}
	}
	var n int
	c.r.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
	names, _ := migrationFS.ReadDir("migrations")
	if n != len(names) {
		t.Errorf("schema_migrations: got %d rows, want %d", n, len(names))
	}
	// A case made before 0002 is brought up to date.
	for _, stmt := range []string{"ALTER TABLE sources DROP COLUMN folder", "DELETE FROM schema_migrations WHERE version = 2"} {
		if _, err := c.w.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if err := migrate(ctx, c.w); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Sources(ctx); err != nil {
		t.Errorf("sources after migrating 0002: %v", err)
	}
	// A case from a newer version is refused.
	if _, err := c.w.Exec("INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, c.w); !errors.Is(err, ErrNewer) {
		t.Errorf("migrate on a newer case: got %v, want ErrNewer", err)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name, content string
		want          error
	}{
		{"text.raidcase", "hello, not a database", ErrNotCase},
		{"empty.raidcase", "", ErrNotCase},
	}
	for _, tt := range tests {
		p := writeFile(t, dir, tt.name, tt.content)
		if _, err := Open(ctx, p); !errors.Is(err, tt.want) {
			t.Errorf("Open(%s): got %v, want %v", tt.name, err, tt.want)
		}
	}
	// A SQLite database of another application, and an empty one.
	for _, name := range []string{"other.db", "empty.db"} {
		p := filepath.Join(dir, name)
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		if name == "other.db" {
			db.Exec("CREATE TABLE t (x)")
		} else {
			db.Exec("PRAGMA user_version = 1")
		}
		db.Close()
		before, _ := os.ReadFile(p)
		if _, err := Open(ctx, p); !errors.Is(err, ErrNotCase) {
			t.Errorf("Open(%s): got %v, want ErrNotCase", name, err)
		}
		if after, _ := os.ReadFile(p); !bytes.Equal(before, after) {
			t.Errorf("Open(%s) changed the file", name)
		}
	}
	if _, err := Open(ctx, filepath.Join(dir, "missing.raidcase")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open(missing): got %v, want ErrNotExist", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.raidcase")); !os.IsNotExist(err) {
		t.Errorf("Open(missing) created the file")
	}
}

func TestSecondInstanceLocked(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	if _, err := Open(ctx, c.Path()); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: got %v, want ErrLocked", err)
	}
	// The refused Open must not have disturbed the first instance.
	if _, err := c.Log(ctx, "note", map[string]any{"text": "still writable"}); err != nil {
		t.Fatal(err)
	}
	c.Close()
	c2, err := Open(ctx, c.Path())
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	c2.Close()
}

// TestLockedByAnyName: the lock is on the file, not its name: while a case is open, opening it
// through a hard link, a symbolic link or another spelling of its path is refused, in this
// process and in another one (a child test binary), and the refusals leave the first instance
// writable.
func TestLockedByAnyName(t *testing.T) {
	if p := os.Getenv("RAIDTRACE_LOCK_CHILD"); p != "" {
		c, err := Open(context.Background(), p)
		if err == nil {
			c.Close()
		}
		fmt.Printf("lockchild: %v\n", errors.Is(err, ErrLocked))
		return
	}
	ctx := context.Background()
	c := newCase(t)
	dir := filepath.Dir(c.Path())
	hard := filepath.Join(dir, "hard"+Extension)
	if err := os.Link(c.Path(), hard); err != nil {
		t.Skip("no hard links here:", err)
	}
	soft := filepath.Join(dir, "soft"+Extension)
	if err := os.Symlink(c.Path(), soft); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, ".", "x", "..", filepath.Base(c.Path()))
	os.Mkdir(filepath.Join(dir, "x"), 0o700)
	for _, p := range []string{c.Path(), hard, soft, other} {
		if c2, err := Open(ctx, p); !errors.Is(err, ErrLocked) {
			if err == nil {
				c2.Close()
			}
			t.Errorf("in-process Open(%s): got %v, want ErrLocked", p, err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestLockedByAnyName$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RAIDTRACE_LOCK_CHILD="+p)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "lockchild: true") {
			t.Errorf("second process Open(%s): got %q, %v, want ErrLocked", p, out, err)
		}
		if _, err := c.Log(ctx, "note", map[string]any{"text": "still writable"}); err != nil {
			t.Fatalf("after the refused Open(%s): %v", p, err)
		}
	}
	c.Close()
	c2, err := Open(ctx, hard)
	if err != nil {
		t.Fatalf("Open through the hard link after Close: %v", err)
	}
	c2.Close()
}

func TestPermissions(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 10))
	if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		st, err := os.Stat(c.Path() + suffix)
		if err != nil {
			t.Errorf("%s: %v", suffix, err)
			continue
		}
		if got := st.Mode().Perm(); got&0o077 != 0 {
			t.Errorf("case%s permissions: got %v, want user-only", suffix, got)
		}
	}
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name                          string
		content                       string
		imported, duplicates, skipped int
		problems                      int
		already                       bool
	}{
		{"first.txt", fakeLines(0, 100), 100, 0, 0, 0, false},
		{"first-copy.txt", fakeLines(0, 100), 0, 100, 0, 0, true},                  // same bytes
		{"overlap.txt", fakeLines(50, 100), 50, 50, 0, 0, false},                   // overlapping export
		{"broken.txt", fakeLines(200, 5) + "garbage\n" + "x|y", 5, 0, 2, 2, false}, // bad line + truncated
		{"badtime.txt", "yesterday|+33600000000|hello\n", 1, 0, 0, 1, false},       // warning only
		{"empty.txt", "", 0, 0, 0, 0, false},
		// the same record three times in one file is three messages (three identical donations,
		// "lol" sent three times in one minute); a re-export holding them is recognised, and one
		// holding a fourth adds only that one
		{"repeat.txt", strings.Repeat("1763000500000|+33611112222|lol\n", 3) + "1763000500000|+33622223333|lol\n", 4, 0, 0, 0, false},
		{"repeat-again.txt", "1763000400000|+33633334444|x\n" + strings.Repeat("1763000500000|+33611112222|lol\n", 3), 1, 3, 0, 0, false},
		{"repeat-more.txt", strings.Repeat("1763000500000|+33611112222|lol\n", 4), 1, 3, 0, 0, false},
	}
	c := newCase(t)
	total := 0
	for _, tt := range tests {
		p := writeFile(t, dir, tt.name, tt.content)
		var calls int
		sum, err := c.Import(ctx, p, lineFormat, func(done, total int64, records int) { calls++ })
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := []int{sum.Imported, sum.Duplicates, sum.Skipped, len(sum.Problems)}
		want := []int{tt.imported, tt.duplicates, tt.skipped, tt.problems}
		if fmt.Sprint(got) != fmt.Sprint(want) || sum.AlreadyImported != tt.already {
			t.Errorf("%s: got imported, duplicates, skipped, problems %v already %v, want %v %v (problems %v)",
				tt.name, got, sum.AlreadyImported, want, tt.already, sum.Problems)
		}
		if want := sha([]byte(tt.content)); sum.Source.SHA256 != want {
			t.Errorf("%s: sha256 got %s, want %s", tt.name, sum.Source.SHA256, want)
		}
		if !tt.already && (!sum.Source.Complete || sum.Source.Records != tt.imported) {
			t.Errorf("%s: source got %+v", tt.name, sum.Source)
		}
		total += tt.imported
	}
	n, err := c.CountMessages(ctx)
	if err != nil || n != total {
		t.Errorf("CountMessages: got %d, %v, want %d", n, err, total)
	}
	srcs, err := c.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != len(tests)-1 {
		t.Errorf("sources: got %d, want %d", len(srcs), len(tests)-1)
	}
	// Originals come back byte for byte.
	for _, s := range srcs {
		rc, err := c.Original(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(b)) != s.Size || sha(b) != s.SHA256 {
			t.Errorf("original of %s: got %d bytes sha %s, want %d %s", s.Name, len(b), sha(b), s.Size, s.SHA256)
		}
	}
	if _, err := c.Original(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("Original(999): got %v, want ErrNotFound", err)
	}
	// The broken file's problems name their location.
	var broken Source
	for _, s := range srcs {
		if s.Name == "broken.txt" {
			broken = s
		}
	}
	if len(broken.Problems) != 2 || broken.Problems[0].Location != "line 6" || broken.Problems[1].Location != "line 7" {
		t.Errorf("broken problems: got %+v", broken.Problems)
	}
	// The custody log has create + one import per call, and verifies.
	log, err := c.Custody(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1+len(tests) {
		t.Errorf("custody entries: got %d, want %d", len(log), 1+len(tests))
	}
	if err := c.Check(ctx); err != nil {
		t.Error(err)
	}
	if log[2].Details["already_imported"] != true {
		t.Errorf("re-import entry: got %v", log[2].Details)
	}
}

func TestImportFailureLeavesCaseUnchanged(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	dir := t.TempDir()
	p := writeFile(t, dir, "fail.txt", fakeLines(0, 500)+"FAIL\n")
	if _, err := c.Import(ctx, p, lineFormat, nil); err == nil || !strings.Contains(err.Error(), "hard failure") {
		t.Errorf("got %v, want hard failure", err)
	}
	assertEmpty(t, c)
}

func assertEmpty(t *testing.T, c *Case) {
	t.Helper()
	ctx := context.Background()
	for _, table := range []string{"sources", "source_chunks", "messages"} {
		var n int
		c.r.QueryRow("SELECT count(*) FROM " + table).Scan(&n)
		if n != 0 {
			t.Errorf("%s: got %d rows, want 0", table, n)
		}
	}
	log, _ := c.Custody(ctx)
	if len(log) != 1 {
		t.Errorf("custody: got %d entries, want 1 (create)", len(log))
	}
}

// cancelAfter wraps a sink and cancels after n records.
type cancelAfter struct {
	importers.Sink
	n      int
	cancel func()
}

func (s *cancelAfter) Record(r importers.Record) error {
	if s.n--; s.n == 0 {
		s.cancel()
	}
	return s.Sink.Record(r)
}

func TestImportCancel(t *testing.T) {
	c := newCase(t)
	p := writeFile(t, t.TempDir(), "big.txt", fakeLines(0, 20000))
	tests := []struct {
		name  string
		after int // records; 0 = at the first progress report (hashing)
	}{
		{"while hashing", 0},
		{"first batch", 1},
		{"mid-parse", 1000},
		{"last record", 20000},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithCancel(context.Background())
		f := lineFormat
		f.Import = func(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
			return lineFormat.Import(ctx, path, opt, &cancelAfter{Sink: sink, n: tt.after, cancel: cancel})
		}
		_, err := c.Import(ctx, p, f, func(done, total int64, records int) {
			if tt.after == 0 {
				cancel()
			}
		})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", tt.name, err)
		}
		assertEmpty(t, c)
	}
	// The same file then imports fully.
	sum, err := c.Import(context.Background(), p, lineFormat, nil)
	if err != nil || sum.Imported != 20000 {
		t.Errorf("after cancel: got %d, %v", sum.Imported, err)
	}
}

func TestImportDiskFull(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	var pages int64
	c.w.QueryRow("PRAGMA page_count").Scan(&pages)
	// The writer is a single connection, so this limit applies to every write.
	if _, err := c.w.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+20)); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, t.TempDir(), "big.txt", fakeLines(0, 20000))
	_, err := c.Import(ctx, p, lineFormat, nil)
	if !errors.Is(err, ErrNoSpace) {
		t.Fatalf("got %v, want ErrNoSpace", err)
	}
	assertEmpty(t, c)
	if err := c.VerifyCustody(ctx); err != nil {
		t.Error(err)
	}
}

func TestMessages(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	content := "3000|+33600000003|third\n" + "nope|+33600000009|no time\n" + "1000|+33600000001|first\n" +
		"2000|me|second, mine\n" + "3000|+33600000004|third bis\n" + "never|+33600000008|no time either\n"
	p := writeFile(t, t.TempDir(), "m.txt", content)
	if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
		t.Fatal(err)
	}
	msgs, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, m.Text)
	}
	want := []string{"first", "second, mine", "third", "third bis", "no time", "no time either"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order: got %q, want %q", got, want)
	}
	m := msgs[0]
	if m.Location != "line 3" || m.Sender.E164 != "+33600000001" || !m.Time.Equal(time.UnixMilli(1000)) ||
		m.RawTime != "1000" || m.Hash != m.Record.Hash() || m.SourceSHA256 != sha([]byte(content)) {
		t.Errorf("first message: got %+v", m)
	}
	if msgs[1].Direction != importers.Outgoing || !msgs[4].Time.IsZero() {
		t.Errorf("direction/time: got %+v / %+v", msgs[1], msgs[4])
	}
	page, err := c.MessagesPage(ctx, 1, 2)
	if err != nil || len(page) != 2 || page[0].ID != msgs[1].ID || page[1].ID != msgs[2].ID {
		t.Errorf("MessagesPage(1, 2): got %v, %v", page, err)
	}
	// Walking with MessagesAfter, page sizes 1 to 5, gives Messages.
	for size := 1; size <= 5; size++ {
		var walked []int64
		for after := int64(0); ; {
			page, err := c.MessagesAfter(ctx, after, size)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range page {
				walked = append(walked, m.ID)
			}
			if len(page) < size {
				break
			}
			after = page[len(page)-1].ID
		}
		var want []int64
		for _, m := range msgs {
			want = append(want, m.ID)
		}
		if fmt.Sprint(walked) != fmt.Sprint(want) {
			t.Errorf("MessagesAfter pages of %d: got %v, want %v", size, walked, want)
		}
	}
	one, err := c.Message(ctx, msgs[2].ID)
	if err != nil || one.Text != "third" {
		t.Errorf("Message: got %+v, %v", one, err)
	}
	if _, err := c.Message(ctx, 12345); !errors.Is(err, ErrNotFound) {
		t.Errorf("Message(12345): got %v, want ErrNotFound", err)
	}
	if got := ExhibitID(123); got != "M000123" {
		t.Errorf("ExhibitID: got %s", got)
	}
}

func TestAnalyze(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	if _, err := c.LatestAnalysis(ctx); !errors.Is(err, ErrNotFound) {
		t.Errorf("LatestAnalysis before any: got %v, want ErrNotFound", err)
	}
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 300))
	if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
		t.Fatal(err)
	}
	var a *Analysis
	for run := 1; run <= 2; run++ {
		var err error
		a, err = c.Analyze(ctx, analysis.DefaultParams(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Result.Clusters) == 0 || a.Run != int64(run) || len(a.MessageIDs) != 300 {
			t.Fatalf("run %d: got run %d, %d clusters, %d ids", run, a.Run, len(a.Result.Clusters), len(a.MessageIDs))
		}
		got, err := c.LatestAnalysis(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Run != a.Run || !got.At.Equal(a.At) || fmt.Sprint(got.MessageIDs) != fmt.Sprint(a.MessageIDs) ||
			got.ResultSHA256() != a.ResultSHA256() {
			t.Errorf("LatestAnalysis: got run %d at %v sha %s, want run %d at %v sha %s",
				got.Run, got.At, got.ResultSHA256(), a.Run, a.At, a.ResultSHA256())
		}
	}
	// Messages carry the cluster of the latest run, as the result says.
	want := map[int64]int{}
	members := 0
	for _, cl := range a.Result.Clusters {
		for _, id := range a.ClusterMessageIDs(cl.ID) {
			if old, ok := want[id]; !ok || cl.ID < old {
				want[id] = cl.ID
			}
			members++
		}
	}
	msgs, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raid := 0
	for _, m := range msgs {
		if m.ClusterID != want[m.ID] {
			t.Errorf("message %d %q: got cluster %d, want %d", m.ID, m.Text, m.ClusterID, want[m.ID])
		}
		if strings.HasPrefix(m.Text, "tu vas") && m.ClusterID != 0 {
			raid++
		}
	}
	if raid != 100 {
		t.Errorf("raid messages in a cluster: got %d, want 100", raid)
	}
	var rows int
	c.r.QueryRow("SELECT count(*) FROM cluster_members").Scan(&rows)
	if rows != members {
		t.Errorf("cluster_members rows: got %d, want %d (only the latest run)", rows, members)
	}
	log, _ := c.Custody(ctx)
	last := log[len(log)-1]
	if last.Action != "analyze" || last.Details["result_sha256"] != a.ResultSHA256() {
		t.Errorf("analyze entry: got %+v", last)
	}
}

func TestDecisions(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 3))
	if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{Confirmed, Rejected} {
		if err := c.Decide(ctx, Decision{MessageID: 1, ClusterID: 1, Subject: "member", Verdict: v, Note: "n"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Decide(ctx, Decision{MessageID: 99, Subject: "member", Verdict: Confirmed}); !errors.Is(err, ErrNotFound) {
		t.Errorf("decision on missing message: got %v", err)
	}
	if err := c.Decide(ctx, Decision{MessageID: 1, Subject: "bogus", Verdict: Confirmed}); err == nil {
		t.Errorf("bad subject accepted")
	}
	ds, err := c.Decisions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Verdict != Confirmed || ds[1].Supersedes != ds[0].ID || ds[1].Who != "tester" {
		t.Errorf("decisions: got %+v", ds)
	}
	if _, err := c.w.Exec("UPDATE decisions SET verdict = 'x'"); err == nil {
		t.Errorf("UPDATE decisions allowed")
	}
}

func TestCustodyChain(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	for i := range 4 {
		e, err := c.Log(ctx, "note", map[string]any{"n": i, "big": int64(1) << 60, "f": 0.1, "s": struct{ B int }{2}})
		if err != nil {
			t.Fatal(err)
		}
		if e.Seq != int64(i+2) || e.Tool != "raidtrace/"+Version || e.Who != "tester" || e.Hash != EntryHash(e) {
			t.Errorf("entry: got %+v", e)
		}
	}
	if err := c.VerifyCustody(ctx); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"UPDATE custody SET who = 'x'", "DELETE FROM custody WHERE seq = 5"} {
		if _, err := c.w.Exec(stmt); err == nil {
			t.Errorf("%s: allowed", stmt)
		}
	}
	entries, _ := c.Custody(ctx)
	tests := []struct {
		name   string
		tamper func([]CustodyEntry) []CustodyEntry
		want   string
	}{
		{"intact", func(e []CustodyEntry) []CustodyEntry { return e }, ""},
		{"edited details", func(e []CustodyEntry) []CustodyEntry { e[2].Details = map[string]any{"n": 7}; return e }, "entry 3"},
		{"removed", func(e []CustodyEntry) []CustodyEntry { return append(e[:1], e[2:]...) }, "entry 2"},
		{"reordered", func(e []CustodyEntry) []CustodyEntry { e[3], e[4] = e[4], e[3]; return e }, "entry 4"},
		{"rehashed", func(e []CustodyEntry) []CustodyEntry { e[1].Who = "x"; e[1].Hash = EntryHash(e[1]); return e }, "entry 3"},
	}
	for _, tt := range tests {
		cp := append([]CustodyEntry(nil), entries...)
		err := VerifyChain(tt.tamper(cp))
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: got %v", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrChain) || !strings.Contains(err.Error(), tt.want+":") && !strings.Contains(err.Error(), tt.want+" ") {
			t.Errorf("%s: got %v, want ErrChain naming %s", tt.name, err, tt.want)
		}
	}
	// Tampering in the database itself, once the trigger is out of the way.
	if _, err := c.w.Exec("DROP TRIGGER custody_no_update"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.w.Exec(`UPDATE custody SET details = '{"n":9}' WHERE seq = 3`); err != nil {
		t.Fatal(err)
	}
	err := c.VerifyCustody(ctx)
	if !errors.Is(err, ErrChain) || !strings.Contains(err.Error(), "entry 3 ") {
		t.Errorf("VerifyCustody after tampering: got %v, want ErrChain naming entry 3", err)
	}
}

func TestSetInfo(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	in, _ := c.Info(ctx)
	want := in
	want.Name, want.UnitCost, want.TimeZone = "Renamed", 12.5, "America/Montreal"
	changed := want
	changed.ID, changed.Created = "other", time.Now()
	if err := c.SetInfo(ctx, changed); err != nil {
		t.Fatal(err)
	}
	got, _ := c.Info(ctx)
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if err := c.SetInfo(ctx, Info{TimeZone: "Mars/Base"}); err == nil {
		t.Errorf("bad time zone accepted")
	}
	log, _ := c.Custody(ctx)
	if last := log[len(log)-1]; last.Action != "settings" || len(last.Details) != 3 {
		t.Errorf("settings entry: got %+v", last)
	}
}

func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "raidtrace-example")
	defer os.RemoveAll(dir)
	export := filepath.Join(dir, "export.txt")
	os.WriteFile(export, []byte("1000|+33611111111|hello\n2000|+33622222222|hello\n"), 0o600)

	c, err := Create(ctx, filepath.Join(dir, "raid"+Extension), Info{Name: "Raid", Examiner: "A. Advocate"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	sum, err := c.Import(ctx, export, lineFormat, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("imported", sum.Imported, "duplicates", sum.Duplicates)
	msgs, _ := c.Messages(ctx)
	for _, m := range msgs {
		fmt.Println(m.ExhibitID(), m.Time.Format(time.RFC3339), m.Sender.Key(), m.Text)
	}
	// Output:
	// imported 2 duplicates 0
	// M000001 1970-01-01T00:00:01Z +33611111111 hello
	// M000002 1970-01-01T00:00:02Z +33622222222 hello
}

func analysisParams() analysis.Params { return analysis.DefaultParams() }

func TestImportReadOnly(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	// query_only makes every write fail as SQLITE_READONLY, as a read-only medium does.
	if _, err := c.w.Exec("PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 100))
	if _, err := c.Import(ctx, p, lineFormat, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Import: got %v, want ErrReadOnly", err)
	}
	if _, err := c.Log(ctx, "note", nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Log: got %v, want ErrReadOnly", err)
	}
	c.w.Exec("PRAGMA query_only = 0")
	assertEmpty(t, c)
}

func TestReadsDuringImport(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 30000))
	done := make(chan error, 1)
	go func() {
		_, err := c.Import(ctx, p, lineFormat, nil)
		done <- err
	}()
	for running := true; running; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			running = false
		default:
			// Readers see the state before the import, never half of it.
			n, err := c.CountMessages(ctx)
			if err != nil || (n != 0 && n != 30000) {
				t.Fatalf("CountMessages during import: got %d, %v", n, err)
			}
			if _, err := c.Sources(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := c.MessagesPage(ctx, 0, 50); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A write waits for the import and then goes through.
	if _, err := c.Log(ctx, "note", map[string]any{"after": "import"}); err != nil {
		t.Fatal(err)
	}
	if err := c.VerifyCustody(ctx); err != nil {
		t.Error(err)
	}
}

func TestCustodyJSONL(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	c.Log(ctx, "export", map[string]any{"bag": "raid-2026", "size": int64(1)<<60 + 1, "ratio": 0.16})
	entries, err := c.Custody(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCustodyJSONL(&buf, entries); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCustodyJSONL(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyChain(got); err != nil {
		t.Errorf("round trip: %v", err)
	}
	tampered := bytes.Replace(buf.Bytes(), []byte("raid-2026"), []byte("raid-2027"), 1)
	got, _ = ReadCustodyJSONL(bytes.NewReader(tampered))
	if err := VerifyChain(got); !errors.Is(err, ErrChain) || !strings.Contains(err.Error(), "entry 2 ") {
		t.Errorf("tampered: got %v, want ErrChain naming entry 2", err)
	}
	if _, err := ReadCustodyJSONL(strings.NewReader("{\"seq\":1}\nnot json\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad line: got %v", err)
	}
}

func TestOddPaths(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{"with space", "query?x=1", "hash#frag", "percent%20", "accentué ☎"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+Extension)
		c, err := Create(ctx, path, Info{})
		if err != nil {
			t.Errorf("Create(%q): %v", name, err)
			continue
		}
		c.Close()
		c, err = Open(ctx, path)
		if err != nil {
			t.Errorf("Open(%q): %v", name, err)
			continue
		}
		c.Close()
		if got, _ := filepath.Glob(filepath.Join(dir, "*")); len(got) != 1 || got[0] != path {
			t.Errorf("%q: files got %q, want only %q", name, got, path)
		}
	}
}

// recordsFormat is a format whose "file" content is ignored: it emits recs.
func recordsFormat(recs []importers.Record) importers.Format {
	return importers.Format{ID: "records", Name: "Records",
		Import: func(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
			for _, r := range recs {
				if err := sink.Record(r); err != nil {
					return err
				}
			}
			return nil
		}}
}

func TestRecordRoundTrip(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	recs := []importers.Record{
		{Location: "/smses/mms[3]", Platform: "mms", PlatformID: "42", Conversation: "thread 7",
			Time: time.Date(2026, 3, 14, 21, 3, 4, 5e6, time.UTC), RawTime: "1773522184005", TimeZone: "Europe/Paris",
			Sender:     importers.Party{Raw: "06 12 34 56 78", E164: "+33612345678", Name: "Anon"},
			Recipients: []importers.Party{{Raw: "me", E164: "+33600000000"}, {Handle: "x", ID: "123"}},
			Direction:  importers.Incoming, Text: "emoji 😀, NUL \x00 inside, invalid \xff\xfe utf-8, newline\r\nend",
			Attachments: []importers.Attachment{{Name: "a.jpg", MIME: "image/jpeg", Size: 12, SHA256: strings.Repeat("ab", 32)}},
			Kind:        "message", Extra: map[string]string{"status": "-1", "contact_name": "(Unknown)"}},
		{Location: "line 2", Platform: "x", Sender: importers.Party{Handle: "Troll", ID: "99999999999999999999"},
			Text: strings.Repeat("long ", 200_000), Kind: "reaction", Direction: importers.Outgoing},
		{Location: "line 3", Platform: "sms", Text: "", RawTime: "garbage"},
	}
	p := writeFile(t, t.TempDir(), "x", "anything")
	sum, err := c.Import(ctx, p, recordsFormat(recs), nil)
	if err != nil || sum.Imported != len(recs) {
		t.Fatalf("import: got %d, %v", sum.Imported, err)
	}
	msgs, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]importers.Record{}
	for _, m := range msgs {
		got[m.Location] = m.Record
		if m.Hash != m.Record.Hash() {
			t.Errorf("%s: stored hash %s, record hash %s", m.Location, m.Hash, m.Record.Hash())
		}
	}
	for _, want := range recs {
		g := got[want.Location]
		if fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", want) {
			t.Errorf("%s:\n got %#v\nwant %#v", want.Location, g, want)
		}
	}
	// Analysis input: the reaction and the outgoing message are not clustered.
	for _, m := range msgs {
		in := AnalysisInput(m)
		if m.Kind == "reaction" && (!in.Skip || !in.Outgoing) || in.Sender != m.Sender.Key() || in.Channel != m.Platform {
			t.Errorf("%s: analysis input %+v", m.Location, in)
		}
	}
}

func TestConcurrentSameImport(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 5000))
	sums := make(chan ImportSummary, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			s, err := c.Import(ctx, p, lineFormat, nil)
			sums <- s
			errs <- err
		}()
	}
	var imported, already int
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		s := <-sums
		imported += s.Imported
		if s.AlreadyImported {
			already++
		}
	}
	srcs, _ := c.Sources(ctx)
	if imported != 5000 || already != 1 || len(srcs) != 1 {
		t.Errorf("got imported %d, already %d, sources %d; want 5000, 1, 1", imported, already, len(srcs))
	}
}

// folderFormat imports every .txt file of a folder with lineFormat.
var folderFormat = importers.Format{ID: "folder", Name: "Folder of lines",
	Import: func(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
		names, _ := filepath.Glob(filepath.Join(path, "*", "*.txt"))
		for _, n := range names {
			if err := lineFormat.Import(ctx, n, opt, sink); err != nil {
				return err
			}
		}
		return nil
	}}

func TestImportFolder(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "archive")
	os.MkdirAll(filepath.Join(dir, "data"), 0o700)
	writeFile(t, dir, "data/a.txt", fakeLines(0, 10))
	writeFile(t, dir, "data/b.txt", fakeLines(10, 10))
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "data", "link")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	// A link to a folder of data: the importer, reading the folder as stored, does not see it.
	other := filepath.Join(t.TempDir(), "more")
	os.MkdirAll(other, 0o700)
	writeFile(t, other, "c.txt", fakeLines(20, 10))
	os.Symlink(other, filepath.Join(dir, "data", "more"))
	// The case lives inside the folder it imports: it must not copy itself.
	c, err := Create(ctx, filepath.Join(dir, "case"+Extension), Info{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sum, err := c.Import(ctx, dir, folderFormat, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 20 || !sum.Source.Folder || sum.Source.Name != "archive.tar" {
		t.Errorf("got %d imported, source %+v", sum.Imported, sum.Source)
	}
	// Each link is listed, so that nothing the importer did not read goes unsaid.
	wantProblems := []importers.Problem{SymlinkNotFollowed.Problem("data/link"), SymlinkNotFollowed.Problem("data/more")}
	if fmt.Sprint(sum.Problems) != fmt.Sprint(wantProblems) || sum.Skipped != 2 {
		t.Errorf("problems: got %v (%d skipped), want %v (2 skipped)", sum.Problems, sum.Skipped, wantProblems)
	}
	if srcs, _ := c.Sources(ctx); len(srcs) != 1 || fmt.Sprint(srcs[0].Problems) != fmt.Sprint(wantProblems) {
		t.Errorf("stored source problems: got %+v, want %v", srcs, wantProblems)
	}
	rc, err := c.Original(ctx, sum.Source.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	if sha(b) != sum.Source.SHA256 || int64(len(b)) != sum.Source.Size {
		t.Errorf("original: got %d bytes %s, want %d %s", len(b), sha(b), sum.Source.Size, sum.Source.SHA256)
	}
	tr := tar.NewReader(bytes.NewReader(b))
	var names []string
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
	}
	if want := "[data/ data/a.txt data/b.txt data/link data/more]"; fmt.Sprint(names) != want {
		t.Errorf("tar entries: got %v, want %s", names, want)
	}
	again, err := c.Import(ctx, dir, folderFormat, nil)
	if err != nil || !again.AlreadyImported {
		t.Errorf("re-import of the folder: got %+v, %v", again, err)
	}
	if err := c.Check(ctx); err != nil {
		t.Error(err)
	}
}

// TestAnalyzeLogsExactParams checks that the analyze entry of the custody log holds every
// parameter exactly: a 64-bit seed read as float64 would lose its last digits.
func TestAnalyzeLogsExactParams(t *testing.T) {
	ctx := context.Background()
	c := newCase(t)
	p := writeFile(t, t.TempDir(), "a.txt", fakeLines(0, 30))
	if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
		t.Fatal(err)
	}
	for _, seed := range []uint64{5936141664022323555, 1<<64 - 1, 9007199254740993} {
		params := analysis.DefaultParams()
		params.Seed = seed
		if _, err := c.Analyze(ctx, params, nil); err != nil {
			t.Fatal(err)
		}
		log, err := c.Custody(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last := log[len(log)-1]
		logged, _ := last.Details["params"].(map[string]any)
		if got, want := fmt.Sprint(logged["seed"]), fmt.Sprint(seed); got != want {
			t.Errorf("seed %d: custody log has %s, want %s", seed, got, want)
		}
		if err := c.VerifyCustody(ctx); err != nil {
			t.Errorf("seed %d: %v", seed, err)
		}
	}
}

// TestAnalysisInputs checks that the analysis reads, from its own narrow query, exactly what
// AnalysisInput makes of every full message, in the same order.
func TestAnalysisInputs(t *testing.T) {
	ctx := context.Background()
	c, err := OpenDemo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	all, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, ids, err := c.analysisInputs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(all) || len(ids) != len(all) {
		t.Fatalf("got %d inputs and %d ids, want %d", len(got), len(ids), len(all))
	}
	media := 0
	for i, m := range all {
		if ids[i] != m.ID {
			t.Fatalf("id %d = %d, want %d", i, ids[i], m.ID)
		}
		if want := AnalysisInput(m); !reflect.DeepEqual(got[i], want) {
			t.Fatalf("input %d (message %d) = %+v, want %+v", i, m.ID, got[i], want)
		}
		media += len(got[i].Media)
	}
	t.Logf("%d messages, %d media hashes", len(all), media)
}

// TestEachRow checks that every Row holds what the full message says: the same id, source and
// direction, the raw time exactly when the time is unknown, and AnalysisInput of the message.
func TestEachRow(t *testing.T) {
	ctx := context.Background()
	c, err := OpenDemo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	all, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []Row
	if err := c.EachRow(ctx, func(r Row) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(all) {
		t.Fatalf("got %d rows, want %d", len(got), len(all))
	}
	for i, m := range all {
		want := Row{ID: m.ID, SourceID: m.SourceID, Direction: m.Direction, Input: AnalysisInput(m)}
		if m.Time.IsZero() {
			want.RawTime = m.RawTime
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Fatalf("row %d = %+v, want %+v", i, got[i], want)
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := c.EachRow(ctx, func(Row) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("EachRow with fn failing at once = %v after %d rows, want %v after 1", err, n, stop)
	}
}

// TestLatestAnalysisBrief checks that the brief analysis is the full one with only the
// clusters' variants and member variant indexes left out.
func TestLatestAnalysisBrief(t *testing.T) {
	ctx := context.Background()
	c, err := OpenDemo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.LatestAnalysisBrief(ctx); err != nil && !errors.Is(err, ErrNotFound) {
		t.Fatalf("brief analysis of the demo: %v, want the analysis or ErrNotFound", err)
	}
	if _, err := c.Analyze(ctx, analysis.Params{}, nil); err != nil {
		t.Fatal(err)
	}
	full, err := c.LatestAnalysis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	brief, err := c.LatestAnalysisBrief(ctx)
	if err != nil {
		t.Fatal(err)
	}
	variants := 0
	for i := range full.Result.Clusters {
		variants += len(full.Result.Clusters[i].Variants)
		full.Result.Clusters[i].Variants = nil
		full.Result.Clusters[i].MemberVariant = nil
	}
	if variants == 0 {
		t.Fatal("the demo analysis has no variants: the test checks nothing")
	}
	if !reflect.DeepEqual(brief, full) {
		t.Errorf("brief analysis differs from the full one beyond the variants:\n got %+v\nwant %+v", brief.Result, full.Result)
	}
}

// TestResultStoredCompressed checks that an analysis result is stored gzip-compressed, that its
// JSON (streamed a cluster at a time) is json.Marshal's byte for byte with the hash the custody
// log holds, and that a result stored as plain JSON, as cases written before hold it, still reads.
func TestResultStoredCompressed(t *testing.T) {
	ctx := context.Background()
	c, err := OpenDemo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, err := c.Analyze(ctx, analysis.Params{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Result.Clusters) < 2 {
		t.Fatalf("%d clusters: the test needs several", len(a.Result.Clusters))
	}
	var stored []byte
	if err := c.r.QueryRow("SELECT result FROM analysis_runs WHERE id = ?", a.Run).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if len(stored) < 2 || stored[0] != 0x1f || stored[1] != 0x8b {
		t.Fatalf("stored result starts %q, want gzip's magic", stored[:min(len(stored), 8)])
	}
	zr, err := resultReader(stored)
	if err != nil {
		t.Fatal(err)
	}
	js, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(a.Result)
	if !bytes.Equal(js, want) {
		t.Errorf("stored JSON differs from json.Marshal of the result (%d vs %d bytes)", len(js), len(want))
	}
	if sum := sha256.Sum256(js); hex.EncodeToString(sum[:]) != a.ResultSHA256() {
		t.Errorf("stored JSON hash %x, want ResultSHA256 %s", sum, a.ResultSHA256())
	}
	got, err := c.LatestAnalysis(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Result, a.Result) {
		t.Error("the compressed result does not read back as the analysis")
	}
	// a result stored as plain JSON
	if _, err := c.w.Exec("UPDATE analysis_runs SET result = ? WHERE id = ?", string(want), a.Run); err != nil {
		t.Fatal(err)
	}
	if got, err = c.LatestAnalysis(ctx); err != nil || !reflect.DeepEqual(got.Result, a.Result) {
		t.Errorf("plain JSON result: %v, or it does not read back as the analysis", err)
	}
	// a damaged compressed one is an error that says so
	bad := append([]byte(nil), stored[:len(stored)/2]...)
	if _, err := c.w.Exec("UPDATE analysis_runs SET result = ? WHERE id = ?", bad, a.Run); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LatestAnalysis(ctx); err == nil || !strings.Contains(err.Error(), "decompressing") {
		t.Errorf("cut compressed result: error %v, want one about decompressing", err)
	}
	// a trailer claiming 4 GB is an error too, without a buffer of that size
	forged := append([]byte(nil), stored...)
	copy(forged[len(forged)-4:], []byte{0xff, 0xff, 0xff, 0xff})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	zr, err = resultReader(forged)
	if err == nil {
		_, _, err = decodeResult(zr, clusterMode{})
	}
	if err == nil || !strings.Contains(err.Error(), "decompressing") {
		t.Errorf("forged size: error %v, want one about decompressing", err)
	}
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 64<<20 {
		t.Errorf("forged size: %d MB allocated for a %d-byte result", grown>>20, len(forged))
	}
}

// TestEncodeResult compares the streamed encoding with json.Marshal, HTML characters included.
func TestEncodeResult(t *testing.T) {
	// encodeResult writes the flags at the end of the object
	rt := reflect.TypeFor[analysis.Result]()
	if last := rt.Field(rt.NumField() - 1); last.Name != "Flags" {
		t.Fatalf("the last field of analysis.Result is %s: encodeResult writes Flags last", last.Name)
	}
	cl := analysis.Cluster{ID: 1, Template: `<b>"raid" & co</b>`, Members: []int{0, 1}}
	for _, tc := range []struct {
		name string
		res  *analysis.Result
	}{
		{"nil", nil},
		{"nil clusters", &analysis.Result{Messages: 3}},
		{"no clusters", &analysis.Result{Clusters: []analysis.Cluster{}}},
		{"one", &analysis.Result{Clusters: []analysis.Cluster{cl}, Flags: []analysis.Flag{{Message: 1, Category: "<insult>"}}}},
		{"three", &analysis.Result{Clusters: []analysis.Cluster{cl, cl, {ID: 3}}, Messages: 9}},
		{"flags, empty list", &analysis.Result{Clusters: []analysis.Cluster{cl}, Flags: []analysis.Flag{}, Network: []analysis.Edge{{Weight: 2}}}},
		{"flags", &analysis.Result{Clusters: []analysis.Cluster{}, Flags: []analysis.Flag{{Message: 1}, {Message: 2, Category: "threat"}}, Network: []analysis.Edge{{Weight: 2}}}},
	} {
		var got bytes.Buffer
		if err := encodeResult(&got, tc.res); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, _ := json.Marshal(tc.res)
		if got.String() != string(want) {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got.String(), want)
		}
	}
}

// TestAnalyzeRows checks that analysing the rows a caller holds gives Analyze's result, and that
// rows read before an import are refused.
func TestAnalyzeRows(t *testing.T) {
	ctx := context.Background()
	c, err := OpenDemo(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var in []analysis.Message
	var ids []int64
	if err := c.EachRow(ctx, func(r Row) error {
		in, ids = append(in, r.Input), append(ids, r.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	p := analysis.DefaultParams()
	want, err := c.Analyze(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.AnalyzeRows(ctx, in, ids, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.ResultSHA256() != want.ResultSHA256() || !reflect.DeepEqual(got.MessageIDs, want.MessageIDs) {
		t.Error("AnalyzeRows result differs from Analyze's")
	}
	if got.Run == want.Run {
		t.Error("AnalyzeRows stored no new run")
	}
	for name, bad := range map[string][]int64{
		"one missing":  ids[:len(ids)-1],
		"out of order": append([]int64{ids[1], ids[0]}, ids[2:]...),
		"one too many": append(slices.Clone(ids), ids[len(ids)-1]+1000),
	} {
		msgs := make([]analysis.Message, len(bad))
		copy(msgs, in)
		if _, err := c.AnalyzeRows(ctx, msgs, bad, p, nil); !errors.Is(err, ErrRowsChanged) {
			t.Errorf("%s: %v, want ErrRowsChanged", name, err)
		}
	}
}

// TestInsertMembersChunked checks that memberships written in many statements are exactly the
// result's: every (cluster, message) pair once, none other.
func TestInsertMembersChunked(t *testing.T) {
	for _, per := range []int{1, 7, 1 << 16} {
		old := membersPerInsert
		membersPerInsert = per
		ctx := context.Background()
		c, err := OpenDemo(ctx, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		a, err := c.Analyze(ctx, analysis.DefaultParams(), nil)
		membersPerInsert = old
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{}
		for _, cl := range a.Result.Clusters {
			for _, id := range a.ClusterMessageIDs(cl.ID) {
				want[fmt.Sprint(cl.ID, "/", id)] = true
			}
		}
		rows, err := c.impl.r.QueryContext(ctx, "SELECT cluster_id, message_id FROM cluster_members WHERE run = ?", a.Run)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for rows.Next() {
			var cl, id int64
			if err := rows.Scan(&cl, &id); err != nil {
				t.Fatal(err)
			}
			got[fmt.Sprint(cl, "/", id)] = true
		}
		rows.Close()
		if len(want) < 10 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%d per statement: got %d memberships, want %d", per, len(got), len(want))
		}
		c.Close()
	}
}
