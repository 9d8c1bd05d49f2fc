package jsonerr

import (
	"encoding/json"
	"errors"
	"testing"
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
		{`{"count": "12"}`, "count is a string, expected a number"},
		{`{"entities": []}`, "entities is an array, expected an object"},
		{`{"media": "a.jpg"}`, "media is a string, expected an array"},
		{`{"reply": "9"}`, "reply is a string, expected a number"},
		{`{"id": true}`, "id is true or false, expected a number"},
		{`{"extra": 1}`, "extra is a number, expected an object"},
		{`[1]`, "entry is an array, expected an object"},
	}
	for _, tt := range tests {
		var v tweet
		err := json.Unmarshal([]byte(tt.doc), &v)
		if err == nil {
			t.Fatalf("%s: decoded without error", tt.doc)
		}
		if got := TypeReason(err).String(); got != tt.want {
			t.Errorf("TypeReason(%s): got %q, want %q", tt.doc, got, tt.want)
		}
	}
	if got, want := TypeReason(errors.New("disk on fire")).String(), "disk on fire"; got != want {
		t.Errorf("TypeReason(other): got %q, want %q", got, want)
	}
}
