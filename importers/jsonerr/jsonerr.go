// Package jsonerr reads damaged JSON the way an import needs: [Scanner] walks the arrays and
// objects of a document element by element, so that a broken element is reported at its JSON
// pointer and the elements after it still import, and a document cut short is reported where it
// ends, after the complete elements before the cut. It also explains a value of the wrong type
// in words a user reads ("text is a number, expected a string") rather than Go type names.
//
// It must not decide what to skip, warn about or keep: the importers (X API captures, X
// archives, Twilio API JSON) do; Scanner only tells them what it found. It reads, never writes,
// and imports no GUI code.
package jsonerr

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"

	"raidtrace/importers"
)

// TypeReason explains a JSON type mismatch without Go type names: "text is a number, expected
// a string". Other errors give their own text ([importers.ErrMsg]).
func TypeReason(err error) importers.Msg {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return importers.ErrMsg(err)
	}
	t := te.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	want := kindMsg(t.Kind())
	if t == reflect.TypeFor[json.Number]() {
		want = reasonNumber.M()
	}
	value := reasonAKind.M("Kind", te.Value)
	switch v, _, _ := strings.Cut(te.Value, " "); v {
	case "number":
		value = reasonNumber.M()
	case "string":
		value = reasonString.M()
	case "bool":
		value = reasonBool.M()
	case "array":
		value = reasonArray.M()
	case "object":
		value = reasonObject.M()
	}
	if te.Field == "" {
		return reasonEntryType.M("Value", value, "Want", want)
	}
	return reasonFieldType.M("Field", te.Field, "Value", value, "Want", want)
}

// kindMsg names a Go kind as JSON would hold it.
func kindMsg(k reflect.Kind) importers.Msg {
	switch k {
	case reflect.Struct, reflect.Map:
		return reasonObject.M()
	case reflect.Slice, reflect.Array:
		return reasonArray.M()
	case reflect.String:
		return reasonString.M()
	case reflect.Bool:
		return reasonBool.M()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8,
		reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return reasonNumber.M()
	}
	return reasonAKind.M("Kind", k.String())
}

var (
	reasonEntryType = importers.NewReason("json-entry-type", "entry is {{.Value}}, expected {{.Want}}")
	reasonFieldType = importers.NewReason("json-field-type", "{{.Field}} is {{.Value}}, expected {{.Want}}")
	reasonNumber    = importers.NewReason("json-a-number", "a number")
	reasonString    = importers.NewReason("json-a-string", "a string")
	reasonBool      = importers.NewReason("json-a-boolean", "true or false")
	reasonArray     = importers.NewReason("json-an-array", "an array")
	reasonObject    = importers.NewReason("json-an-object", "an object")
	reasonAKind     = importers.NewReason("json-a-kind", "a {{.Kind}}")
)
