package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"raidtrace/app/cli"
	"raidtrace/app/evidence"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"raidtrace": func() {
			cli.LimitMemory(cli.MemoryLimit) // as main does
			code := cli.Run(context.Background(), os.Args[1:], &cli.Env{})
			if f := os.Getenv("RAIDTRACE_BENCH_PEAK_FILE"); f != "" {
				writePeakRSS(f) // for BenchmarkEndToEnd
			}
			os.Exit(code)
		},
	})
}

// TestScripts runs the command line end to end from testdata/script/*.txtar, as a user would:
// import, analyze, export, verify, tamper, verify again.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("RAIDTRACE_CONFIG_DIR", filepath.Join(env.WorkDir, ".config"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// bag DIR VAR: set $VAR to the one bundle folder (raidtrace-*) inside DIR.
			"bag": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: bag DIR VAR")
				}
				m, _ := filepath.Glob(filepath.Join(ts.MkAbs(args[0]), "raidtrace-*"))
				var dirs []string
				for _, p := range m {
					if st, err := os.Stat(p); err == nil && st.IsDir() {
						dirs = append(dirs, p)
					}
				}
				if len(dirs) != 1 {
					ts.Fatalf("want one bundle folder in %s, found %v", args[0], dirs)
				}
				ts.Setenv(args[1], dirs[0])
			},
			// flipbyte FILE: change one byte in the middle of FILE.
			"flipbyte": func(ts *testscript.TestScript, neg bool, args []string) {
				p := ts.MkAbs(args[0])
				b, err := os.ReadFile(p)
				ts.Check(err)
				if len(b) == 0 {
					ts.Fatalf("%s is empty", p)
				}
				b[len(b)/2] ^= 0x01
				ts.Check(os.WriteFile(p, b, 0o644))
			},
			// appendlf FILE: add a line feed at the end of FILE.
			"appendlf": func(ts *testscript.TestScript, neg bool, args []string) {
				p := ts.MkAbs(args[0])
				b, err := os.ReadFile(p)
				ts.Check(err)
				ts.Check(os.WriteFile(p, append(b, '\n'), 0o644))
			},
			// forge BAG [KEYDIR]: reseal BAG as someone without its signing key would after changing
			// it: with KEYDIR, re-sign it with that folder's key (made if missing), its allowed_signers
			// and bag-info.txt naming it; without, remove the signature and name no signer. Every
			// manifest and the time-stamp request are recomputed.
			"forge": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) < 1 || len(args) > 2 {
					ts.Fatalf("usage: forge BAG [KEYDIR]")
				}
				var key *evidence.Signer
				if len(args) == 2 {
					k, err := evidence.LoadOrCreateKey(ts.MkAbs(args[1]))
					ts.Check(err)
					key = k
				}
				ts.Check(forge(ts.MkAbs(args[0]), key))
			},
			// perm GLOB MODE: the one file matching GLOB has permission bits MODE (octal).
			"perm": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: perm GLOB MODE")
				}
				want, err := strconv.ParseUint(args[1], 8, 32)
				ts.Check(err)
				m, _ := filepath.Glob(ts.MkAbs(args[0]))
				if len(m) != 1 {
					ts.Fatalf("want one file matching %s, found %v", args[0], m)
				}
				st, err := os.Stat(m[0])
				ts.Check(err)
				if got := st.Mode().Perm(); (got == os.FileMode(want)) == neg {
					ts.Fatalf("%s: mode %#o, want %s%#o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
				}
			},
			// truncate FILE N: keep the first N bytes.
			"truncate": func(ts *testscript.TestScript, neg bool, args []string) {
				var n int
				fmt.Sscan(args[1], &n)
				p := ts.MkAbs(args[0])
				b, err := os.ReadFile(p)
				ts.Check(err)
				ts.Check(os.WriteFile(p, b[:n], 0o644))
			},
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "sha256sum", "ssh-keygen", "openssl":
				_, err := exec.LookPath(cond)
				return err == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// forge rewrites bag's signer (key, or none), manifests, tag manifests, signature and time-stamp
// request; see the forge script command.
func forge(bag string, key *evidence.Signer) error {
	info, err := os.ReadFile(filepath.Join(bag, "bag-info.txt"))
	if err != nil {
		return err
	}
	fp := "none"
	if key != nil {
		fp = key.Fingerprint()
		if err := os.WriteFile(filepath.Join(bag, "allowed_signers"), key.AllowedSigners(), 0o644); err != nil {
			return err
		}
	}
	var payload []string
	var octets int64
	err = filepath.WalkDir(filepath.Join(bag, "data"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(bag, p)
			payload = append(payload, filepath.ToSlash(rel))
			fi, _ := d.Info()
			octets += fi.Size()
		}
		return err
	})
	if err != nil {
		return err
	}
	lines := strings.Split(string(info), "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "Raidtrace-Signer-Fingerprint: "):
			lines[i] = "Raidtrace-Signer-Fingerprint: " + fp
		case strings.HasPrefix(l, "Payload-Oxum: "):
			lines[i] = "Payload-Oxum: " + strconv.FormatInt(octets, 10) + "." + strconv.Itoa(len(payload))
		}
	}
	if err := os.WriteFile(filepath.Join(bag, "bag-info.txt"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		return err
	}
	os.Remove(filepath.Join(bag, "tagmanifest-sha256.txt.sig"))
	algs := map[string]func() hash.Hash{"sha256": sha256.New, "sha512": sha512.New}
	write := func(name string, files []string, alg string) error {
		sort.Strings(files)
		var b bytes.Buffer
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(bag, filepath.FromSlash(f)))
			if err != nil {
				return err
			}
			h := algs[alg]()
			h.Write(data)
			fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), f)
		}
		return os.WriteFile(filepath.Join(bag, name), b.Bytes(), 0o644)
	}
	tags := []string{"bagit.txt", "bag-info.txt", "README.txt", "manifest-sha256.txt", "manifest-sha512.txt"}
	if _, err := os.Stat(filepath.Join(bag, "allowed_signers")); err == nil {
		tags = append(tags, "allowed_signers")
	}
	for _, alg := range []string{"sha256", "sha512"} {
		if err := write("manifest-"+alg+".txt", payload, alg); err != nil {
			return err
		}
	}
	for _, alg := range []string{"sha256", "sha512"} {
		if err := write("tagmanifest-"+alg+".txt", tags, alg); err != nil {
			return err
		}
	}
	tm, err := os.ReadFile(filepath.Join(bag, "tagmanifest-sha256.txt"))
	if err != nil {
		return err
	}
	if key != nil {
		sig, err := key.Sign(tm)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(bag, "tagmanifest-sha256.txt.sig"), sig, 0o644); err != nil {
			return err
		}
	}
	tsq, err := evidence.TimeStampRequest(tm)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(bag, "tagmanifest-sha256.txt.tsq"), tsq, 0o644)
}

// TestLimitMemory checks the soft memory limit main sets, and that GOMEMLIMIT overrides it.
func TestLimitMemory(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT")
	if got := cli.LimitMemory(cli.MemoryLimit); got != cli.MemoryLimit {
		t.Errorf("LimitMemory() = %d, want %d", got, cli.MemoryLimit)
	}
	if got := debug.SetMemoryLimit(-1); got != cli.MemoryLimit {
		t.Errorf("limit in force = %d, want %d", got, cli.MemoryLimit)
	}
	if got := cli.LimitMemory(cli.WindowMemoryLimit); got != cli.WindowMemoryLimit || debug.SetMemoryLimit(-1) != cli.WindowMemoryLimit {
		t.Errorf("window: LimitMemory() = %d, want %d", got, cli.WindowMemoryLimit)
	}
	debug.SetMemoryLimit(3 << 30) // as the runtime does for GOMEMLIMIT=3GiB
	t.Setenv("GOMEMLIMIT", "3GiB")
	if got := cli.LimitMemory(cli.MemoryLimit); got != 3<<30 {
		t.Errorf("with GOMEMLIMIT=3GiB: LimitMemory() = %d, want %d", got, int64(3<<30))
	}
}
