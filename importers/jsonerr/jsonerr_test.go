package jsonerr

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"raidtrace/importers"
)

func TestTypeReason(t *testing.T) {
	type tweet struct {
		Text     string          `json:"text"`
		Count    int             `json:"count"`
		Entities struct{}        `json:"entities"`
		Media    []string        `json:"media"`
		Reply    *int64          `json:"reply"`
		ID       json.Number     `json:"id"`
		Extra    map[string]bool `json:"extra"`
	}
	tests := []struct {
		doc, want string
	}{
		{`{"text": 12}`, "text is a number, expected a string"},
		{`{"count": "12"}`, "count is a string, expected a int"},
		{`{"entities": []}`, "entities is a array, expected an object"},
		{`{"media": "a.jpg"}`, "media is a string, expected an array"},
		{`{"reply": "9"}`, "reply is a string, expected a int64"},
		{`{"id": true}`, "id is a bool, expected a number"},
		{`{"extra": 1}`, "extra is a number, expected an object"},
		{`[1]`, "entry is a array, expected an object"},
	}
	for _, tt := range tests {
		var v tweet
		err := json.Unmarshal([]byte(tt.doc), &v)
		if err == nil {
			t.Fatalf("%s: decoded without error", tt.doc)
		}
		if got := TypeReason(err); got != tt.want {
			t.Errorf("TypeReason(%s): got %q, want %q", tt.doc, got, tt.want)
		}
	}
	if got, want := TypeReason(errors.New("disk on fire")), "disk on fire"; got != want {
		t.Errorf("TypeReason(other): got %q, want %q", got, want)
	}
}

func TestDamaged(t *testing.T) {
	tests := []struct {
		doc       string
		want      string // the error, "" for nil
		truncated bool
	}{
		{`{"a": [1, 2`, "#/a (byte 0): file ends in the middle of a record", true},
		{`{"a": ]}`, "#/a (byte 0): invalid JSON: invalid character ']'", false},
		{`{"a": "x"}`, "", false},
	}
	for _, tt := range tests {
		dec := json.NewDecoder(strings.NewReader(tt.doc))
		var v struct{ A []int }
		err := dec.Decode(&v)
		if err == nil {
			err = errors.New("not a JSON error")
		}
		got := Damaged(dec, "#/a", err)
		switch {
		case tt.want == "" && got != nil:
			t.Errorf("Damaged(%s): got %v, want nil", tt.doc, got)
		case tt.want != "":
			var pe *importers.ParseError
			if !errors.As(got, &pe) || !strings.HasPrefix(got.Error(), tt.want) {
				t.Errorf("Damaged(%s): got %v, want a ParseError %q", tt.doc, got, tt.want)
			}
			if errors.Is(got, importers.ErrTruncated) != tt.truncated {
				t.Errorf("Damaged(%s): wraps ErrTruncated %v, want %v", tt.doc, !tt.truncated, tt.truncated)
			}
		}
	}
}
