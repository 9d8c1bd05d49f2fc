package evidence

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
)

// Export a case, then check the bundle as a recipient would.
func ExampleExport() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "raidtrace-example-")
	defer os.RemoveAll(dir)

	c, err := casefile.Create(ctx, filepath.Join(dir, "raid.raidcase"), casefile.Info{ID: "6a1f0c9e-0000-4000-8000-000000000001", Name: "Example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	src := filepath.Join(dir, "sms.lines")
	os.WriteFile(src, []byte(testLines()), 0o600)
	c.Import(ctx, src, fakeFormat, nil)
	c.Analyze(ctx, analysis.DefaultParams(), nil)

	key, _ := LoadOrCreateKey(filepath.Join(dir, "keys")) // per install, in the user's config folder
	bag, err := Export(ctx, c, dir, Options{Key: key, Now: func() time.Time { return testNow }, Agent: "raidtrace/example"}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(filepath.Base(bag))

	report, err := Verify(ctx, bag)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("intact:", report.OK(), "signed:", report.Signed, "files:", report.Files)
	// Output:
	// raidtrace-6a1f0c9e-20240502T093000Z
	// intact: true signed: true files: 22
}
