package cli_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"raidtrace/app/casefile"
	"raidtrace/app/cli"
)

// smallDisk mounts a tmpfs of the given size (mount(8) option syntax, e.g. "600k") and returns
// its path; the test is skipped where mounting is not allowed (not root, no tmpfs), with the
// reason. A real full disk shows what the simulated one (PRAGMA max_page_count in the case
// file's own tests) cannot: ENOSPC from the operating system in the middle of a write.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs (run as root, as CI does)")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

func remount(t *testing.T, dir, opts string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+opts, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s %s: %v: %s", dir, opts, err, out)
	}
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = cli.Run(context.Background(), args, &cli.Env{Stdout: &o, Stderr: &e, ConfigDir: filepath.Join(t.TempDir(), "config")})
	return code, o.String(), e.String()
}

// demoCase builds the embedded demo raid's case and its SMS backup in a normal folder.
func demoCase(t *testing.T) (casePath, xmlPath string) {
	t.Helper()
	dir := t.TempDir()
	c, err := casefile.OpenDemo(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	casePath = c.Path()
	c.Close()
	m, _ := filepath.Glob(filepath.Join(dir, "*.xml"))
	if len(m) != 1 {
		t.Fatalf("demo folder: want one SMS backup, got %v", m)
	}
	return casePath, m[0]
}

// TestImportOnFullDisk imports the demo SMS backup into a case on a disk too small for it: the
// command fails with a message that says the disk is full, and once space is freed the case
// opens intact, holds no half source, and the same import then completes.
func TestImportOnFullDisk(t *testing.T) {
	disk := smallDisk(t, "1200k")
	_, xml := demoCase(t)
	cp := filepath.Join(disk, "full.raidcase")

	code, _, stderr := run(t, "import", "--case", cp, xml)
	if code != cli.ExitFailure {
		t.Fatalf("import on a full disk: exit %d, want %d; stderr: %s", code, cli.ExitFailure, stderr)
	}
	if !strings.Contains(stderr, "no space left") || !strings.Contains(stderr, filepath.Base(xml)) {
		t.Errorf("stderr should name the file and say the disk is full, got: %s", stderr)
	}

	remount(t, disk, "size=64m") // the user frees space
	ctx := context.Background()
	c, err := casefile.Open(ctx, cp)
	if err != nil {
		t.Fatalf("case after a full disk: %v", err)
	}
	if err := c.Check(ctx); err != nil {
		t.Errorf("case after a full disk: %v", err)
	}
	srcs, err := c.Sources(ctx)
	if err != nil || len(srcs) != 0 {
		t.Errorf("after the failed import: got sources %v (%v), want none", srcs, err)
	}
	if n, err := c.CountMessages(ctx); err != nil || n != 0 {
		t.Errorf("after the failed import: got %d messages (%v), want 0", n, err)
	}
	c.Close()

	if code, _, stderr := run(t, "import", "--case", cp, xml); code != cli.ExitOK {
		t.Fatalf("import once space is free: exit %d: %s", code, stderr)
	}
	c, err = casefile.Open(ctx, cp)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if n, _ := c.CountMessages(ctx); n == 0 {
		t.Error("import once space is free: no messages")
	}
	if err := c.Check(ctx); err != nil {
		t.Error(err)
	}
}

// TestExportOnFullOrReadOnlyDisk exports the demo case to a disk that fills up during the
// export, then to a read-only one: each fails with a message that says why, and no bundle,
// whole or partial, is left behind.
func TestExportOnFullOrReadOnlyDisk(t *testing.T) {
	cp, _ := demoCase(t)
	tests := []struct {
		name, size, after string
		want              string
	}{
		{"full", "300k", "", "no space left"},
		{"read-only", "1m", "ro", "read-only file system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			disk := smallDisk(t, tt.size)
			out := filepath.Join(disk, "out")
			if err := os.Mkdir(out, 0o700); err != nil {
				t.Fatal(err)
			}
			if tt.after != "" {
				remount(t, disk, tt.after)
			}
			code, stdout, stderr := run(t, "export", "--case", cp, "--out", out)
			if code != cli.ExitFailure {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, cli.ExitFailure, stdout, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr: got %q, want it to say %q", stderr, tt.want)
			}
			left, _ := os.ReadDir(out)
			for _, e := range left {
				t.Errorf("left behind after a failed export: %s", e.Name())
			}
		})
	}
}
