package importers

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

var (
	testReason = NewReason("test-reason", "{{.N}} rows of {{.File}}: {{.Err}}")
	testList   = NewReason("test-list", "damaged: {{.List}}")
)

func TestMsgRender(t *testing.T) {
	m := testReason.M("N", 3, "File", "a.csv", "Err", TooLong(1<<20))
	if got, want := m.String(), "3 rows of a.csv: record longer than 1 MiB: skipped"; got != want {
		t.Errorf("English: got %q, want %q", got, want)
	}
	fr := map[string]string{
		"test-reason": "{{.N}} lignes de {{.File}} : {{.Err}}",
		"too-long":    "enregistrement de plus de {{.Size}} : ignoré",
		"size-mib":    "{{.N}} Mio",
	}
	tr := func(key string, args map[string]string) string {
		if s, ok := fr[key]; ok {
			return Fill(s, args)
		}
		return ""
	}
	if got, want := m.Render(tr), "3 lignes de a.csv : enregistrement de plus de 1 Mio : ignoré"; got != want {
		t.Errorf("French: got %q, want %q", got, want)
	}
	// A reason the translator lacks falls back to English, its arguments still translated.
	delete(fr, "test-reason")
	if got, want := m.Render(tr), "3 rows of a.csv: enregistrement de plus de 1 Mio : ignoré"; got != want {
		t.Errorf("partial: got %q, want %q", got, want)
	}
	l := testList.M("List", []Msg{Literal("a"), TooLong(100)})
	if got, want := l.String(), "damaged: a; record longer than 100 bytes: skipped"; got != want {
		t.Errorf("list: got %q, want %q", got, want)
	}
}

func TestMsgJSON(t *testing.T) {
	m := testReason.M("N", 3, "File", "a.csv", "Err", testList.M("List", []Msg{Literal("x"), TooLong(2048)}))
	p := m.Warning("line 4")
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var q Problem
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if q.Msg == nil || q.Msg.String() != p.Reason || q.Text(nil) != p.Reason || q.Plain() != p.Plain() {
		t.Errorf("round trip of %s: got %+v", b, q)
	}
	// A problem stored before reasons had keys, or with a key this version does not know,
	// shows its stored text.
	for _, s := range []string{`{"location":"x","reason":"old text"}`, `{"location":"x","reason":"old text","msg":{"key":"from-the-future"}}`} {
		var old Problem
		if err := json.Unmarshal([]byte(s), &old); err != nil {
			t.Fatal(err)
		}
		if got := old.Text(func(string, map[string]string) string { return "translated" }); got != "old text" {
			t.Errorf("%s: Text = %q, want the stored reason", s, got)
		}
	}
}

func TestErrMsg(t *testing.T) {
	wrapped := testReason.M("N", 1, "File", "f", "Err", ErrTruncated).Wrap(ErrTruncated)
	pe := &ParseError{File: "x.json", Line: 3, Column: 7, Err: wrapped}
	var se *json.SyntaxError
	json.Unmarshal([]byte(`{"a" 1}`), new(any))
	serr := json.Unmarshal([]byte(`{"a" 1}`), new(any))
	errors.As(serr, &se)
	tests := []struct {
		err  error
		keys string
	}{
		{ErrTruncated, "truncated"},
		{wrapped, "test-reason truncated"},
		{fmt.Errorf("%w", wrapped), "test-reason truncated"}, // wraps without adding words
		{fmt.Errorf("more: %w", wrapped), ""},                // words added: a literal
		{pe, "at in-file line-column test-reason truncated"}, // positional
		{io.ErrUnexpectedEOF, "unexpected-eof"},              // the standard library's
		{Truncated(io.ErrUnexpectedEOF), "truncated-detail unexpected-eof"},
		{NotFormat(errors.New("odd")), "not-format-detail"},
		{errors.Join(ErrTruncated, ErrNotFormat), "lines not-format truncated"},
		{se, "json-invalid-character json-after-object-key"},
		{errors.New("disk on fire"), ""},
	}
	for _, tt := range tests {
		m := ErrMsg(tt.err)
		if got := m.String(); got != tt.err.Error() {
			t.Errorf("ErrMsg(%v) renders %q", tt.err, got)
		}
		if got := strings.Join(m.Keys(), " "); got != sortedKeys(tt.keys) {
			t.Errorf("ErrMsg(%v) uses %q, want %q", tt.err, got, sortedKeys(tt.keys))
		}
	}
	if !errors.Is(wrapped, ErrTruncated) || !errors.Is(NotFormat(io.EOF), ErrNotFormat) || !errors.Is(NotFormat(io.EOF), io.EOF) {
		t.Error("the errors do not wrap their causes")
	}
}

func sortedKeys(s string) string {
	f := strings.Fields(s)
	for i := range f {
		for j := i + 1; j < len(f); j++ {
			if f[j] < f[i] {
				f[i], f[j] = f[j], f[i]
			}
		}
	}
	return strings.Join(f, " ")
}

// TestJSONSyntaxMsg checks every syntax error encoding/json writes for these inputs is read
// into a translatable Msg.
func TestJSONSyntaxMsg(t *testing.T) {
	for _, in := range []string{`x`, `{x`, `{"a"x`, `{"a":1x`, `[1x`, `1 x`, `"\x"`, `"\ux"`, `1.x`, `1ex`,
		`tx`, `trx`, `trux`, `fx`, `fax`, `falx`, `falsx`, `nx`, `nux`, `nulx`, `-x`, "\"\x01\"", `'`, `{"a":1`} {
		err := json.Unmarshal([]byte(in), new(any))
		var se *json.SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%s: %v is no syntax error", in, err)
		}
		m := JSONSyntaxMsg(se.Error())
		if m.Key == "" || m.String() != se.Error() {
			t.Errorf("%s: %q read as %+v", in, se.Error(), m)
		}
	}
	if m := JSONSyntaxMsg("something new"); m.Key != "" || m.String() != "something new" {
		t.Errorf("unknown text: %+v", m)
	}
}

// TestNoBareReasons checks that no importer, nor the case file or the command line, builds a
// Problem with a Reason of its own or a ParseError from fmt.Errorf or errors.New: reasons are
// [Reason]s, so that they can be translated ([Msg.Problem], [Msg.Warning], [Msg.Wrap]).
func TestNoBareReasons(t *testing.T) {
	var files []string
	for _, root := range []string{".", "../app/casefile", "../app/cli"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") &&
				!strings.Contains(p, "internal") && !strings.Contains(p, "testdata") {
				files = append(files, p)
			}
			return err
		})
	}
	if len(files) < 30 {
		t.Fatalf("only %d files found", len(files))
	}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			name := typeName(lit.Type)
			for _, e := range lit.Elts {
				kv, ok := e.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				key, _ := kv.Key.(*ast.Ident)
				switch {
				case key == nil:
				case name == "Problem" && key.Name == "Reason" && f != "msg.go":
					t.Errorf("%s: a Problem with a Reason of its own: use a Reason's Msg.Problem or Msg.Warning", fset.Position(kv.Pos()))
				case name == "ParseError" && key.Name == "Err" && isErrorf(kv.Value):
					t.Errorf("%s: a ParseError from fmt.Errorf or errors.New: use a Reason's Msg.Wrap", fset.Position(kv.Pos()))
				}
			}
			return true
		})
	}
}

func typeName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return x.Sel.Name
	}
	return ""
}

func isErrorf(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, _ := sel.X.(*ast.Ident)
	return pkg != nil && (pkg.Name == "fmt" && sel.Sel.Name == "Errorf" || pkg.Name == "errors" && sel.Sel.Name == "New")
}
