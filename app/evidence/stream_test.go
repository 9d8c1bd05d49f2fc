package evidence

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// untimedFormat reads lines "sender|text" into messages without a time.
var untimedFormat = importers.StreamFormat("fake-untimed", "Fake untimed lines",
	func(head []byte, name string) bool { return strings.HasSuffix(name, ".untimed") },
	func(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
		sc := bufio.NewScanner(r)
		for n := 1; sc.Scan(); n++ {
			sender, text, _ := strings.Cut(sc.Text(), "|")
			rec := importers.Record{Location: fmt.Sprintf("line %d", n), Platform: "sms", Sender: importers.Party{Raw: sender},
				Direction: importers.Incoming, Text: text, Kind: "message", Conversation: "groupe"}
			if err := sink.Record(rec); err != nil {
				return err
			}
		}
		return sc.Err()
	})

// TestStreamedModelMatchesInMemory checks that a model built from a case, which streams the
// full messages from it, writes the same files as one holding every message in memory, also
// when some messages have no time (the case lists them last, the model first) and when
// redacted.
func TestStreamedModelMatchesInMemory(t *testing.T) {
	ctx := context.Background()
	c := newTestCase(t)
	src := filepath.Join(t.TempDir(), "sans-heure.untimed")
	body := "+33 6 55 55 55 55|sans heure <b>&</b> 06 12 34 56 78\n@raider_04|t'es qu'une conasse, dégage de twitter\n"
	if err := os.WriteFile(src, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, src, untimedFormat, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Analyze(ctx, analysis.DefaultParams(), nil); err != nil {
		t.Fatal(err)
	}
	all, err := c.Messages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := loadStrings("en")
	if err != nil {
		t.Fatal(err)
	}
	writers := []struct {
		name string
		fn   func(m *Model, w io.Writer) error
	}{
		{"messages.csv", (*Model).WriteMessagesCSV},
		{"messages.jsonl", (*Model).WriteMessagesJSONL},
		{"raidtrace.rsmf", (*Model).WriteRSMF},
		{"report.html", func(m *Model, w io.Writer) error { return m.WriteHTML(w, tr) }},
		{"report.pdf", func(m *Model, w io.Writer) error { return m.WritePDF(w, tr) }},
	}
	for _, redact := range []bool{false, true} {
		opt := BuildOptions{Now: testNow, Agent: "raidtrace/test", Redact: redact, Signer: testSigner(t)}
		streamed, err := BuildModel(ctx, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		if streamed.Messages != nil || streamed.stream == nil {
			t.Fatalf("redact=%v: BuildModel holds %d full messages, want none (streamed)", redact, len(streamed.Messages))
		}
		mem, err := BuildModel(ctx, c, opt)
		if err != nil {
			t.Fatal(err)
		}
		mem.stream, mem.redactKey = nil, nil
		mem.Messages = make([]casefile.Message, len(all))
		for i, msg := range all {
			msg.Recipients = append([]importers.Party(nil), msg.Recipients...)
			msg.Attachments = append([]importers.Attachment(nil), msg.Attachments...)
			if redact {
				redactMessage(pseudonymKey(mem.Info.ID, opt.Signer), &msg)
			}
			mem.Messages[i] = msg
		}
		mem.Derive()
		for _, w := range writers {
			var got, want bytes.Buffer
			if err := w.fn(streamed, &got); err != nil {
				t.Fatalf("redact=%v %s streamed: %v", redact, w.name, err)
			}
			if err := w.fn(mem, &want); err != nil {
				t.Fatalf("redact=%v %s in memory: %v", redact, w.name, err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("redact=%v %s: streamed output (%d bytes) differs from the in-memory one (%d bytes)", redact, w.name, got.Len(), want.Len())
			}
		}
		// the untimed messages come first, in id order
		var b bytes.Buffer
		if err := streamed.WriteMessagesCSV(&b); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(rows), len(all)+1; got != want {
			t.Fatalf("redact=%v: messages.csv has %d rows, want %d", redact, got, want)
		}
		for i, want := range []string{"", ""} {
			if got := rows[1+i][3]; got != want {
				t.Errorf("redact=%v: row %d time_utc = %q, want %q (untimed first)", redact, 1+i, got, want)
			}
		}
		if rows[3][3] == "" {
			t.Errorf("redact=%v: row 3 has no time, want the first timed message", redact)
		}
	}
}

// TestResultJSONStreamed checks that result.json, written cluster by cluster, is what writeJSON
// writes for the whole analysis (HTML characters unescaped, same indentation).
func TestResultJSONStreamed(t *testing.T) {
	m := handModel()
	m.Analysis.Result.Clusters = append(m.Analysis.Result.Clusters, analysis.Cluster{ID: 2, Members: []int{2},
		Template: `<script>"&"</script>`, Size: 1, Senders: 1})
	m.Analysis.Result.Flags = []analysis.Flag{{Message: 1, Category: "insult"}}
	for i := range 100 { // long enough to be written element by element
		m.Analysis.Result.Flags = append(m.Analysis.Result.Flags, analysis.Flag{Message: i % 3, Category: "insult",
			Matched: []string{"<" + fmt.Sprint(i) + ">"}})
		m.Analysis.Result.Network = append(m.Analysis.Result.Network, analysis.Edge{A: "a&b", B: fmt.Sprint(i), Weight: i})
	}
	type withExhibits struct {
		*casefile.Analysis
		ExhibitIDs []string `json:"exhibit_ids"`
	}
	for _, tc := range []struct {
		name     string
		clusters []analysis.Cluster
	}{
		{"two clusters", m.Analysis.Result.Clusters},
		{"one cluster", m.Analysis.Result.Clusters[:1]},
		{"none", []analysis.Cluster{}},
		{"nil", nil},
	} {
		a := *m.Analysis
		r := *a.Result
		r.Clusters = tc.clusters
		a.Result = &r
		var got, streamed, want bytes.Buffer
		if err := writeResultJSON(&got, &a, nil); err != nil {
			t.Fatal(err)
		}
		// the same with the clusters given one at a time
		skel, sr := a, r
		sr.Clusters, skel.Result = nil, &sr
		stream := func(fn func(*analysis.Cluster) error) (bool, error) {
			for i := range tc.clusters {
				c := tc.clusters[i]
				if err := fn(&c); err != nil {
					return false, err
				}
			}
			return tc.clusters == nil, nil
		}
		if err := writeResultJSON(&streamed, &skel, stream); err != nil {
			t.Fatal(err)
		}
		ex := []string{exhibitOf(1), exhibitOf(2), exhibitOf(3)}
		if err := writeJSON(&want, withExhibits{&a, ex}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got.String(), want.String())
		}
		if streamed.String() != want.String() {
			t.Errorf("%s: clusters streamed: got\n%s\nwant\n%s", tc.name, streamed.String(), want.String())
		}
	}
	// an error while the clusters are read stops the writing and is returned
	a := *m.Analysis
	r := *a.Result
	r.Clusters, a.Result = nil, &r
	bad := errors.New("cluster 1: truncated")
	err := writeResultJSON(io.Discard, &a, func(fn func(*analysis.Cluster) error) (bool, error) {
		if err := fn(&m.Analysis.Result.Clusters[0]); err != nil {
			return false, err
		}
		return false, bad
	})
	if !errors.Is(err, bad) {
		t.Errorf("failing stream: error %v, want %v", err, bad)
	}
	// clusters both held and streamed are refused, not written twice
	if err := writeResultJSON(io.Discard, m.Analysis, func(func(*analysis.Cluster) error) (bool, error) { return false, nil }); err == nil {
		t.Errorf("clusters held and streamed: no error")
	}
}

// TestBase64Lines checks the streamed base64 against encoding the whole input at once and
// cutting it into lines of 76 characters, each ended by CRLF.
func TestBase64Lines(t *testing.T) {
	for _, n := range []int{0, 1, 56, 57, 58, 114, 200, 1000} {
		data := bytes.Repeat([]byte("raid\xff"), n)[:n]
		s := base64.StdEncoding.EncodeToString(data)
		var want strings.Builder
		for len(s) > 76 {
			want.WriteString(s[:76] + "\r\n")
			s = s[76:]
		}
		want.WriteString(s + "\r\n")
		var got bytes.Buffer
		bw := bufio.NewWriter(&got)
		l := newBase64Lines(bw)
		for i := 0; i < n; i += 7 { // in uneven pieces
			l.Write(data[i:min(i+7, n)])
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		bw.Flush()
		if got.String() != want.String() {
			t.Errorf("%d bytes: got %q, want %q", n, got.String(), want.String())
		}
	}
}

// TestJSONStreamedLikeWriteJSON checks writeJSONStreamed against writeJSON on values that use
// what encoding/json does with structs: tags, omitempty, embedded structs and pointers (nil or
// not), marshallers, long and short slices, maps, []byte, nil and empty values, HTML characters.
func TestJSONStreamedLikeWriteJSON(t *testing.T) {
	type inner struct {
		A string    `json:"a"`
		T time.Time `json:"t"`
	}
	type Base struct {
		ID   int    `json:"id"`
		Note string `json:"note,omitempty"`
	}
	type outer struct {
		*Base
		inner   `json:"in"`
		Name    string         `json:"name"`
		Skip    string         `json:"-"`
		Dash    string         `json:"-,"`
		Untag   int            // Go name
		Empty   []int          `json:"empty,omitempty"`
		Nil     []int          `json:"nil"`
		None    []int          `json:"none"`
		Long    []inner        `json:"long"`
		Ints    []int          `json:"ints,omitempty"`
		Bytes   []byte         `json:"bytes"`
		Map     map[string]int `json:"map"`
		Ptr     *inner         `json:"ptr"`
		NilPtr  *inner         `json:"nil_ptr"`
		Any     any            `json:"any"`
		Nested  [][]string     `json:"nested"`
		private int
	}
	long := make([]inner, 70)
	for i := range long {
		long[i] = inner{A: fmt.Sprintf("<b>%d & \"x\"</b>", i), T: time.Unix(int64(i)*1000, 0).UTC()}
	}
	ints := make([]int, 200)
	for i := range ints {
		ints[i] = i * i
	}
	nested := make([][]string, 80)
	for i := range nested {
		nested[i] = []string{"a", strings.Repeat("é", i%3)}
	}
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"full", outer{Base: &Base{ID: 7, Note: "n"}, inner: inner{A: "x"}, Name: "<&>", Dash: "d", Untag: 3,
			Empty: []int{}, None: []int{}, Long: long, Ints: ints, Bytes: []byte("raw"), Map: map[string]int{"b": 2, "a": 1},
			Ptr: &long[3], Any: long[:65], Nested: nested, private: 1}},
		{"zero", outer{}},
		{"pointer", &outer{Long: long[:2]}},
		{"nil", nil},
		{"slice of structs", long},
		{"short slice", long[:3]},
		{"empty struct", struct{}{}},
		{"only omitted", struct {
			A []int `json:"a,omitempty"`
		}{}},
	} {
		var got, want bytes.Buffer
		if err := writeJSONStreamed(&got, tc.v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := writeJSON(&want, tc.v); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: got\n%s\nwant\n%s", tc.name, got.String(), want.String())
		}
		// json.MarshalIndent's one-space form, HTML escaped
		var one bytes.Buffer
		bw := bufio.NewWriter(&one)
		if err := streamJSON(bw, tc.v, " ", true); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		bw.Flush()
		if wantOne, _ := json.MarshalIndent(tc.v, "", " "); one.String() != string(wantOne) {
			t.Errorf("%s, one space: got\n%s\nwant\n%s", tc.name, one.String(), wantOne)
		}
	}
}

// TestResultJSONFromCase checks the result.json of exported bags, whose clusters are read from
// the case one at a time (and redacted one at a time), against the stored analysis read whole
// and written at once.
func TestResultJSONFromCase(t *testing.T) {
	c := newTestCase(t)
	full, err := c.LatestAnalysis(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if full.Result == nil || len(full.Result.Clusters) == 0 {
		t.Fatalf("test case: no clusters to stream")
	}
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	signer := testSigner(t)
	for _, redact := range []bool{false, true} {
		bag := exportTest(t, c, Options{Key: signer, Redact: redact})
		got, err := os.ReadFile(filepath.Join(bag, "data", "analysis", "result.json"))
		if err != nil {
			t.Fatal(err)
		}
		a := *full
		if redact {
			a.Result = redactResult(pseudonymKey(info.ID, signer), full.Result)
		}
		var want bytes.Buffer
		if err := writeResultJSON(&want, &a, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("redact=%v: result.json (%d bytes) differs from the analysis written whole (%d bytes)", redact, len(got), want.Len())
		}
		if redact { // the check is only worth something if redaction changes clusters
			changed := 0
			for i := range full.Result.Clusters {
				c := full.Result.Clusters[i]
				before, _ := json.Marshal(c)
				redactCluster(pseudonymKey(info.ID, signer), &c)
				if after, _ := json.Marshal(c); !bytes.Equal(before, after) {
					changed++
				}
			}
			if changed == 0 {
				t.Errorf("redaction changes none of the test case's %d clusters", len(full.Result.Clusters))
			}
		}
	}
}
