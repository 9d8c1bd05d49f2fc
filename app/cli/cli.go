// Package cli is Raidtrace's headless face: the import, analyze, export, verify, stamp and demo
// commands, calling the same case-file, analysis and evidence operations as the GUI.
//
// It parses arguments, prints results (plain text, or one JSON object with --json) and maps
// failures to exit codes. It holds no logic the GUI lacks, imports no Fyne, and opens a network
// connection only in the stamp command, which the user runs explicitly.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"raidtrace/app/evidence"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFailure  = 1 // the command ran and failed (a bundle did not verify, an import failed)
	ExitUsage    = 2 // the command line is wrong
	ExitProblems = 3 // import finished but some records could not be imported (see problems)
)

// Env names the environment the commands read.
type Env struct {
	Stdout, Stderr io.Writer
	// ConfigDir holds the signing key; "" means $RAIDTRACE_CONFIG_DIR, else the user's config
	// directory + "/raidtrace".
	ConfigDir string
}

type command struct {
	name, args, help string
	run              func(ctx context.Context, env *Env, args []string) int
}

var commands []command

func init() {
	commands = []command{
		{"import", "--case CASE.raidcase [--json] [--lang fr|en] PATH...", "import exports into a case (created if missing); the format is detected from content", runImport},
		{"analyze", "--case CASE.raidcase [--json]", "find clusters of near-identical messages and describe them", runAnalyze},
		{"export", "--case CASE.raidcase --out DIR [--zip] [--lang fr,en] [--redact] [--time RFC3339]", "write a signed evidence bundle (BagIt) into DIR; --time (or SOURCE_DATE_EPOCH) fixes its clock", runExport},
		{"verify", verifyArgs, "check a bundle: manifests, signature (its signer's fingerprint is printed), custody chain;\n           exit 0 only if intact and signed (by the --signer key when given)", runVerify},
		{"stamp", "--tsa URL BUNDLE", "ask a time-stamp authority to stamp a bundle (the only network use)", runStamp},
		{"demo", "--out DIR", "build the embedded demo raid case in DIR and export its bundle", runDemo},
		{"formats", "", "list the import formats", runFormats},
	}
}

// IsCommand reports whether word is one of the headless commands (main.go uses it to choose
// between the CLI and the GUI).
func IsCommand(word string) bool {
	switch word {
	case "help", "-h", "--help", "version", "--version":
		return true
	}
	for _, c := range commands {
		if c.name == word {
			return true
		}
	}
	return false
}

// Run runs the command line args (without the program name) and returns the exit code.
func Run(ctx context.Context, args []string, env *Env) int {
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		usage(env.Stdout)
		return ExitOK
	case "version", "--version":
		fmt.Fprintln(env.Stdout, "raidtrace", Version())
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "raidtrace: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: raidtrace                      open the window")
	fmt.Fprintln(w, "       raidtrace CASE.raidcase        open the window on a case")
	fmt.Fprintln(w, "       raidtrace COMMAND [options]    work without a window:")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nRun raidtrace COMMAND -h for a command's options.")
}

// newFlags makes a FlagSet that reports errors to env.Stderr and never exits.
func newFlags(env *Env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: raidtrace %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args allowing flags after positional arguments, as users type them.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (env *Env) configDir() (string, error) {
	if env.ConfigDir != "" {
		return env.ConfigDir, nil
	}
	return evidence.ConfigDir()
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// fail prints err for a user and returns code.
func fail(env *Env, code int, err error) int {
	msg := err.Error()
	if errors.Is(err, context.Canceled) {
		msg = "cancelled"
	}
	fmt.Fprintf(env.Stderr, "raidtrace: %s\n", strings.TrimSpace(msg))
	return code
}
