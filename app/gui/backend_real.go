package gui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"

	"raidtrace/app/casefile"
	"raidtrace/app/evidence"
	"raidtrace/importers/detect"
)

// realBackend wires the GUI to the core packages, exactly as the command line uses them.
func realBackend() backend {
	return backend{
		create: func(ctx context.Context, path string, info casefile.Info) (caseHandle, error) {
			return handle(casefile.Create(ctx, path, info))
		},
		open: func(ctx context.Context, path string) (caseHandle, error) {
			return handle(casefile.Open(ctx, path))
		},
		openDemo: func(ctx context.Context, dir string) (caseHandle, error) {
			return handle(casefile.OpenDemo(ctx, dir))
		},
		detect:  detect.Detect,
		formats: detect.Formats,
		export: func(ctx context.Context, c caseHandle, dir, keyDir string, opt exportOptions, progress func(string, float64)) (exported, error) {
			cf, ok := c.(*casefile.Case)
			if !ok {
				return exported{}, fmt.Errorf("export: %T is not a case file", c)
			}
			key, err := evidence.LoadOrCreateKey(keyDir)
			if err != nil {
				return exported{}, err
			}
			var cleaned evidence.Cleanup
			out, err := evidence.Export(ctx, cf, dir, evidence.Options{Langs: opt.Langs, Redact: opt.Redact, Zip: opt.Zip,
				Key: key, Agent: agent(), Cleanup: func(c evidence.Cleanup) { cleaned = c }}, progress)
			if err != nil {
				return exported{Cleanup: cleaned}, err
			}
			if !opt.Zip {
				return exported{Bag: out, Cleanup: cleaned}, nil
			}
			// With Zip, Export returns the ZIP's path, written as <bag folder>.zip beside the
			// folder, which stays: the folder is what evidence.Verify checks.
			return exported{Bag: strings.TrimSuffix(out, ".zip"), Zip: out, Cleanup: cleaned}, nil
		},
		verify: func(ctx context.Context, bag string) (verifyResult, error) {
			rep, err := evidence.Verify(ctx, bag)
			if err != nil {
				return verifyResult{}, err
			}
			res := verifyResult{OK: rep.OK(), Signed: rep.Signed, Signer: rep.Fingerprint}
			for _, p := range rep.Problems {
				res.Problems = append(res.Problems, p.String())
			}
			return res, nil
		},
		fingerprint: func(keyDir string) (string, error) {
			key, err := evidence.LoadOrCreateKey(keyDir)
			if err != nil {
				return "", err
			}
			return key.Fingerprint(), nil
		},
	}
}

// handle turns a *casefile.Case result into a caseHandle without a typed-nil interface.
func handle(c *casefile.Case, err error) (caseHandle, error) {
	if err != nil {
		return nil, err
	}
	return c, nil
}

func agent() string {
	if a := fyne.CurrentApp(); a != nil && a.Metadata().Version != "" {
		return "raidtrace/" + a.Metadata().Version
	}
	return "raidtrace"
}
