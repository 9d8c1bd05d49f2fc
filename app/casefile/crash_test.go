package casefile

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCrashDuringImport re-runs the test binary as a child that imports big files into a case and
// kills it (SIGKILL) at random moments. After each kill the case must open, pass the integrity
// check, keep an unbroken custody chain and hold every source completely or not at all. Finally
// the imports are run to completion: no record is stored twice.
func TestCrashDuringImport(t *testing.T) {
	if dir := os.Getenv("RAIDTRACE_CRASH_CHILD"); dir != "" {
		crashChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	ctx := context.Background()
	dir := t.TempDir()
	c, err := Create(ctx, filepath.Join(dir, "crash"+Extension), Info{Examiner: "crash"})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	// One new export per run, overlapping the previous one so that duplicates are exercised;
	// the child imports every export present and is killed soon after it starts on the new one.
	const files, lines = 5, 12000
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range files {
		writeFile(t, dir, fmt.Sprintf("export%d.txt", k), fakeLines(k*lines/2, lines))
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDuringImport$", "-test.count=1")
		cmd.Env = append(os.Environ(), "RAIDTRACE_CRASH_CHILD="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the child starts importing the new export, then kill it a little later:
		// before it copies the bytes, while it parses, or while it commits.
		started := make(chan bool, 1)
		go func() {
			sc := bufio.NewScanner(out)
			want := fmt.Sprintf("crashchild: start export%d.txt", k)
			for sc.Scan() {
				if sc.Text() == want {
					started <- true
				}
			}
			close(started)
		}()
		done := make(chan error, 1)
		delay := time.Duration(rng.IntN(250)) * time.Millisecond
		if <-started {
			go func() { done <- cmd.Wait() }()
			select {
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				if <-done == nil {
					t.Logf("kill %d: the child had finished", k)
				}
			case err := <-done:
				if err != nil {
					t.Fatalf("child %d: %v", k, err)
				}
			}
		} else if err := cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v", k, err)
		}
		c, err := Open(ctx, filepath.Join(dir, "crash"+Extension))
		if err != nil {
			t.Fatalf("after kill %d (%v): open: %v", k, delay, err)
		}
		if err := c.Check(ctx); err != nil {
			t.Errorf("after kill %d (%v): %v", k, delay, err)
		}
		srcs, _ := c.Sources(ctx)
		n, _ := c.CountMessages(ctx)
		t.Logf("kill %d after %v: %d sources, %d messages", k, delay, len(srcs), n)
		c.Close()
	}
	// Finish the job in-process.
	c, err = Open(ctx, filepath.Join(dir, "crash"+Extension))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for i := range files {
		if _, err := c.Import(ctx, filepath.Join(dir, fmt.Sprintf("export%d.txt", i)), lineFormat, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Check(ctx); err != nil {
		t.Error(err)
	}
	srcs, _ := c.Sources(ctx)
	n, _ := c.CountMessages(ctx)
	if want := lines * (files + 1) / 2; len(srcs) != files || n != want {
		t.Errorf("after completion: got %d sources, %d messages, want %d, %d", len(srcs), n, files, want)
	}
}

func crashChild(t *testing.T, dir string) {
	ctx := context.Background()
	c, err := Open(ctx, filepath.Join(dir, "crash"+Extension))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	names, _ := filepath.Glob(filepath.Join(dir, "export*.txt"))
	for _, p := range names {
		if !strings.HasSuffix(p, ".txt") {
			continue
		}
		fmt.Printf("crashchild: start %s\n", filepath.Base(p))
		if _, err := c.Import(ctx, p, lineFormat, nil); err != nil {
			t.Fatal(err)
		}
	}
}
