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
	"fmt"
	"reflect"
)

// TypeReason explains a JSON type mismatch without Go type names: "text is a number, expected
// a string". Other errors give their own text.
func TypeReason(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err.Error()
	}
	want := "a " + te.Type.Kind().String()
	switch te.Type.Kind() {
	case reflect.Struct, reflect.Map:
		want = "an object"
	case reflect.Slice, reflect.Array:
		want = "an array"
	case reflect.Pointer:
		want = "a " + te.Type.Elem().Kind().String()
	}
	if te.Type == reflect.TypeFor[json.Number]() {
		want = "a number"
	}
	if te.Field == "" {
		return fmt.Sprintf("entry is a %s, expected %s", te.Value, want)
	}
	return fmt.Sprintf("%s is a %s, expected %s", te.Field, te.Value, want)
}
