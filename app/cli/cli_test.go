package cli_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"raidtrace/app/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"raidtrace": func() { os.Exit(cli.Run(context.Background(), os.Args[1:], &cli.Env{})) },
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
