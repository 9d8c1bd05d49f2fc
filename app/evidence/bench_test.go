package evidence

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// bigModel is n messages: a tenth of ordinary traffic over two weeks, the rest a raid of 20
// variants from distinct numbers over three hours.
func bigModel(n int) *Model {
	t0 := time.Date(2024, 5, 1, 20, 0, 0, 0, time.UTC)
	msgs := make([]casefile.Message, n)
	ids := make([]int64, n)
	var members []int
	for i := range msgs {
		id := int64(i + 1)
		ids[i] = id
		r := importers.Record{Location: fmt.Sprintf("/smses/sms[%d]", i+1), Platform: "sms", Direction: importers.Incoming, Kind: "message",
			Sender: importers.Party{Raw: fmt.Sprintf("+336%08d", i), E164: fmt.Sprintf("+336%08d", i)}}
		if i%10 == 0 {
			r.Time = t0.Add(-time.Duration(i) * time.Minute)
			r.Text = fmt.Sprintf("message ordinaire numéro %d, à demain", i)
		} else {
			r.Time = t0.Add(time.Duration(i) * 3 * time.Hour / time.Duration(n))
			r.Text = fmt.Sprintf("t'es qu'une conasse, dégage de twitter %d", i%20)
			members = append(members, i)
		}
		msgs[i] = casefile.Message{ID: id, SourceID: 1, SourceSHA256: "00", Hash: fmt.Sprintf("%064x", i), Record: r}
	}
	cl := analysis.Cluster{ID: 1, Members: members, Template: "t'es qu'une conasse, dégage de twitter 1", Size: len(members), Senders: len(members),
		Start: msgs[members[0]].Time, End: msgs[members[len(members)-1]].Time, Score: 100}
	return &Model{Info: casefile.Info{ID: "bench-0000", UnitCost: 0.16}, Generated: testNow, Agent: "raidtrace/bench", Messages: msgs,
		Sources:  []casefile.Source{{ID: 1, Name: "big.xml", SHA256: "00"}},
		Analysis: &casefile.Analysis{Run: 1, At: testNow, Result: &analysis.Result{Params: analysis.DefaultParams(), Clusters: []analysis.Cluster{cl}}, MessageIDs: ids}}
}

// BenchmarkExport100k writes a whole bag (tables, RSMF, reports in two languages, manifests,
// signature) for 100,000 messages.
func BenchmarkExport100k(b *testing.B) {
	n := benchN()
	key := testSigner(b)
	for b.Loop() {
		b.StopTimer()
		m := bigModel(n)
		root := filepath.Join(b.TempDir(), "bag")
		os.Mkdir(root, 0o755)
		b.StartTimer()
		m.Derive()
		if _, err := writeBag(context.Background(), m, nil, root, Options{Key: key, Now: fixedNow}, func(string, float64) {}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkVerify100k checks a 100,000-message bag.
func BenchmarkVerify100k(b *testing.B) {
	m := bigModel(100_000)
	m.Derive()
	root := filepath.Join(b.TempDir(), "bag")
	os.Mkdir(root, 0o755)
	if _, err := writeBag(context.Background(), m, nil, root, Options{Key: testSigner(b), Now: fixedNow, Langs: []string{"en"}}, func(string, float64) {}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r, err := Verify(context.Background(), root)
		if err != nil || !r.OK() {
			b.Fatal(err, r.Problems)
		}
	}
}

// benchN is 100,000 unless RAIDTRACE_BENCH_N says otherwise (for profiling).
func benchN() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("RAIDTRACE_BENCH_N"), &n); err == nil && n > 0 {
		return n
	}
	return 100_000
}
