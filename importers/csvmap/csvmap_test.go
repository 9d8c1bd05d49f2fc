package csvmap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/csvrows"
	"raidtrace/importers/internal/fuzzseed"
	"raidtrace/importers/internal/heappeak"
)

func readFile(t testing.TB, read func(context.Context, *os.File, importers.Options, importers.Sink) error, path string, opt importers.Options) (*importers.Collector, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c importers.Collector
	return &c, read(context.Background(), f, opt, &c)
}

func generic(ctx context.Context, f *os.File, opt importers.Options, sink importers.Sink) error {
	return Read(ctx, f, opt, sink)
}

// row is what a test checks of a record.
type row struct {
	loc, time, raw, zone, sender, e164, name, text, dir, platform, kind, id string
}

func summarise(r importers.Record) row {
	got := row{loc: r.Location, raw: r.RawTime, zone: r.TimeZone, sender: r.Sender.Raw, e164: r.Sender.E164, name: r.Sender.Name,
		text: r.Text, dir: string(r.Direction), platform: r.Platform, kind: r.Kind, id: r.PlatformID}
	if !r.Time.IsZero() {
		got.time = r.Time.Format(time.RFC3339Nano)
	}
	return got
}

func TestRead(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	tests := []struct {
		name     string
		file     string
		opt      importers.Options
		rows     []row
		extra    map[int]map[string]string // record index → Extra keys that must hold these values
		problems []string
	}{
		{"plivo console", "plivo_console.csv", importers.Options{}, []row{
			{"line 2", "2024-03-05T21:14:03Z", "2024-03-05 21:14:03+00:00", "", "33612345678", "+33612345678", "", "ferme ta gueule", "in", "sms", "message", "3d8e1f2a-0001-11ee-8000-000000000001"},
			{"line 3", "2024-03-05T20:14:04.466Z", "2024-03-05 21:14:04.466+01:00", "", "+33612345679", "+33612345679", "", "ferme ta gueule !", "in", "sms", "message", "3d8e1f2a-0002-11ee-8000-000000000002"},
			{"line 4", "2024-03-05T21:20:00Z", "2024-03-05 21:20:00+00:00", "", "33700000001", "+33700000001", "", "Merci, bien reçu", "out", "whatsapp", "message", "3d8e1f2a-0003-11ee-8000-000000000003"},
		}, map[int]map[string]string{0: {"Message State": "received", "Units": "1", "Total Amount": "0.00000", "Error Code": "000"}}, nil},
		{"plivo api names", "plivo_api_names.csv", importers.Options{}, []row{
			{"line 2", "2024-03-05T21:14:03Z", "2024-03-05T21:14:03Z", "", "+447700900123", "+447700900123", "", "", "in", "whatsapp", "message", "3d8e1f2a-0004-11ee-8000-000000000004"},
		}, map[int]map[string]string{0: {"total_rate": "0.005", "message_state": "received"}}, nil},
		{"vonage", "vonage_report.csv", importers.Options{}, []row{
			{"line 2", "2024-06-01T21:14:03Z", "2024-06-01T21:14:03+0000", "", "33612345678", "+33612345678", "", "tu vas payer", "in", "sms", "message", "0B00000012345678"},
			{"line 3", "2024-06-01T21:14:05Z", "2024-06-01T21:14:05+0000", "", "33612345679", "+33612345679", "", "tu vas payer.", "in", "sms", "message", "0B00000012345679"},
		}, map[int]map[string]string{1: {"network_name": "SFR", "country": "FR", "date_finalized": "2024-06-01T21:14:06+0000", "status": "delivered"}}, nil},
		// Header names as a spreadsheet may rewrite them: BOM, quotes, case, doubled and non-breaking
		// spaces, hyphens, semicolons and CRLF; values in upper case.
		{"plivo messy header", "plivo_messy_header.csv", importers.Options{}, []row{
			{"line 2", "2024-03-05T21:14:03Z", "2024-03-05 21:14:03+00:00", "", "+33612345678", "+33612345678", "", "tu; vas voir", "in", "sms", "message", "3d8e1f2a-0005-11ee-8000-000000000005"},
		}, nil, nil},
		{"vonage messy header", "vonage_messy_header.csv", importers.Options{}, []row{
			{"line 2", "2024-06-01T21:14:03Z", "2024-06-01T21:14:03+0000", "", "33612345678", "+33612345678", "", `t"es mort`, "in", "sms", "message", "0B00000012345680"},
		}, map[int]map[string]string{0: {"Status": "delivered", "Account ID": "abcd1234"}}, nil},
		{"crowdfunding fr", "crowdfunding_fr.csv", importers.Options{Location: paris}, []row{
			{"line 2", "2024-03-14T01:00:00Z", "14/03/2024 02:00", "Europe/Paris", "Jean Dupont", "", "Jean Dupont", "Bon courage", "in", "donation", "donation", ""},
			{"line 3", "2024-03-14T01:05:00Z", "14/03/2024 02:05", "Europe/Paris", "Jean Dupont", "", "Jean Dupont", "Bon courage", "in", "donation", "donation", ""},
			{"line 4", "2024-03-14T08:17:00Z", "14/03/2024 09:17", "Europe/Paris", "Marie Martin", "", "Marie Martin", "Merci pour\ntout ce que vous faites", "in", "donation", "donation", ""},
			{"line 6", "", "hier", "", "Jean Dupont", "", "Jean Dupont", "Bon courage", "in", "donation", "donation", ""},
		}, map[int]map[string]string{0: {"amount": "5,00", "Anonyme": "non"}, 2: {"amount": "20,00"}},
			[]string{`line 6: column "Date": time "hier": not a recognised date`, "line 7: row skipped: it has 3 fields, the header has 5"}},
		{"crowdfunding en", "crowdfunding_en.csv", importers.Options{}, []row{
			{"line 2", "2024-03-14T02:00:00Z", "2024-03-14T02:00:00Z", "", "Anonymous 1", "", "Anonymous 1", "", "in", "donation", "donation", ""},
			{"line 3", "2024-03-14T02:10:00Z", "2024-03-14T02:10:00Z", "", "Anonymous 2", "", "Anonymous 2", "keep going", "in", "donation", "donation", ""},
		}, map[int]map[string]string{1: {"amount": "1.00", "currency": "USD"}}, nil},
		{"generic semicolon", "generic_semicolon_fr.csv", importers.Options{Location: paris,
			Columns: map[string]string{"time": "Date", "sender": "expediteur", "text": "MESSAGE", "recipient": "Destinataire"}}, []row{
			{"line 2", "2024-03-14T20:14:00Z", "14/03/2024 21:14", "Europe/Paris", "06 12 34 56 78", "+33612345678", "", "Ferme-la; sinon…", "", "csv", "message", ""},
			{"line 3", "2024-03-14T20:15:00Z", "14/03/2024 21:15", "Europe/Paris", "06 12 34 56 79", "+33612345679", "", `Ferme-la "vraiment"`, "", "csv", "message", ""},
			{"line 5", "", "32/03/2024 21:17", "", "06 12 34 56 81", "+33612345681", "", "date impossible", "", "csv", "message", ""},
		}, map[int]map[string]string{1: {"Opérateur": "SFR"}},
			[]string{"line 4: row skipped: it has 2 fields", `line 5: column "Date": time "32/03/2024 21:17"`}},
		{"generic owner and layout", "generic_semicolon_fr.csv", importers.Options{Location: time.UTC, Owner: "+33700000001", TimeLayout: "02/01/2006 15:04",
			Columns: map[string]string{"time": "Date", "recipient": "Destinataire", "text": "Message"}}, []row{
			{"line 2", "2024-03-14T21:14:00Z", "14/03/2024 21:14", "UTC", "", "", "", "Ferme-la; sinon…", "in", "csv", "message", ""},
			{"line 3", "2024-03-14T21:15:00Z", "14/03/2024 21:15", "UTC", "", "", "", `Ferme-la "vraiment"`, "in", "csv", "message", ""},
			{"line 5", "", "32/03/2024 21:17", "", "", "", "", "date impossible", "in", "csv", "message", ""},
		}, map[int]map[string]string{0: {"Expéditeur": "06 12 34 56 78"}},
			[]string{"line 4: row skipped", `line 5: column "Date": time "32/03/2024 21:17": does not match the layout "02/01/2006 15:04"`}},
		{"generic tab epoch", "generic_tab_epoch.tsv", importers.Options{Columns: map[string]string{"time": "ts", "name": "user", "text": "body"}}, []row{
			{"line 2", "2024-03-14T21:14:03Z", "1710450843", "", "alice", "", "alice", "first", "", "csv", "message", ""},
			{"line 3", "2024-03-14T21:14:03.123Z", "1710450843123", "", "bob", "", "bob", "second", "", "csv", "message", ""},
		}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := readFile(t, generic, filepath.Join("testdata", tt.file), tt.opt)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if len(c.Records) != len(tt.rows) {
				t.Fatalf("records: got %d, want %d; problems %v", len(c.Records), len(tt.rows), c.Problems)
			}
			for i, want := range tt.rows {
				if got := summarise(c.Records[i]); got != want {
					t.Errorf("record %d:\n got %+v\nwant %+v", i, got, want)
				}
			}
			for i, kv := range tt.extra {
				for k, want := range kv {
					if got := c.Records[i].Extra[k]; got != want {
						t.Errorf("record %d Extra[%q]: got %q, want %q (extra %v)", i, k, got, want, c.Records[i].Extra)
					}
				}
			}
			if len(c.Problems) != len(tt.problems) {
				t.Fatalf("problems: got %v, want %v", c.Problems, tt.problems)
			}
			for i, p := range c.Problems {
				if !strings.HasPrefix(p.String(), tt.problems[i]) {
					t.Errorf("problem %d: got %q, want prefix %q", i, p, tt.problems[i])
				}
			}
		})
	}
}

func TestReadMappingErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		columns map[string]string
		want    []string // substrings of the error
	}{
		{"missing column", "Date;From;Body\n", map[string]string{"time": "Date", "text": "Texte"}, []string{"line 1", `"Texte"`, "text", `["Date" "From" "Body"]`}},
		{"unknown role", "a,b\n", map[string]string{"colour": "a"}, []string{`unknown column role "colour"`}},
		{"no preset", "a,b\n1,2\n", nil, []string{"matches no preset", `["a" "b"]`}},
		{"nothing to read", "a,b\n", map[string]string{"time": "a"}, []string{"needs a sender, name or text column"}},
		{"empty", "", map[string]string{"time": "a"}, []string{"empty file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Read(context.Background(), strings.NewReader(tt.in), importers.Options{Columns: tt.columns}, &importers.Collector{})
			var pe *importers.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v, want a ParseError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q: want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestDetectPreset(t *testing.T) {
	tests := []struct {
		header string
		want   string
	}{
		{"Message UUID,Message Time,Message Direction,From Number,To Number", "plivo"},
		{"message_uuid;from_number;to_number", "plivo"},
		{"account_id,message_id,direction,from,to,date_received,message_body", "vonage"},
		{"Nom;Montant (€);Date;Commentaire", "crowdfunding"},
		{"Contributeur,Montant,Devise,Date du don,Message", "crowdfunding"},
		{"Donor Name,Amount (EUR),Donation Date", "crowdfunding"},
		{"Numéro;Prénom;Nom;Montant (€);Date;Message", "crowdfunding"},
		{"From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit", ""},
		{"Date,From,Body", ""},
		{"message_id,from,to", ""}, // a Vonage-like header without a date
	}
	for _, tt := range tests {
		got, ok := DetectPreset(headHeader([]byte(tt.header + "\n")))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("DetectPreset(%q): got %q, %v, want %q", tt.header, got, ok, tt.want)
		}
	}
}

func TestSniff(t *testing.T) {
	formats := []importers.Format{Plivo, Vonage, Crowdfunding, CSV}
	for _, f := range formats {
		if f.Sniff(nil, "folder") {
			t.Errorf("%s claims a folder (nil head)", f.ID)
		}
	}
	files := map[string]string{
		"plivo_console.csv":        "csv-plivo,csv",
		"plivo_api_names.csv":      "csv-plivo,csv",
		"vonage_report.csv":        "csv-vonage,csv",
		"crowdfunding_fr.csv":      "csv-crowdfunding,csv",
		"crowdfunding_en.csv":      "csv-crowdfunding,csv",
		"plivo_messy_header.csv":   "csv-plivo,csv",
		"vonage_messy_header.csv":  "csv-vonage,csv",
		"generic_semicolon_fr.csv": "",
		"generic_tab_epoch.tsv":    "",
	}
	for name, want := range files {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range formats {
			if f.Sniff(b, name) {
				got = append(got, f.ID)
			}
		}
		if strings.Join(got, ",") != want {
			t.Errorf("%s: got %v, want %q", name, got, want)
		}
	}
}

func TestPresetFormatImport(t *testing.T) {
	var c importers.Collector
	if err := Crowdfunding.Import(context.Background(), "testdata/crowdfunding_en.csv", importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Records) != 2 || c.Records[0].Kind != "donation" {
		t.Errorf("got %d records %+v, want 2 donations", len(c.Records), c.Records)
	}
}

func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob("testdata/*")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
		f.Add(b, true)
		for _, v := range fuzzseed.Hostile(b) {
			f.Add(v, false)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, mapped bool) {
		opt := importers.Options{}
		if mapped {
			opt.Columns = map[string]string{"time": "Date", "sender": "From", "text": "Message"}
		}
		var c importers.Collector
		err := Read(context.Background(), bytes.NewReader(b), opt, &c)
		var pe *importers.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.Errorf("error without a location: %v", err)
		}
		for _, r := range c.Records {
			if !strings.HasPrefix(r.Location, "line ") {
				t.Errorf("record without a line: %+v", r)
			}
		}
		for _, p := range c.Problems {
			if p.Location == "" || p.Reason == "" {
				t.Errorf("problem without location or reason: %+v", p)
			}
		}
	})
}

func BenchmarkRead(b *testing.B) {
	var in bytes.Buffer
	in.WriteString("Nom;Montant (€);Date;Commentaire\r\n")
	n := 0
	for in.Len() < 4<<20 {
		fmt.Fprintf(&in, "Contributeur %d;%d,00;%02d/03/2024 %02d:%02d;\"Bon courage; vraiment, numéro %d\"\r\n", n%500, n%50+1, n%28+1, n/60%24, n%60, n)
		n++
	}
	b.SetBytes(int64(in.Len()))
	b.ReportAllocs()
	var before runtime.MemStats
	runtime.ReadMemStats(&before) // the input, held by the benchmark
	stop := heappeak.Start()
	for b.Loop() {
		var c countSink
		if err := Read(context.Background(), bytes.NewReader(in.Bytes()), importers.Options{}, &c); err != nil || c.n != n || c.problems != 0 {
			b.Fatalf("got %d records, %d problems, err %v; want %d", c.n, c.problems, err, n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
}

type countSink struct{ n, problems int }

func (c *countSink) Record(importers.Record) error { c.n++; return nil }
func (c *countSink) Problem(importers.Problem)     { c.problems++ }

func TestReadRepeatedHeaders(t *testing.T) {
	in := "Date,From,Body,Note,Note,\n2024-03-14 21:14:00,0612345678,salut,a,b,c\n"
	var c importers.Collector
	opt := importers.Options{Columns: map[string]string{"time": "Date", "sender": "From", "text": "Body"}}
	if err := Read(context.Background(), strings.NewReader(in), opt, &c); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(c.Records[0].Extra)
	if want := "map[#6:c Note:a Note#5:b]"; got != want {
		t.Errorf("extra: got %s, want %s", got, want)
	}
}

func TestReadUnclosedQuote(t *testing.T) {
	in := "Date,From,Body\n" +
		"2024-03-14 21:14:00,0612345678,ok\n" +
		"2024-03-14 21:14:00,0612345678,\"salut\n" +
		"2024-03-14 21:15:00,0612345679,ok\n" +
		"2024-03-14 21:16:00,0612345679,ok\n"
	var c importers.Collector
	opt := importers.Options{Columns: map[string]string{"time": "Date", "sender": "From", "text": "Body"}}
	if err := Read(context.Background(), strings.NewReader(in), opt, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Records) != 2 || len(c.Problems) != 1 || !c.Problems[0].Warning ||
		!strings.HasPrefix(c.Problems[0].String(), "line 3: a field holds lines that look like rows") {
		t.Fatalf("got %d records, problems %v; want 2 records and a warning on line 3", len(c.Records), c.Problems)
	}
	// encoding/csv with lazy quotes reads the rest of the file into the quoted field: the text
	// shows what happened, the warning says why, and nothing is dropped.
	if got := c.Records[1].Text; !strings.Contains(got, "21:16:00") {
		t.Errorf("text: got %q, want it to hold the rest of the file", got)
	}
}

func TestReadIOError(t *testing.T) {
	disk := errors.New("disk failure")
	r := io.MultiReader(strings.NewReader("Date,From,Body\n2024-03-14 21:14:00,0612345678,ok\n"), iotest.ErrReader(disk))
	var c importers.Collector
	err := Read(context.Background(), r, importers.Options{Columns: map[string]string{"text": "Body"}}, &c)
	var pe *importers.ParseError
	if !errors.Is(err, disk) || !errors.As(err, &pe) || len(c.Records) != 1 {
		t.Errorf("got %v with %d records, want a positional error wrapping the read error after 1 record", err, len(c.Records))
	}
}

func TestReadFirstName(t *testing.T) {
	in := "Numéro;Prénom;Nom;Montant (€);Date;Message\n1;Jean;Dupont;5,00;14/03/2024 02:00;courage\n2;;Anonyme;1,00;14/03/2024 02:01;\n"
	var c importers.Collector
	if err := Read(context.Background(), strings.NewReader(in), importers.Options{}, &c); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range c.Records {
		got = append(got, r.Sender.Raw+"|"+r.Sender.Name+"|"+r.PlatformID+"|"+r.Extra["amount"])
	}
	if want := []string{"Jean Dupont|Jean Dupont|1|5,00", "Anonyme|Anonyme|2|1,00"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestNoMappingAndReadHeader(t *testing.T) {
	in := "\ufeffDate;Expéditeur;\"Message; texte\"\n14/03/2024 21:14;0612345678;x\n"
	err := Read(context.Background(), strings.NewReader(in), importers.Options{}, &importers.Collector{})
	if !errors.Is(err, ErrNoMapping) {
		t.Errorf("Read without mapping: got %v, want ErrNoMapping", err)
	}
	h, err := ReadHeader(strings.NewReader(in))
	if got, want := fmt.Sprintf("%q", h), `["Date" "Expéditeur" "Message; texte"]`; err != nil || got != want {
		t.Errorf("ReadHeader: got %s, %v, want %s", got, err, want)
	}
	if _, err := ReadHeader(strings.NewReader("")); err == nil {
		t.Errorf("ReadHeader of an empty file: got no error")
	}
}

// TestReadWindows1252: the French crowdfunding list saved by Excel in Windows-1252 (with CRLF)
// gives the same records as the UTF-8 original, plus one warning that says how it was read.
func TestReadWindows1252(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	opt := importers.Options{Location: paris}
	want, err := readFile(t, generic, "testdata/crowdfunding_fr.csv", opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readFile(t, generic, "testdata/crowdfunding_fr_cp1252.csv", opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Records) != len(want.Records) || len(got.Records) == 0 {
		t.Fatalf("got %d records, want %d", len(got.Records), len(want.Records))
	}
	for i := range want.Records {
		if g, w := fmt.Sprint(got.Records[i]), fmt.Sprint(want.Records[i]); g != w {
			t.Errorf("record %d:\n got %s\nwant %s", i, g, w)
		}
	}
	wantProblems := append([]importers.Problem{LegacyProblem}, want.Problems...)
	if g, w := fmt.Sprint(got.Problems), fmt.Sprint(wantProblems); g != w {
		t.Errorf("problems:\n got %s\nwant %s", g, w)
	}
	b, err := os.ReadFile("testdata/crowdfunding_fr_cp1252.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !Crowdfunding.Sniff(b, "x.csv") {
		t.Errorf("Crowdfunding.Sniff(Windows-1252 file) = false, want true")
	}
}

// TestReadExcelSepLine: a "sep=;" first line names the delimiter and is not the header; records
// are the same as without it, each one line further down.
func TestReadExcelSepLine(t *testing.T) {
	want, err := readFile(t, generic, "testdata/crowdfunding_en.csv", importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := readFile(t, generic, "testdata/crowdfunding_en_excel_sep.csv", importers.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Records) != len(want.Records) || len(got.Records) == 0 || len(got.Problems) != len(want.Problems) {
		t.Fatalf("got %d records, problems %v; want %d, %v", len(got.Records), got.Problems, len(want.Records), want.Problems)
	}
	for i := range want.Records {
		w := want.Records[i]
		var n int
		fmt.Sscanf(w.Location, "line %d", &n)
		w.Location = fmt.Sprintf("line %d", n+1)
		if g, w := fmt.Sprint(got.Records[i]), fmt.Sprint(w); g != w {
			t.Errorf("record %d:\n got %s\nwant %s", i, g, w)
		}
	}
	b, _ := os.ReadFile("testdata/crowdfunding_en_excel_sep.csv")
	if !Crowdfunding.Sniff(b, "x.csv") {
		t.Errorf("Crowdfunding.Sniff: false, want true with a sep= line")
	}
}

// TestDateOrder: without Options.DateOrder, the day/month order of the time column is inferred
// from the whole file, as the chat-text importer infers it; a file that never settles it is read
// day first with one warning naming the assumption and the option, and the rows held back
// meanwhile keep their order among the other rows and problems.
func TestDateOrder(t *testing.T) {
	cols := map[string]string{"time": "Date", "sender": "From", "text": "Text"}
	type rec struct{ loc, time string }
	tests := []struct {
		name     string
		file     string
		order    string
		maxHeld  int
		records  []rec
		problems []string
	}{
		{"never settled", "dm_ambiguous.csv", "", 0, []rec{
			{"line 2", "2024-01-01T09:00:00Z"}, {"line 3", "2024-01-02T15:04:00Z"}, {"line 5", "2024-01-03T09:00:00Z"}, {"line 6", "2024-05-05T10:00:00Z"},
		}, []string{
			`file: day/month order is ambiguous: no date in the file has a field above 12 in column "Date" (the first date it changes: line 3, "02/01/2024 15:04"); read as day/month/year. If the file is month first, re-import with the date order set to MDY (raidtrace import --date-order MDY)`,
			"line 4: row skipped: it has 1 fields",
		}},
		{"never settled, order given", "dm_ambiguous.csv", "MDY", 0, []rec{
			{"line 2", "2024-01-01T09:00:00Z"}, {"line 3", "2024-02-01T15:04:00Z"}, {"line 5", "2024-03-01T09:00:00Z"}, {"line 6", "2024-05-05T10:00:00Z"},
		}, []string{"line 4: row skipped: it has 1 fields"}},
		{"never settled, day first given", "dm_ambiguous.csv", "DMY", 0, []rec{
			{"line 2", "2024-01-01T09:00:00Z"}, {"line 3", "2024-01-02T15:04:00Z"}, {"line 5", "2024-01-03T09:00:00Z"}, {"line 6", "2024-05-05T10:00:00Z"},
		}, []string{"line 4: row skipped: it has 1 fields"}},
		{"settled month first by a later row", "dm_month_first.csv", "", 0, []rec{
			{"line 2", "2024-02-01T15:04:00Z"}, {"line 3", "2024-05-05T10:00:00Z"}, {"line 4", "2024-01-13T10:00:00Z"}, {"line 5", "2024-03-01T09:00:00Z"},
		}, nil},
		{"settled, then contradicted", "dm_contradiction.csv", "", 0, []rec{
			{"line 2", "2024-01-02T15:04:00Z"}, {"line 3", "2024-01-13T10:00:00Z"}, {"line 4", ""},
		}, []string{
			`file: day/month order: in column "Date", line 3, "13/01/2024 10:00" is only valid as day/month/year but line 4, "01/13/2024 10:00" only as month/day/year; read as day/month/year`,
			`line 4: column "Date": time "01/13/2024 10:00": not a recognised date`,
		}},
		{"too many rows held: day first assumed", "dm_month_first.csv", "", 1, []rec{
			{"line 2", "2024-01-02T15:04:00Z"}, {"line 3", "2024-05-05T10:00:00Z"}, {"line 4", ""}, {"line 5", "2024-01-03T09:00:00Z"},
		}, []string{
			`file: day/month order is ambiguous: no date up to line 2 has a field above 12 in column "Date" (the first date it changes: line 2, "02/01/2024 15:04"); read as day/month/year.`,
			`file: day/month order: line 4, "01/13/2024 10:00" in column "Date" can only be read as month/day/year, but the rows before it were read as day/month/year (the order was not settled then); re-import with the date order set to MDY (raidtrace import --date-order MDY)`,
			`line 4: column "Date": time "01/13/2024 10:00": not a recognised date`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.maxHeld > 0 {
				saved := maxHeld
				maxHeld = tt.maxHeld
				t.Cleanup(func() { maxHeld = saved })
			}
			opt := importers.Options{Columns: cols, DateOrder: tt.order, Location: time.UTC}
			for _, r := range []struct {
				name string
				wrap func(io.Reader) io.Reader
			}{{"whole", func(r io.Reader) io.Reader { return r }}, {"byte by byte", iotest.OneByteReader}} {
				data, err := os.ReadFile(filepath.Join("testdata", tt.file))
				if err != nil {
					t.Fatal(err)
				}
				var c importers.Collector
				if err := Read(context.Background(), r.wrap(bytes.NewReader(data)), opt, &c); err != nil {
					t.Fatalf("%s: Read: %v", r.name, err)
				}
				var got []rec
				for _, x := range c.Records {
					g := rec{loc: x.Location}
					if !x.Time.IsZero() {
						g.time = x.Time.Format(time.RFC3339)
					}
					got = append(got, g)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.records) {
					t.Errorf("%s: records:\n got %v\nwant %v", r.name, got, tt.records)
				}
				if len(c.Problems) != len(tt.problems) {
					t.Fatalf("%s: problems: got %v, want %v", r.name, c.Problems, tt.problems)
				}
				for i, p := range c.Problems {
					if !strings.HasPrefix(p.String(), tt.problems[i]) {
						t.Errorf("%s: problem %d:\n got %q\nwant prefix %q", r.name, i, p, tt.problems[i])
					}
					if strings.HasPrefix(p.Location, "file") && !p.Warning {
						t.Errorf("%s: problem %d: got %v, want a warning", r.name, i, p)
					}
				}
			}
		})
	}
}

func TestEvidence(t *testing.T) {
	tests := []struct{ v, want string }{
		{"02/01/2024 15:04", "?"},
		{" 2.1.24", "?"},
		{"13/01/2024", "DMY"},
		{"01-13-2024 10:00", "MDY"},
		{"05/05/2024", ""},
		{"13/13/2024", ""},
		{"2024-01-02 10:00", ""},
		{"1710450843", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := evidence(tt.v); got != tt.want {
			t.Errorf("evidence(%q): got %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestReadCRLineEnds: a preset's file saved with carriage return line ends (old Mac, Excel for
// Mac) is claimed by its preset and gives the same records, on the same lines, as the original,
// plus one warning that says how its lines were read.
func TestReadCRLineEnds(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	tests := []struct {
		orig, cr string
		format   importers.Format
	}{
		{"plivo_console.csv", "plivo_console_cr.csv", Plivo},
		{"crowdfunding_fr.csv", "crowdfunding_fr_cr.csv", Crowdfunding},
	}
	for _, tt := range tests {
		t.Run(tt.cr, func(t *testing.T) {
			opt := importers.Options{Location: paris}
			want, err := readFile(t, generic, filepath.Join("testdata", tt.orig), opt)
			if err != nil {
				t.Fatal(err)
			}
			got, err := readFile(t, generic, filepath.Join("testdata", tt.cr), opt)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := fmt.Sprint(got.Records), fmt.Sprint(want.Records); g != w || len(got.Records) == 0 {
				t.Errorf("records:\n got %s\nwant %s", g, w)
			}
			wantProblems := append([]importers.Problem{csvrows.CRProblem}, want.Problems...)
			if g, w := fmt.Sprint(got.Problems), fmt.Sprint(wantProblems); g != w {
				t.Errorf("problems:\n got %s\nwant %s", g, w)
			}
			b, err := os.ReadFile(filepath.Join("testdata", tt.cr))
			if err != nil {
				t.Fatal(err)
			}
			if !tt.format.Sniff(b, tt.cr) {
				t.Errorf("%s.Sniff(CR line ends) = false, want true", tt.format.ID)
			}
		})
	}
}

// TestAmbiguousCode: only the warning of a file whose time column never settles day/month order
// carries importers.CodeAmbiguousDateOrder; a given order, a settled or a contradicted file has none.
func TestAmbiguousCode(t *testing.T) {
	cols := map[string]string{"time": "Date", "sender": "From", "text": "Text"}
	tests := []struct {
		file, order string
		want        int
	}{
		{"dm_ambiguous.csv", "", 1},
		{"dm_ambiguous.csv", "MDY", 0},
		{"dm_month_first.csv", "", 0},
		{"dm_contradiction.csv", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.order, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var c importers.Collector
			if err := Read(context.Background(), f, importers.Options{Columns: cols, DateOrder: tt.order}.WithDefaults(), &c); err != nil {
				t.Fatal(err)
			}
			got := 0
			for _, p := range c.Problems {
				if p.Code == importers.CodeAmbiguousDateOrder {
					got++
				}
			}
			if got != tt.want {
				t.Errorf("%d problems with code %q, want %d (problems %v)", got, importers.CodeAmbiguousDateOrder, tt.want, c.Problems)
			}
		})
	}
}
