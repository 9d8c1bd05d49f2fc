package analysis_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"raidtrace/analysis"
	"raidtrace/analysis/corpus"
)

// TestResultHashes compares the SHA-256 of the JSON encoding of the full Result of Analyze, and of
// the Groups output, on fixed generated corpora, with one and with several workers, against
// testdata/result-hashes.golden: a change meant to be a pure optimisation must leave every hash
// unchanged (-update rewrites the file for a change meant to alter results). It runs only when
// RAIDTRACE_HASH is set (it takes a while).
func TestResultHashes(t *testing.T) {
	if os.Getenv("RAIDTRACE_HASH") == "" {
		t.Skip("set RAIDTRACE_HASH=1 to check the result hashes")
	}
	cases := []struct {
		name string
		cfg  corpus.Config
	}{
		{"mixed150k", corpus.Config{Seed: 7, N: 150000, HashtagPart: 0.05}},
		{"hashtag60k", corpus.Config{Seed: 7, N: 60000, HashtagPart: 0.3}},
		{"bench200k", corpus.Config{Seed: 1, N: 200000}},
		{"raid20k", corpus.Config{Seed: 5, N: 20000, Raids: 1, RaidPart: 0.999, HardPart: 0.0005}},
	}
	sum := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%x", sha256.Sum256(b))
	}
	var got strings.Builder
	for _, c := range cases {
		msgs := corpus.Generate(c.cfg).Messages
		for _, workers := range []int{0, 1} {
			p := analysis.DefaultParams()
			p.Workers = workers
			res, err := analysis.Analyze(context.Background(), msgs, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			groups, err := analysis.Groups(context.Background(), msgs, p)
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&got, "%-10s workers=%d analyze=%s groups=%s\n", c.name, workers, sum(res), sum(groups))
		}
	}
	const golden = "testdata/result-hashes.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Errorf("result hashes changed:\n got\n%s\nwant\n%s", got.String(), want)
	}
}
