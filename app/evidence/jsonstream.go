package evidence

import (
	"bufio"
	"bytes"
	"encoding"
	"encoding/json"
	"io"
	"reflect"
	"strings"
)

// streamMin is the length from which a slice is written element by element.
const streamMin = 64

// writeJSONStreamed writes v exactly as writeJSON does (two-space indentation, HTML characters
// unescaped, a newline at the end) without ever holding the whole text: structs are written
// field by field and long slices element by element, each piece through encoding/json. Types it
// cannot follow field by field (a custom marshaller, ",string", clashing names) are encoded
// whole, which gives the same bytes. Each of lists stands for a field of v's (at any depth)
// whose elements are not held but given one at a time (see [jsonList]).
func writeJSONStreamed(w io.Writer, v any, lists ...jsonList) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := streamJSON(bw, v, "  ", false, lists...); err != nil {
		return err
	}
	bw.WriteByte('\n')
	return bw.Flush()
}

// streamJSON writes v to w as json.MarshalIndent(v, "", indent) does (with escapeHTML: as
// json.Encoder does after SetEscapeHTML(escapeHTML)), in the same way as writeJSONStreamed, with
// no newline at the end. The caller flushes w.
func streamJSON(w *bufio.Writer, v any, indent string, escapeHTML bool, lists ...jsonList) error {
	s := &jsonStream{w: w, indent: indent, lists: lists}
	s.enc = json.NewEncoder(&s.one)
	s.enc.SetEscapeHTML(escapeHTML)
	s.value(reflect.ValueOf(v), "")
	return s.err
}

type jsonStream struct {
	w      *bufio.Writer
	indent string
	one    bytes.Buffer
	enc    *json.Encoder // into one
	lists  []jsonList
	err    error
}

// jsonList is a list field written from a function that gives its elements one at a time, in
// place of the field's own value (which should be nil): for lists too big to hold, such as a
// big result's clusters. It is written as the field's slice would be: null when each reports a
// null list, [] when it gives no element.
type jsonList struct {
	owner reflect.Type // the struct type that declares the field
	name  string       // the field's JSON name
	// each calls fn for each element in order, stops at fn's first error and returns it
	each func(fn func(elem any) error) (null bool, err error)
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

func marshals(t reflect.Type) bool {
	return t.Implements(jsonMarshaler) || t.Implements(textMarshaler) ||
		reflect.PointerTo(t).Implements(jsonMarshaler) || reflect.PointerTo(t).Implements(textMarshaler)
}

// value writes v, whose first line is already indented, its other lines after prefix.
func (s *jsonStream) value(v reflect.Value, prefix string) {
	if s.err != nil {
		return
	}
	if !v.IsValid() {
		s.encode(v, prefix)
		return
	}
	switch t := v.Type(); {
	case marshals(t):
		s.encode(v, prefix)
	case t.Kind() == reflect.Interface && !v.IsNil():
		s.value(v.Elem(), prefix)
	case t.Kind() == reflect.Pointer && !v.IsNil() && t.Elem().Kind() == reflect.Struct:
		s.value(v.Elem(), prefix)
	case t.Kind() == reflect.Struct:
		if fields, ok := jsonFields(v); ok {
			s.object(fields, prefix)
		} else {
			s.encode(v, prefix)
		}
	case t.Kind() == reflect.Slice && !v.IsNil() && v.Len() >= streamMin && t.Elem().Kind() != reflect.Uint8:
		s.array(v, prefix)
	default:
		s.encode(v, prefix)
	}
}

// encode writes v whole through encoding/json.
func (s *jsonStream) encode(v reflect.Value, prefix string) {
	s.one.Reset()
	s.enc.SetIndent(prefix, s.indent)
	var x any
	if v.IsValid() {
		x = v.Interface()
	}
	if err := s.enc.Encode(x); err != nil {
		s.err = err
		return
	}
	s.w.Write(bytes.TrimSuffix(s.one.Bytes(), []byte("\n")))
}

type jsonField struct {
	name  string
	v     reflect.Value
	owner reflect.Type // the struct type that declares it
}

// object writes the fields as a JSON object.
func (s *jsonStream) object(fields []jsonField, prefix string) {
	if len(fields) == 0 {
		s.w.WriteString("{}")
		return
	}
	in := prefix + s.indent
	s.w.WriteString("{")
	for i, f := range fields {
		if i > 0 {
			s.w.WriteString(",")
		}
		s.w.WriteString("\n" + in)
		s.encode(reflect.ValueOf(f.name), in)
		s.w.WriteString(": ")
		if l := s.list(f); l != nil {
			s.streamed(l, in)
		} else {
			s.value(f.v, in)
		}
	}
	s.w.WriteString("\n" + prefix + "}")
}

// array writes a slice element by element.
func (s *jsonStream) array(v reflect.Value, prefix string) {
	in := prefix + s.indent
	s.w.WriteString("[")
	for i := range v.Len() {
		if i > 0 {
			s.w.WriteString(",")
		}
		s.w.WriteString("\n" + in)
		s.encode(v.Index(i), in)
		if s.err != nil {
			return
		}
	}
	s.w.WriteString("\n" + prefix + "]")
}

// list is the jsonList that stands for field f, or nil.
func (s *jsonStream) list(f jsonField) *jsonList {
	for i := range s.lists {
		if l := &s.lists[i]; l.owner == f.owner && l.name == f.name {
			return l
		}
	}
	return nil
}

// streamed writes l's elements as array writes a slice's.
func (s *jsonStream) streamed(l *jsonList, prefix string) {
	in := prefix + s.indent
	n := 0
	null, err := l.each(func(elem any) error {
		if n == 0 {
			s.w.WriteString("[")
		} else {
			s.w.WriteString(",")
		}
		n++
		s.w.WriteString("\n" + in)
		s.encode(reflect.ValueOf(elem), in)
		return s.err
	})
	switch {
	case s.err != nil:
	case err != nil:
		s.err = err
	case n > 0:
		s.w.WriteString("\n" + prefix + "]")
	case null:
		s.w.WriteString("null")
	default:
		s.w.WriteString("[]")
	}
}

// jsonFields lists the fields encoding/json writes for struct v, in its order, or ok false when
// v uses something this writer does not follow (then v is encoded whole).
func jsonFields(v reflect.Value) (fields []jsonField, ok bool) {
	seen := map[string]bool{}
	var walk func(v reflect.Value) bool
	walk = func(v reflect.Value) bool {
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, hasTag := sf.Tag.Lookup("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "string") || strings.Contains(opts, "omitzero") {
				return false
			}
			if sf.Anonymous && name == "" {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() != reflect.Struct || marshals(sf.Type) {
					return false
				}
				fv := v.Field(i)
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue // encoding/json skips a nil embedded pointer's fields
					}
					fv = fv.Elem()
				}
				if !walk(fv) {
					return false
				}
				continue
			}
			if !sf.IsExported() {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.Anonymous || ft.Kind() != reflect.Struct {
					continue
				}
			}
			if name == "" || !hasTag {
				name = sf.Name
			}
			if seen[name] {
				return false // encoding/json's rules for clashing names are not followed here
			}
			seen[name] = true
			fv := v.Field(i)
			if strings.Contains(opts, "omitempty") && emptyJSON(fv) {
				continue
			}
			fields = append(fields, jsonField{name, fv, t})
		}
		return true
	}
	if !walk(v) {
		return nil, false
	}
	return fields, true
}

// emptyJSON is encoding/json's test for omitempty.
func emptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
