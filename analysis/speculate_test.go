package analysis_test

import (
	"context"
	"reflect"
	"testing"

	"raidtrace/analysis"
	"raidtrace/analysis/corpus"
)

// TestSpeculativeFirstPass checks that the speculative first pass of the leader grouping gives
// exactly the sequential result: every component large enough runs speculatively (2 texts and
// up) or none does, on several worker counts.
func TestSpeculativeFirstPass(t *testing.T) {
	for _, cfg := range []corpus.Config{
		{Seed: 3, N: 20000},
		{Seed: 4, N: 15000, HashtagPart: 0.3},
		{Seed: 5, N: 8000, Raids: 1, RaidPart: 0.999, HardPart: 0.0005},
	} {
		msgs := corpus.Generate(cfg).Messages
		run := func(from, workers int) ([][]int, *analysis.Result) {
			defer analysis.SetSpeculateFrom(from)()
			p := analysis.DefaultParams()
			p.Workers = workers
			g, err := analysis.Groups(context.Background(), msgs, p)
			if err != nil {
				t.Fatal(err)
			}
			r, err := analysis.Analyze(context.Background(), msgs, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			r.Params.Workers = 0 // not part of the result (never stored)
			return g, r
		}
		wantG, wantR := run(1<<30, 1)
		if len(wantG) == 0 {
			t.Fatalf("seed %d: no clusters", cfg.Seed)
		}
		for _, w := range []int{2, 3} {
			for _, from := range []int{2, 64} {
				g, r := run(from, w)
				if !reflect.DeepEqual(g, wantG) {
					t.Errorf("seed %d, workers %d, speculating from %d: groups differ", cfg.Seed, w, from)
				}
				if !reflect.DeepEqual(r, wantR) {
					t.Errorf("seed %d, workers %d, speculating from %d: results differ", cfg.Seed, w, from)
				}
			}
		}
	}
}
