package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/app/evidence"
	"raidtrace/importers"
	"raidtrace/importers/detect"
)

// Version is the program version: set with -ldflags "-X raidtrace/app/cli.version=…", else the
// module version from the build info, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

var version string

// caseFlags are the settings used when import creates a case.
type caseFlags struct {
	path, name, tz, region, examiner string
	unitCost                         float64
}

func (cf *caseFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&cf.path, "case", "", "case file (NAME.raidcase)")
	fs.StringVar(&cf.name, "name", "", "case name, when creating it (default: file name)")
	fs.StringVar(&cf.tz, "tz", "Europe/Paris", "case time zone for sources with local times, when creating it")
	fs.StringVar(&cf.region, "region", "FR", "default phone region (ISO 3166), when creating it")
	fs.Float64Var(&cf.unitCost, "unit-cost", 0, "cost of handling one message, for the damage estimate, when creating it")
	fs.StringVar(&cf.examiner, "examiner", "", "who works the case (custody log), when creating it")
}

func (cf *caseFlags) open(ctx context.Context, create bool) (*casefile.Case, error) {
	if cf.path == "" {
		return nil, errUsage("--case is required")
	}
	if _, err := os.Stat(cf.path); err == nil {
		return casefile.Open(ctx, cf.path)
	} else if !errors.Is(err, fs.ErrNotExist) || !create {
		return nil, fmt.Errorf("open case %s: %w", cf.path, err)
	}
	if _, err := time.LoadLocation(cf.tz); err != nil {
		return nil, errUsage(fmt.Sprintf("--tz %q is not a time zone name (e.g. Europe/Paris)", cf.tz))
	}
	name := cf.name
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(cf.path), casefile.Extension)
	}
	return casefile.Create(ctx, cf.path, casefile.Info{Name: name, TimeZone: cf.tz,
		Region: strings.ToUpper(cf.region), UnitCost: cf.unitCost, Currency: "EUR", Examiner: cf.examiner})
}

type usageError string

func (e usageError) Error() string { return string(e) }
func errUsage(s string) error      { return usageError(s) }

func code(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return ExitUsage
	}
	return ExitFailure
}

// importJSON is the --json shape of one imported source (DESIGN.md, "Command line").
type importJSON struct {
	Path            string              `json:"path"`
	SHA256          string              `json:"sha256"`
	Format          string              `json:"format"`
	Imported        int                 `json:"imported"`
	Duplicates      int                 `json:"duplicates"`
	Skipped         int                 `json:"skipped"`
	AlreadyImported bool                `json:"already_imported,omitempty"`
	Problems        []importers.Problem `json:"problems"`
	Error           string              `json:"error,omitempty"`
}

func runImport(ctx context.Context, env *Env, args []string) int {
	flags := newFlags(env, "import", "--case CASE.raidcase [--json] [--lang fr|en] PATH...")
	var cf caseFlags
	cf.register(flags)
	asJSON := flags.Bool("json", false, "print one JSON object on stdout")
	format := flags.String("format", "", "format ID instead of detection (see raidtrace formats)")
	columns := flags.String("columns", "", "CSV column mapping, e.g. time=Date,sender=From,text=Body")
	layout := flags.String("time-layout", "", "Go time layout of the CSV time column")
	order := flags.String("date-order", "", "day/month order of chat exports and CSV dates: DMY, MDY or YMD (default: inferred from the file)")
	owner := flags.String("owner", "", "the case owner's own number or account, when the source cannot tell")
	outLang := flags.String("lang", "", "language of the summary and problems printed: fr or en (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; --json is not translated)")
	paths, err := parse(flags, args)
	if err != nil {
		return ExitUsage
	}
	lang, err := parseLang(*outLang)
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	pr := newPrinter(lang)
	if len(paths) == 0 {
		flags.Usage()
		return ExitUsage
	}
	override, err := importOverrides(*columns, *layout, *order, *owner)
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	c, err := cf.open(ctx, true)
	if err != nil {
		return fail(env, code(err), err)
	}
	defer c.Close()

	var out []importJSON
	failed := false
	for _, p := range expand(paths) {
		res := importJSON{Path: p.path, Problems: []importers.Problem{}}
		if p.err != nil {
			res.Error = p.err.Error()
			failed = true
			out = append(out, res)
			continue
		}
		if !p.skip.IsZero() {
			res.Skipped = 1
			res.Problems = append(res.Problems, p.skip.Problem(p.path))
			out = append(out, res)
			continue
		}
		id := *format
		if id == "" && *columns != "" {
			id = "csv" // a column mapping only makes sense for the generic CSV format
		}
		f, err := chooseFormat(p.path, id)
		if err != nil {
			res.Error = err.Error()
			failed = true
			out = append(out, res)
			continue
		}
		res.Format = f.ID
		sum, err := c.Import(ctx, p.path, override(f), nil)
		if err != nil {
			res.Error = err.Error()
			failed = true
			out = append(out, res)
			if errors.Is(err, context.Canceled) {
				break
			}
			continue
		}
		res.SHA256, res.Imported, res.Duplicates, res.Skipped = sum.Source.SHA256, sum.Imported, sum.Duplicates, sum.Skipped
		res.AlreadyImported = sum.AlreadyImported
		if sum.Problems != nil {
			res.Problems = sum.Problems
		}
		out = append(out, res)
	}
	if *asJSON {
		printJSON(env.Stdout, map[string]any{"sources": out})
	} else {
		for _, r := range out {
			if r.Error != "" {
				fmt.Fprintf(env.Stderr, "%s: %s\n", r.Path, r.Error)
				continue
			}
			note := ""
			if r.AlreadyImported {
				note = pr.text("cli.import.again", " (this exact file was imported before: nothing added)", nil)
			}
			fmt.Fprintln(env.Stdout, pr.text("cli.import.summary",
				"{{.Path}} [{{.Format}}] sha256 {{.SHA256}}: {{.Imported}} imported, {{.Duplicates}} already in the case, {{.Skipped}} skipped{{.Note}}",
				map[string]string{"Path": r.Path, "Format": r.Format, "SHA256": r.SHA256, "Imported": strconv.Itoa(r.Imported),
					"Duplicates": strconv.Itoa(r.Duplicates), "Skipped": strconv.Itoa(r.Skipped), "Note": note}))
			for _, p := range r.Problems {
				kind := pr.text("skipped", "skipped", nil)
				if p.Warning {
					kind = pr.text("warning", "warning", nil)
				}
				fmt.Fprintln(env.Stdout, pr.text("cli.import.problem", "  {{.Kind}}: {{.Location}}: {{.Reason}}",
					map[string]string{"Kind": kind, "Location": p.Location, "Reason": pr.reason(p)}))
			}
		}
	}
	switch {
	case failed:
		for _, r := range out {
			if r.Error != "" && *asJSON {
				fmt.Fprintf(env.Stderr, "raidtrace: %s: %s\n", r.Path, r.Error)
			}
		}
		return ExitFailure
	}
	for _, r := range out {
		if r.Skipped > 0 {
			return ExitProblems
		}
	}
	return ExitOK
}

type pathOrErr struct {
	path string
	err  error
	skip importers.Msg // why the entry was not imported (a symbolic link…): reported as a skipped record
}

// The reasons of the entries of a folder that import does not read.
var (
	reasonSymlink    = importers.NewReason("cli-symlink", "symbolic link not followed (import its target itself)")
	reasonNotRegular = importers.NewReason("cli-not-regular", "not a regular file ({{.Type}}): not read")
)

// expand turns folders that are not themselves an export (an unzipped X archive is) into the
// files below them, in name order; hidden files are left out.
func expand(paths []string) []pathOrErr {
	var out []pathOrErr
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			out = append(out, pathOrErr{path: p, err: err})
			continue
		}
		if !st.IsDir() {
			out = append(out, pathOrErr{path: p})
			continue
		}
		if _, err := detect.Detect(p); err == nil {
			out = append(out, pathOrErr{path: p})
			continue
		}
		var files []string
		var skipped []pathOrErr
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if strings.HasPrefix(d.Name(), ".") && q != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			switch {
			case d.Type().IsRegular():
				files = append(files, q)
			case d.Type()&fs.ModeSymlink != 0:
				skipped = append(skipped, pathOrErr{path: q, skip: reasonSymlink.M()})
			case !d.IsDir():
				skipped = append(skipped, pathOrErr{path: q, skip: reasonNotRegular.M("Type", d.Type().String())})
			}
			return nil
		})
		if err != nil {
			out = append(out, pathOrErr{path: p, err: err})
		}
		sort.Strings(files)
		for _, f := range files {
			out = append(out, pathOrErr{path: f})
		}
		out = append(out, skipped...)
	}
	return out
}

func chooseFormat(path, id string) (importers.Format, error) {
	if id != "" {
		f, ok := detect.ByID(id)
		if !ok {
			return importers.Format{}, errUsage(fmt.Sprintf("unknown format %q (see raidtrace formats)", id))
		}
		return f, nil
	}
	return detect.Detect(path)
}

// importOverrides returns a function wrapping a Format so that the command-line options reach
// its parser on top of the case's own settings.
func importOverrides(columns, layout, order, owner string) (func(importers.Format) importers.Format, error) {
	cols := map[string]string{}
	if columns != "" {
		for _, kv := range strings.Split(columns, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok || k == "" || v == "" {
				return nil, errUsage(fmt.Sprintf("--columns: %q is not ROLE=HEADER", kv))
			}
			cols[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	order = strings.ToUpper(order)
	switch order {
	case "", "DMY", "MDY", "YMD":
	default:
		return nil, errUsage("--date-order must be DMY, MDY or YMD")
	}
	return func(f importers.Format) importers.Format {
		if len(cols) == 0 && layout == "" && order == "" && owner == "" {
			return f
		}
		inner := f.Import
		f.Import = func(ctx context.Context, path string, opt importers.Options, sink importers.Sink) error {
			if len(cols) > 0 {
				opt.Columns = cols
			}
			if layout != "" {
				opt.TimeLayout = layout
			}
			if order != "" {
				opt.DateOrder = order
			}
			if owner != "" {
				opt.Owner = owner
			}
			return inner(ctx, path, opt, sink)
		}
		return f
	}, nil
}

func runFormats(ctx context.Context, env *Env, args []string) int {
	for _, f := range detect.Formats() {
		fmt.Fprintf(env.Stdout, "%-16s %s\n", f.ID, f.Name)
	}
	return ExitOK
}

// clusterJSON is the --json shape of one cluster (DESIGN.md, "Command line").
type clusterJSON struct {
	ID       int       `json:"id"`
	Size     int       `json:"size"`
	Senders  int       `json:"senders"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Template string    `json:"template"`
	Score    float64   `json:"score"`
}

func runAnalyze(ctx context.Context, env *Env, args []string) int {
	flags := newFlags(env, "analyze", "--case CASE.raidcase [--json] [--lang fr|en]")
	var cf caseFlags
	cf.register(flags)
	asJSON := flags.Bool("json", false, "print one JSON object on stdout")
	outLang := flags.String("lang", "", "language of the summary printed: fr or en (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; --json is not translated)")
	p := analysis.DefaultParams()
	flags.IntVar(&p.MinSenders, "min-senders", p.MinSenders, "distinct senders a cluster needs")
	flags.IntVar(&p.MinSize, "min-size", p.MinSize, "messages a cluster needs")
	if _, err := parse(flags, args); err != nil {
		return ExitUsage
	}
	lang, err := parseLang(*outLang)
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	pr := newPrinter(lang)
	c, err := cf.open(ctx, false)
	if err != nil {
		return fail(env, code(err), err)
	}
	defer c.Close()
	a, err := c.Analyze(ctx, p, nil)
	if err != nil {
		return fail(env, ExitFailure, err)
	}
	n, err := c.CountMessages(ctx)
	if err != nil {
		return fail(env, ExitFailure, err)
	}
	clusters := make([]clusterJSON, 0, len(a.Result.Clusters))
	for _, cl := range a.Result.Clusters {
		clusters = append(clusters, clusterJSON{cl.ID, cl.Size, cl.Senders, cl.Start.UTC(), cl.End.UTC(), cl.Template, cl.Score})
	}
	if *asJSON {
		printJSON(env.Stdout, map[string]any{"messages": n, "clusters": clusters, "params": a.Result.Params})
		return ExitOK
	}
	fmt.Fprintln(env.Stdout, pr.text("cli.analyze.summary", "{{.Messages}} messages, {{.Clusters}} clusters",
		map[string]string{"Messages": strconv.Itoa(n), "Clusters": strconv.Itoa(len(clusters))}))
	for _, cl := range clusters {
		fmt.Fprintln(env.Stdout, pr.text("cli.analyze.cluster", "#{{.ID}} {{.Size}} messages {{.Senders}} senders  {{.Start}} – {{.End}}  score {{.Score}}",
			map[string]string{"ID": fmt.Sprintf("%-4d", cl.ID), "Size": fmt.Sprintf("%5d", cl.Size), "Senders": fmt.Sprintf("%5d", cl.Senders),
				"Start": cl.Start.Format(time.RFC3339), "End": cl.End.Format(time.RFC3339), "Score": pr.decimal(cl.Score, 1)}))
		fmt.Fprintf(env.Stdout, "       %s\n", oneLine(cl.Template, 100))
	}
	return ExitOK
}

func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}

func runExport(ctx context.Context, env *Env, args []string) int {
	flags := newFlags(env, "export", "--case CASE.raidcase --out DIR [--zip] [--lang fr,en] [--redact] [--time RFC3339]")
	var cf caseFlags
	cf.register(flags)
	out := flags.String("out", "", "folder to write the bundle into")
	zip := flags.Bool("zip", false, "also write the bundle as a ZIP file")
	langs := flags.String("lang", "fr,en", "report languages: fr, en or fr,en")
	redact := flags.Bool("redact", false, "pseudonymised variant for press or NGOs (no originals, senders replaced)")
	at := flags.String("time", "", "export time, RFC 3339 (2026-03-20T10:00:00Z): Bagging-Date, report dates, bundle name;\n"+
		"the same case, key and time give the same bundle byte for byte (default $SOURCE_DATE_EPOCH when set, else now)")
	if _, err := parse(flags, args); err != nil {
		return ExitUsage
	}
	if *out == "" {
		return fail(env, ExitUsage, errUsage("--out is required"))
	}
	now, err := exportTime(*at, os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	ls, err := parseLangs(*langs)
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	c, err := cf.open(ctx, false)
	if err != nil {
		return fail(env, code(err), err)
	}
	defer c.Close()
	bag, err := export(ctx, env, c, *out, evidence.Options{Langs: ls, Redact: *redact, Zip: *zip, Now: now})
	if err != nil {
		return fail(env, ExitFailure, err)
	}
	fmt.Fprintln(env.Stdout, bag)
	return ExitOK
}

// exportTime is the export's clock: the --time value (RFC 3339), else SOURCE_DATE_EPOCH
// (seconds since 1970, as reproducible builds set it), else nil (the current time).
func exportTime(flag, epoch string) (func() time.Time, error) {
	var t time.Time
	switch {
	case flag != "":
		var err error
		if t, err = time.Parse(time.RFC3339Nano, flag); err != nil {
			return nil, errUsage(fmt.Sprintf("--time %q: not an RFC 3339 time such as 2026-03-20T10:00:00Z", flag))
		}
	case epoch != "":
		n, err := strconv.ParseInt(strings.TrimSpace(epoch), 10, 64)
		if err != nil || n < 0 {
			return nil, errUsage(fmt.Sprintf("SOURCE_DATE_EPOCH %q: not a number of seconds since 1970", epoch))
		}
		t = time.Unix(n, 0)
	default:
		return nil, nil
	}
	t = t.UTC()
	return func() time.Time { return t }, nil
}

func parseLangs(s string) ([]string, error) {
	var out []string
	for _, l := range strings.Split(s, ",") {
		l = strings.ToLower(strings.TrimSpace(l))
		if l != "fr" && l != "en" {
			return nil, errUsage(fmt.Sprintf("--lang: %q is not fr or en", l))
		}
		out = append(out, l)
	}
	return out, nil
}

// export signs with the install's key and writes the bag into dir.
func export(ctx context.Context, env *Env, c *casefile.Case, dir string, opt evidence.Options) (string, error) {
	defer exportGC()()
	cfg, err := env.configDir()
	if err != nil {
		return "", err
	}
	key, err := evidence.LoadOrCreateKey(filepath.Join(cfg, "keys"))
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	opt.Key = key
	opt.Agent = "raidtrace " + Version()
	opt.Cleanup = func(c evidence.Cleanup) { fmt.Fprintf(env.Stderr, "raidtrace: %s\n", c) }
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	return evidence.Export(ctx, c, dir, opt, nil)
}

// signerFlags collect --signer values: fingerprints, or files of fingerprints and public keys.
type signerFlags []string

func (s *signerFlags) String() string     { return strings.Join(*s, ",") }
func (s *signerFlags) Set(v string) error { *s = append(*s, v); return nil }

// fingerprints turns the --signer values into fingerprints: a value starting with SHA256: is
// one, anything else is a file read with [evidence.ReadSigners].
func (s signerFlags) fingerprints() ([]string, error) {
	var out []string
	for _, v := range s {
		if len(v) >= 7 && strings.EqualFold(v[:7], "SHA256:") {
			fp, err := evidence.ParseFingerprint(v)
			if err != nil {
				return nil, errUsage("--signer: " + err.Error())
			}
			out = append(out, fp)
			continue
		}
		b, err := os.ReadFile(v)
		if err != nil {
			return nil, errUsage(fmt.Sprintf("--signer %q: not a SHA256: fingerprint, and not a readable file: %v", v, err))
		}
		fps, err := evidence.ReadSigners(b, v)
		if err != nil {
			return nil, errUsage("--signer: " + err.Error())
		}
		out = append(out, fps...)
	}
	return out, nil
}

const verifyArgs = "[--json] [--lang fr|en] [--signer SHA256:…|FILE]... [--allow-unsigned] BUNDLE"

func runVerify(ctx context.Context, env *Env, args []string) int {
	flags := newFlags(env, "verify", verifyArgs)
	asJSON := flags.Bool("json", false, "print one JSON object on stdout")
	outLang := flags.String("lang", "", "language of the verdict printed: fr or en (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG; --json is not translated)")
	var signers signerFlags
	flags.Var(&signers, "signer", "the key expected to have signed the bundle: its fingerprint (SHA256:…, as ssh-keygen -l prints it)\n"+
		"or a file of fingerprints or public keys (.pub, allowed_signers), one a line; repeatable.\n"+
		"A bundle signed by any other key fails. Without it any key in the bundle's own allowed_signers is accepted")
	allowUnsigned := flags.Bool("allow-unsigned", false, "accept a bundle that carries no signature (reported UNSIGNED): its checksums\n"+
		"then show only that nothing changed since they were computed, by anyone")
	pos, err := parse(flags, args)
	if err != nil {
		return ExitUsage
	}
	if len(pos) != 1 {
		flags.Usage()
		return ExitUsage
	}
	lang, err := parseLang(*outLang)
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	pr := newPrinter(lang)
	pins, err := signers.fingerprints()
	if err != nil {
		return fail(env, ExitUsage, err)
	}
	if len(pins) > 0 && *allowUnsigned {
		return fail(env, ExitUsage, errUsage("--allow-unsigned and --signer contradict each other: a bundle checked against an expected signer must be signed"))
	}
	rep, err := evidence.VerifyWith(ctx, pos[0], evidence.VerifyOptions{AllowUnsigned: *allowUnsigned, Signers: pins})
	if err != nil {
		return fail(env, ExitFailure, err)
	}
	if *asJSON {
		printJSON(env.Stdout, rep)
	} else {
		printVerify(env, pr, rep, pos[0], pins)
	}
	if !rep.OK() {
		for _, p := range rep.Problems {
			if p.Kind == evidence.Unsigned && !*allowUnsigned && len(pins) == 0 {
				fmt.Fprintln(env.Stderr, "raidtrace: "+pr.text("cli.verify.unsigned_hint", "the bundle is not signed; --allow-unsigned accepts it if you know where it comes from", nil))
				break
			}
		}
		return ExitFailure
	}
	return ExitOK
}

// printVerify prints a verification for a person, in pr's language: the problems (their
// details stay in English), who signed, and the verdict.
func printVerify(env *Env, pr *printer, rep *evidence.VerifyReport, bag string, pins []string) {
	w := env.Stdout
	for _, p := range rep.Problems {
		fmt.Fprintln(w, pr.text("cli.verify.problem", "{{.Kind}}: {{.Path}}: {{.Detail}}", map[string]string{
			"Kind": pr.text("cli.verify.kind."+string(p.Kind), string(p.Kind), nil), "Path": p.Path, "Detail": p.Detail}))
	}
	args := map[string]string{"Fingerprint": rep.Fingerprint, "Bundle": bag, "Expected": strings.Join(pins, pr.text("cli.verify.or", " or ", nil)),
		"N": strconv.Itoa(len(rep.Problems))}
	switch {
	case rep.Fingerprint != "" && rep.SignerPinned && rep.Signed:
		fmt.Fprintln(w, pr.text("cli.verify.signer_expected", "signer: {{.Fingerprint}} (the expected key)", args))
	case rep.Fingerprint != "" && rep.SignerPinned:
		fmt.Fprintln(w, pr.text("cli.verify.signer_unexpected", "signer: {{.Fingerprint}}, NOT the expected key {{.Expected}}", args))
	case rep.Fingerprint != "":
		fmt.Fprintln(w, pr.text("cli.verify.signer_named", "signer: {{.Fingerprint}} (named by the bundle itself: compare it with the fingerprint its sender gave you, or pin it with --signer)", args))
	case rep.UnsignedAllowed:
		fmt.Fprintln(w, pr.text("cli.verify.unsigned", "UNSIGNED: {{.Bundle}} carries no signature: nothing shows who made it, and whoever changed a file could have recomputed its checksums", args))
	}
	switch {
	case !rep.OK():
		fmt.Fprintln(w, pr.text("cli.verify.failed", "FAILED: {{.N}} problem(s) in {{.Bundle}}", args))
	case rep.UnsignedAllowed:
		fmt.Fprintln(w, pr.text("cli.verify.ok_unsigned", "OK (UNSIGNED): {{.Bundle}} is intact but NOT SIGNED", args))
	default:
		fmt.Fprintln(w, pr.text("cli.verify.ok", "OK: {{.Bundle}} is intact", args))
	}
}

func runStamp(ctx context.Context, env *Env, args []string) int {
	flags := newFlags(env, "stamp", "--tsa URL BUNDLE")
	tsa := flags.String("tsa", "", "RFC 3161 time-stamp authority URL (the request is sent over the network)")
	pos, err := parse(flags, args)
	if err != nil {
		return ExitUsage
	}
	if len(pos) != 1 || *tsa == "" {
		flags.Usage()
		return ExitUsage
	}
	if err := evidence.Stamp(ctx, pos[0], *tsa); err != nil {
		return fail(env, ExitFailure, err)
	}
	fmt.Fprintln(env.Stdout, newPrinter(envLang()).text("cli.stamp.done", "stamped: {{.Bundle}}", map[string]string{"Bundle": pos[0]}))
	return ExitOK
}

func runDemo(ctx context.Context, env *Env, args []string) int {
	flags := newFlags(env, "demo", "--out DIR")
	out := flags.String("out", "", "folder for demo.raidcase, the demo export and its bundle")
	if _, err := parse(flags, args); err != nil {
		return ExitUsage
	}
	if *out == "" {
		return fail(env, ExitUsage, errUsage("--out is required"))
	}
	c, err := casefile.OpenDemo(ctx, *out)
	if err != nil {
		return fail(env, ExitFailure, err)
	}
	defer c.Close()
	bag, err := export(ctx, env, c, *out, evidence.Options{Langs: []string{"fr", "en"}})
	if err != nil {
		return fail(env, ExitFailure, err)
	}
	fmt.Fprintln(env.Stdout, newPrinter(envLang()).text("cli.demo.done", "case:   {{.Case}}\nbundle: {{.Bundle}}", map[string]string{"Case": c.Path(), "Bundle": bag}))
	return ExitOK
}
