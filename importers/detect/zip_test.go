package detect

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/importers"
)

const smsXML = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
  <sms address="+33612345678" date="1700000000000" type="1" body="premier" />
  <sms address="+33687654321" date="1700000001000" type="1" body="second" />
</smses>
`

type member struct {
	name   string
	data   []byte
	mode   fs.FileMode // 0: regular file
	method uint16      // zip.Deflate unless set to zip.Store+1 (meaning Store)
}

func makeZip(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Deflate}
		if m.method != 0 {
			h.Method = m.method - 1
		}
		if m.mode != 0 {
			h.SetMode(m.mode)
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readZip(t testing.TB, data []byte) (*importers.Collector, error) {
	t.Helper()
	var c importers.Collector
	err := ReadZip(context.Background(), bytes.NewReader(data), int64(len(data)), importers.Options{}, &c)
	return &c, err
}

func problemAt(c *importers.Collector, loc string) string {
	for _, p := range c.Problems {
		if p.Location == loc {
			return p.Reason
		}
	}
	return ""
}

func TestZipMembers(t *testing.T) {
	inner := makeZip(t, member{name: "deep/sms.xml", data: []byte(smsXML)})
	bomb := make([]byte, 8<<20) // 8 MiB of zeros deflate to a few KiB: ratio far above 200:1
	data := makeZip(t,
		member{name: "exports/"},
		member{name: "exports/sms.xml", data: []byte(smsXML)},
		member{name: "stored.xml", data: []byte(smsXML), method: zip.Store + 1},
		member{name: "notes.txt", data: []byte("just notes")},
		member{name: "../escape.xml", data: []byte(smsXML)},
		member{name: `..\win.xml`, data: []byte(smsXML)},
		member{name: "/etc/abs.xml", data: []byte(smsXML)},
		member{name: "C:/abs.xml", data: []byte(smsXML)},
		member{name: "link.xml", data: []byte("exports/sms.xml"), mode: fs.ModeSymlink | 0o777},
		member{name: "bomb.xml", data: bomb},
		member{name: "inner.zip", data: inner},
		member{name: "cut.xml", data: []byte(smsXML[:len(smsXML)-60])},
	)
	c, err := readZip(t, data)
	if err != nil {
		t.Fatalf("ReadZip: got error %v, want nil", err)
	}
	var got []string
	for _, r := range c.Records {
		got = append(got, r.Location)
	}
	want := []string{
		"exports/sms.xml:/smses/sms[1] (line 3)",
		"exports/sms.xml:/smses/sms[2] (line 4)",
		"stored.xml:/smses/sms[1] (line 3)",
		"stored.xml:/smses/sms[2] (line 4)",
		"inner.zip:deep/sms.xml:/smses/sms[1] (line 3)",
		"inner.zip:deep/sms.xml:/smses/sms[2] (line 4)",
		"cut.xml:/smses/sms[1] (line 3)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got records at\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	refused := []struct{ loc, reason string }{
		{"notes.txt", "not recognised"},
		{"../escape.xml", "escape"},
		{`..\win.xml`, "escape"},
		{"/etc/abs.xml", "absolute"},
		{"C:/abs.xml", "absolute"},
		{"link.xml", "symbolic link"},
		{"bomb.xml", "bomb"},
		{"cut.xml:/smses/sms[2] (line 4)", "truncated"},
	}
	for _, tt := range refused {
		if got := problemAt(c, tt.loc); !strings.Contains(got, tt.reason) {
			t.Errorf("%s: got problem %q, want one about %q", tt.loc, got, tt.reason)
		}
	}
	for _, p := range c.Problems {
		if strings.HasPrefix(p.Location, "exports/") || strings.HasPrefix(p.Location, "inner.zip") {
			t.Errorf("got problem %v, want none for a good member", p)
		}
		if p.Location == "cut.xml" {
			t.Errorf("got problem %v, want the truncation reported once, by the parser", p)
		}
	}
}

func TestZipLimits(t *testing.T) {
	saved := limits
	t.Cleanup(func() { limits = saved })

	// Total size: the whole archive is refused before anything is read.
	limits.maxTotal = 100
	data := makeZip(t, member{name: "a.xml", data: []byte(smsXML)})
	c, err := readZip(t, data)
	var pe *importers.ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "bomb") || len(c.Records) != 0 {
		t.Errorf("over total: got %v and %d records, want a ParseError about a bomb and none", err, len(c.Records))
	}
	limits = saved

	// Nesting: four levels, the limit is three.
	level := makeZip(t, member{name: "sms.xml", data: []byte(smsXML)})
	for _, name := range []string{"l3.zip", "l2.zip", "l1.zip"} {
		level = makeZip(t, member{name: name, data: level}, member{name: "sms.xml", data: []byte(smsXML)})
	}
	c, err = readZip(t, level)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Records); got != 6 {
		t.Errorf("nested: got %d records, want 6 (three levels of two)", got)
	}
	if got := problemAt(c, "l1.zip:l2.zip:l3.zip"); !strings.Contains(got, "nested") {
		t.Errorf("nested: got problem %q at the fourth level, want one about nesting", got)
	}

	// Many members.
	limits.maxMembers = 2
	data = makeZip(t, member{name: "a", data: []byte("a")}, member{name: "b"}, member{name: "c"})
	if _, err := readZip(t, data); err == nil || !strings.Contains(err.Error(), "members") {
		t.Errorf("members: got %v, want an error about too many members", err)
	}
}

func TestZipPathOnlyFormat(t *testing.T) {
	saved := formats
	t.Cleanup(func() { formats = saved })
	formats = append(append([]importers.Format{}, formats...), importers.Format{ID: "db", Name: "Some database",
		Sniff:  func(head []byte, _ string) bool { return bytes.HasPrefix(head, []byte("SQLite format 3\x00")) },
		Import: func(context.Context, string, importers.Options, importers.Sink) error { return nil }})
	c, err := readZip(t, makeZip(t, member{name: "chat.db", data: []byte("SQLite format 3\x00rest")}))
	if err != nil {
		t.Fatal(err)
	}
	if got := problemAt(c, "chat.db"); !strings.Contains(got, "unzip first") {
		t.Errorf("got problem %q, want one saying to unzip first", got)
	}
}

type failSink struct{ importers.Collector }

var errFull = errors.New("disk full")

func (failSink) Record(importers.Record) error { return errFull }

func TestZipSinkError(t *testing.T) {
	data := makeZip(t, member{name: "a.xml", data: []byte(smsXML)}, member{name: "b.xml", data: []byte(smsXML)})
	err := ReadZip(context.Background(), bytes.NewReader(data), int64(len(data)), importers.Options{}, &failSink{})
	if !errors.Is(err, errFull) {
		t.Errorf("got %v, want the sink's error", err)
	}
}

func TestZipImportFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "exports.zip")
	if err := os.WriteFile(p, makeZip(t, member{name: "sms.xml", data: []byte(smsXML)}), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Detect(p)
	if err != nil || f.ID != "zip" {
		t.Fatalf("Detect: got %q, %v; want zip", f.ID, err)
	}
	var done, total int64
	var c importers.Collector
	err = f.Import(context.Background(), p, importers.Options{Progress: func(d, t int64) { done, total = d, t }}, &c)
	if err != nil || len(c.Records) != 2 {
		t.Errorf("Import: got %d records, %v; want 2, nil", len(c.Records), err)
	}
	if done != total || total != int64(len(smsXML)) {
		t.Errorf("progress: got %d/%d, want %d/%d", done, total, len(smsXML), len(smsXML))
	}
	if c.Records[0].Sender.E164 != "+33612345678" {
		t.Errorf("got sender %+v, want E.164 filled with the default region", c.Records[0].Sender)
	}

	notZip := filepath.Join(t.TempDir(), "x.zip")
	os.WriteFile(notZip, []byte("PK\x03\x04 but not really a zip"), 0o600)
	err = Zip.Import(context.Background(), notZip, importers.Options{}, &c)
	if !errors.Is(err, importers.ErrNotFormat) {
		t.Errorf("broken zip: got %v, want ErrNotFormat", err)
	}
}

func FuzzReadZip(f *testing.F) {
	f.Add(makeZip(f, member{name: "sms.xml", data: []byte(smsXML)}))
	f.Add(makeZip(f, member{name: "a/../../b.xml", data: []byte(smsXML)}, member{name: "n.zip",
		data: makeZip(f, member{name: "x.xml", data: []byte(smsXML[:80])})}))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c importers.Collector
		err := ReadZip(context.Background(), bytes.NewReader(data), int64(len(data)), importers.Options{}, &c)
		var pe *importers.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("got error %v (%T), want a *ParseError", err, err)
		}
	})
}

func ExampleReadZip() {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	f, _ := w.Create("phone/sms.xml")
	f.Write([]byte(`<smses><sms address="0612345678" date="1700000000000" type="1" body="salut"/></smses>`))
	f, _ = w.Create("../../etc/passwd")
	f.Write([]byte("root:x:0:0"))
	w.Close()

	var c importers.Collector
	err := ReadZip(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), importers.Options{Region: "FR"}, &c)
	fmt.Println(err)
	for _, r := range c.Records {
		fmt.Println(r.Location, r.Sender.E164, r.Text)
	}
	for _, p := range c.Problems {
		fmt.Println(p)
	}
	// Output:
	// <nil>
	// phone/sms.xml:/smses/sms[1] (line 1) +33612345678 salut
	// ../../etc/passwd: member path contains "..": refused (it would escape the archive)
}

// TestZipOfSamples: every real sample of a stream format, zipped together, imports through the
// ZIP with exactly the records and problems of importing each file directly, under its member
// name.
func TestZipOfSamples(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*", "*"))
	if len(files) == 0 {
		t.Skipf("shared samples folder %s is absent; skipping", samplesDir)
	}
	var members []member
	var want importers.Collector
	for _, file := range files {
		f, err := Detect(file)
		if err != nil || f.Read == nil {
			continue // not a file of a stream format (schemas, blobs, folders)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
		members = append(members, member{name: name, data: data})
		var c importers.Collector
		err = f.Read(context.Background(), bytes.NewReader(data), importers.Options{}.WithDefaults(), &c)
		for _, r := range c.Records {
			r.Location = name + ":" + r.Location
			want.Records = append(want.Records, r)
		}
		for _, p := range c.Problems {
			p.Location = name + ":" + p.Location
			want.Problems = append(want.Problems, p)
		}
		if err != nil && !strings.Contains(fmt.Sprint(c.Problems), err.Error()) {
			want.Problems = append(want.Problems, importers.Problem{Location: name,
				Reason: fmt.Sprintf("%s import stopped: %v", f.Name, err)})
		}
	}
	if len(members) < 5 {
		t.Fatalf("got %d samples of stream formats, want at least the 5 SMS backups", len(members))
	}
	got, err := readZip(t, makeZip(t, members...))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Records) != len(want.Records) {
		t.Fatalf("got %d records through the ZIP, want %d", len(got.Records), len(want.Records))
	}
	for i := range got.Records {
		if g, w := got.Records[i], want.Records[i]; g.Location != w.Location || g.Hash() != w.Hash() {
			t.Errorf("record %d: got %s (%s), want %s (%s)", i, g.Location, g.Hash(), w.Location, w.Hash())
		}
	}
	if fmt.Sprint(got.Problems) != fmt.Sprint(want.Problems) {
		t.Errorf("got problems\n%v\nwant\n%v", got.Problems, want.Problems)
	}
}

// TestZipDuplicateNames: two members of the same name are both imported, the second located by
// a name that tells it apart, with a warning naming it; a nested archive's duplicates too.
func TestZipDuplicateNames(t *testing.T) {
	inner := makeZip(t, member{name: "b.xml", data: []byte(smsXML)}, member{name: "b.xml", data: []byte(smsXML)})
	data := makeZip(t,
		member{name: "a.xml", data: []byte(smsXML)},
		member{name: "a.xml", data: []byte(smsXML)},
		member{name: `dir\c.xml`, data: []byte(smsXML)},
		member{name: "dir/c.xml", data: []byte(smsXML)},
		member{name: "inner.zip", data: inner},
	)
	c, err := readZip(t, data)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Records {
		if strings.HasSuffix(r.Location, "sms[1] (line 3)") {
			got = append(got, strings.TrimSuffix(r.Location, ":/smses/sms[1] (line 3)"))
		}
	}
	want := []string{"a.xml", "a.xml (member 2 of that name)", `dir\c.xml`, "dir/c.xml (member 2 of that name)",
		"inner.zip:b.xml", "inner.zip:b.xml (member 2 of that name)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(c.Records) != 12 {
		t.Errorf("got %d records, first ones at\n%s\nwant 12, at\n%s", len(c.Records), strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var warnings []string
	for _, p := range c.Problems {
		if !p.Warning {
			t.Errorf("got problem %v, want only warnings", p)
		}
		warnings = append(warnings, p.String())
	}
	wantWarnings := []string{
		`a.xml (member 2 of that name): the archive holds 2 members named "a.xml" (an archive should hold one): each is read, this one located as "member 2 of that name"`,
		`dir/c.xml (member 2 of that name): the archive holds 2 members named "dir/c.xml" (an archive should hold one): each is read, this one located as "member 2 of that name"`,
		`inner.zip:b.xml (member 2 of that name): the archive holds 2 members named "b.xml" (an archive should hold one): each is read, this one located as "member 2 of that name"`,
	}
	if strings.Join(warnings, "\n") != strings.Join(wantWarnings, "\n") {
		t.Errorf("got warnings\n%s\nwant\n%s", strings.Join(warnings, "\n"), strings.Join(wantWarnings, "\n"))
	}
}
