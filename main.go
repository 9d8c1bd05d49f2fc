// Raidtrace finds coordinated harassment raids in message exports and turns them into evidence
// that can be checked without Raidtrace.
//
// With no arguments it opens the window; with a case file it opens the window on that case;
// --demo opens it on the embedded demo raid; a command word (import, analyze, export, verify,
// stamp, demo, formats) runs headless. See README.md.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	fyneapp "fyne.io/fyne/v2/app"

	"raidtrace/app/cli"
	"raidtrace/app/gui"
	"raidtrace/assets"

	"fyne.io/fyne/v2"
)

// appID is the application ID from FyneApp.toml.
const appID = "fr.raidtrace.app"

func main() {
	args := os.Args[1:]
	if len(args) > 0 && cli.IsCommand(args[0]) {
		cli.LimitMemory(cli.MemoryLimit)
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		code := cli.Run(ctx, args, &cli.Env{})
		stop()
		os.Exit(code)
	}
	var opt gui.Options
	switch {
	case len(args) == 0:
	case len(args) == 1 && args[0] == "--demo":
		opt.Demo = true
	case len(args) == 1 && filepath.Ext(args[0]) == ".raidcase":
		opt.CasePath = args[0]
	default:
		fmt.Fprintf(os.Stderr, "raidtrace: unknown argument %q (try raidtrace help)\n", args[0])
		os.Exit(cli.ExitUsage)
	}
	cli.LimitMemory(cli.WindowMemoryLimit)
	if err := gui.LoadTranslations(); err != nil {
		fmt.Fprintln(os.Stderr, "raidtrace: translations:", err)
	}
	a := fyneapp.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	w := a.NewWindow("Raidtrace")
	gui.New(a, w, opt)
	w.ShowAndRun()
}
