package cli

import (
	"context"
	"flag"
	"io"
	"reflect"
	"testing"

	"raidtrace/importers"
)

func TestParseFlagsAfterArguments(t *testing.T) {
	tests := []struct {
		args     []string
		wantPos  []string
		wantJSON bool
		wantCase string
	}{
		{[]string{"--case", "c.raidcase", "a.xml", "b.xml"}, []string{"a.xml", "b.xml"}, false, "c.raidcase"},
		{[]string{"a.xml", "--json", "--case", "c.raidcase", "b.xml"}, []string{"a.xml", "b.xml"}, true, "c.raidcase"},
		{[]string{"--json", "--", "--case"}, []string{"--case"}, true, ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		j := fs.Bool("json", false, "")
		c := fs.String("case", "", "")
		pos, err := parse(fs, tt.args)
		if err != nil {
			t.Fatalf("parse(%q): %v", tt.args, err)
		}
		if !reflect.DeepEqual(pos, tt.wantPos) || *j != tt.wantJSON || *c != tt.wantCase {
			t.Errorf("parse(%q) = %q json=%v case=%q, want %q json=%v case=%q", tt.args, pos, *j, *c, tt.wantPos, tt.wantJSON, tt.wantCase)
		}
	}
}

func TestImportOverrides(t *testing.T) {
	var got importers.Options
	f := importers.Format{ID: "x", Import: func(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
		got = opt
		return nil
	}}
	wrap, err := importOverrides("time=Date, sender=From,text=Body", "02/01/2006 15:04", "mdy", "+33600000000")
	if err != nil {
		t.Fatal(err)
	}
	if err := wrap(f).Import(context.Background(), "p", importers.Options{Region: "FR"}, &importers.Collector{}); err != nil {
		t.Fatal(err)
	}
	want := importers.Options{Region: "FR", Columns: map[string]string{"time": "Date", "sender": "From", "text": "Body"},
		TimeLayout: "02/01/2006 15:04", DateOrder: "MDY", Owner: "+33600000000"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("options reaching the parser = %+v, want %+v", got, want)
	}
	for _, bad := range [][2]string{{"time", ""}, {"time=", ""}, {"", "DDMM"}} {
		if _, err := importOverrides(bad[0], "", bad[1], ""); err == nil {
			t.Errorf("importOverrides(%q, order %q): got no error, want a usage error", bad[0], bad[1])
		}
	}
}

func TestParseLangs(t *testing.T) {
	if got, err := parseLangs("FR, en"); err != nil || !reflect.DeepEqual(got, []string{"fr", "en"}) {
		t.Errorf("parseLangs(\"FR, en\") = %q, %v, want [fr en]", got, err)
	}
	if _, err := parseLangs("de"); err == nil {
		t.Errorf("parseLangs(\"de\"): got no error, want one")
	}
}
