package gui

import (
	"fyne.io/fyne/v2/lang"

	"raidtrace/importers"
)

// The importers' reasons (importers.Problem, importers.ParseError) are shown in the reader's
// language: each reason key K is translated by "reason.K" in assets/translations, a format's name
// by "format.ID"; the English template is the fallback.

// reasonTranslator translates importers' reasons with fyne's lang.
func reasonTranslator(key string, args map[string]string) string {
	if key == importers.ReasonFormat.Key() {
		return lang.X("format."+args["ID"], args["Name"])
	}
	data := make(map[string]any, len(args))
	for k, v := range args {
		data[k] = v
	}
	return lang.X("reason."+key, importers.English(key), data)
}

// problemReason is p's reason in the reader's language.
func problemReason(p importers.Problem) string { return p.Text(reasonTranslator) }

// problemLine is p as "location: reason", its reason in the reader's language.
func problemLine(p importers.Problem) string { return p.Location + ": " + problemReason(p) }

// errorReason is an importer's error in the reader's language.
func errorReason(err error) string { return importers.ErrMsg(err).Render(reasonTranslator) }
