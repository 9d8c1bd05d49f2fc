package evidence

import (
	"archive/zip"
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"raidtrace/app/casefile"
)

// TestCrashDuringExport re-runs the test binary as a child that exports a case (folder and zip)
// and kills it (SIGKILL) at random moments of the export. After every kill, everything in the
// output folder under a final name must be a whole bag that verifies (or a whole zip); only
// ".partial-" temporaries may be incomplete. Then an export in this process succeeds beside the
// leftovers, removes them all (none is in use any more) and verifies.
func TestCrashDuringExport(t *testing.T) {
	if env := os.Getenv("RAIDTRACE_EXPORT_CRASH_CHILD"); env != "" {
		exportCrashChild(t, env)
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	ctx := context.Background()
	c := newTestCase(t)
	casePath := c.Path()
	c.Close() // the child needs the case (one instance at a time)

	out := t.TempDir()
	const kills = 20
	rng := rand.New(rand.NewPCG(7, 8))
	finished := 0
	var full time.Duration // how long a child's export takes, measured by the first, unkilled run
	for k := -1; k < kills; k++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDuringExport$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RAIDTRACE_EXPORT_CRASH_CHILD="+casePath+"\n"+out)
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		started := make(chan bool, 1)
		var last string
		stages := make(chan string, 64)
		go func() {
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				if sc.Text() == "crashchild: start" {
					started <- true
				}
				if s, ok := strings.CutPrefix(sc.Text(), "crashchild: stage "); ok {
					select {
					case stages <- s:
					default:
					}
				}
			}
			close(started)
		}()
		delay := time.Duration(rng.Int64N(int64(full)*8/10 + 1))
		done := make(chan error, 1)
		if k < 0 {
			<-started
			t0 := time.Now()
			if err := cmd.Wait(); err != nil {
				t.Fatalf("first child: %v", err)
			}
			full = time.Since(t0)
			t.Logf("a whole export in a child takes %v", full.Round(time.Millisecond))
			checkExportDir(t, out, "after the first export")
			continue
		}
		if <-started {
			go func() { done <- cmd.Wait() }()
			select {
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				if <-done == nil {
					finished++
				}
			case err := <-done:
				if err != nil {
					t.Fatalf("child %d: %v", k, err)
				}
				finished++
			}
		} else if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d did not start: %v", k, err)
		}
		for len(stages) > 0 {
			last = <-stages
		}
		t.Logf("kill %d after %v (last stage %q)", k, delay.Round(time.Millisecond), last)
		checkExportDir(t, out, fmt.Sprintf("after kill %d", k))
		// each child removed what the earlier kills left: only its own folder and zip can be there
		if ps := partialEntries(t, out); canLockPartials && len(ps) > 2 {
			t.Errorf("after kill %d: %d partial bundles %v, want at most the killed child's folder and zip", k, len(ps), ps)
		}
	}
	if finished == kills {
		t.Errorf("every child finished before its kill: the kills tested nothing")
	}
	ents, _ := os.ReadDir(out)
	t.Logf("%d of %d children finished; the output folder holds %d entries", finished, kills, len(ents))
	// a later export succeeds beside whatever the kills left, and verifies
	c2, err := casefile.Open(ctx, casePath)
	if err != nil {
		t.Fatalf("open the case after the kills: %v", err)
	}
	defer c2.Close()
	stale := partialEntries(t, out)
	var cleaned Cleanup
	bag, err := Export(ctx, c2, out, Options{Key: testSigner(t), Now: fixedNow, Agent: "raidtrace/test",
		Cleanup: func(c Cleanup) { cleaned = c }}, nil)
	if err != nil {
		t.Fatalf("export after the kills: %v", err)
	}
	if !canLockPartials {
		stale = nil // where there is no flock, an export cannot tell stale partial bundles and removes none
	}
	if cleaned.Removed != len(stale) || len(cleaned.Failed) > 0 {
		t.Errorf("export after the kills: cleanup %+v, want the %d stale partial bundles %v removed", cleaned, len(stale), stale)
	}
	if left := partialEntries(t, out); canLockPartials && len(left) > 0 {
		t.Errorf("export after the kills left partial bundles behind: %v", left)
	}
	if r := mustVerify(t, bag); !r.OK() {
		t.Fatalf("export after the kills: %v", r.Problems)
	}
	checkExportDir(t, out, "at the end")
	if err := c2.VerifyCustody(ctx); err != nil {
		t.Errorf("custody chain after the kills: %v", err)
	}
}

// partialEntries lists the .partial-… entries of dir.
func partialEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".partial-") {
			out = append(out, e.Name())
		}
	}
	return out
}

// checkExportDir fails unless every entry of dir not named ".partial-…" is a whole bag folder
// (Verify and the RFC 8493 check pass) or a whole zip (every entry reads back with its CRC).
func checkExportDir(t *testing.T, dir, when string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		p := filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), ".partial-"):
		case e.IsDir():
			if r := mustVerify(t, p); !r.OK() {
				t.Errorf("%s: half-written bag under its final name %s: %v", when, e.Name(), r.Problems)
			}
			if errs := checkRFC8493(p); len(errs) > 0 {
				t.Errorf("%s: %s departs from RFC 8493: %v", when, e.Name(), errs)
			}
		case strings.HasSuffix(e.Name(), ".zip"):
			if err := readWholeZip(p); err != nil {
				t.Errorf("%s: half-written zip under its final name %s: %v", when, e.Name(), err)
			}
		default:
			t.Errorf("%s: unexpected %s in the output folder", when, e.Name())
		}
	}
}

func readWholeZip(p string) error {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return err
	}
	defer zr.Close()
	if len(zr.File) < 10 {
		return fmt.Errorf("only %d entries", len(zr.File))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
		_, err = io.Copy(io.Discard, rc) // checks the CRC-32
		rc.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

func exportCrashChild(t *testing.T, env string) {
	casePath, out, _ := strings.Cut(env, "\n")
	ctx := context.Background()
	c, err := casefile.Open(ctx, casePath)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Println("crashchild: start")
	_, err = Export(ctx, c, out, Options{Key: testSigner(t), Zip: true, Now: fixedNow, Agent: "raidtrace/test"},
		func(stage string, _ float64) { fmt.Println("crashchild: stage " + stage) })
	if err != nil {
		t.Fatal(err)
	}
}
