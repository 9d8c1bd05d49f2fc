// Package jsonerr reads damaged JSON the way an import needs: [Scanner] walks the arrays and
// objects of a document element by element, so that a broken element is reported at its JSON
// pointer and the elements after it still import, and a document cut short is reported where it
// ends, after the complete elements before the cut. It also explains the errors of encoding/json
// in words a user reads: a truncated or invalid document as an *importers.ParseError naming
// where it broke and at which byte, a value of the wrong type as "text is a number, expected a
// string" rather than Go type names.
//
// It must not decide what to skip, warn about or keep: the importers (X API captures, X
// archives, Twilio API JSON) do; Scanner only tells them what it found. It reads, never writes,
// and imports no GUI code.
package jsonerr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"raidtrace/importers"
)

// Damaged returns, when err from dec says the document is cut short or not valid JSON, an
// *importers.ParseError located at where and dec's byte offset (wrapping importers.ErrTruncated
// for a cut); otherwise nil.
func Damaged(dec *json.Decoder, where string, err error) error {
	where = fmt.Sprintf("%s (byte %d)", where, dec.InputOffset())
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &importers.ParseError{Location: where, Err: importers.ErrTruncated}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &importers.ParseError{Location: where, Err: fmt.Errorf("invalid JSON: %w", err)}
	}
	return nil
}

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
