package importers

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestE164(t *testing.T) {
	tests := []struct {
		raw, region, want string
	}{
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"+33 6 12 34 56 78", "FR", "+33612345678"},
		{"0033612345678", "FR", "+33612345678"},
		{"whatsapp:+14155550123", "FR", "+14155550123"},
		{"(555) 555-4545", "US", "+15555554545"},
		{"09999999999", "NG", "+2349999999999"},
		{"10010", "FR", ""},                // short code stays as given
		{"OTP Bank", "FR", ""},             // alphanumeric sender id
		{"group_8@rcs.google.com", "", ""}, // RCS pseudo-address
		{"", "FR", ""},
	}
	for _, tt := range tests {
		if got := E164(tt.raw, tt.region); got != tt.want {
			t.Errorf("E164(%q, %q) = %q, want %q", tt.raw, tt.region, got, tt.want)
		}
	}
}

func TestPartyKey(t *testing.T) {
	tests := []struct {
		p    Party
		want string
	}{
		{Party{Raw: "06 12 34 56 78", E164: "+33612345678", Name: "X"}, "+33612345678"},
		{Party{Raw: "@Troll", Handle: "Troll", ID: "123"}, "123"},
		{Party{Handle: "Troll"}, "troll"},
		{Party{Name: "Jean"}, "Jean"},
	}
	for _, tt := range tests {
		if got := tt.p.Key(); got != tt.want {
			t.Errorf("%+v.Key() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestRecordHash(t *testing.T) {
	base := Record{Location: "line 1", Platform: "sms", Time: time.UnixMilli(1700000000123).UTC(),
		Sender: Party{Raw: "0612345678", E164: "+33612345678"}, Direction: Incoming, Text: "hello"}
	same := base
	same.Location = "line 99" // another export of the same message
	same.Sender.Raw = "+33 6 12 34 56 78"
	if base.Hash() != same.Hash() {
		t.Errorf("the same message at another location/raw form hashed differently")
	}
	for name, change := range map[string]func(*Record){
		"text":      func(r *Record) { r.Text = "hello!" },
		"time":      func(r *Record) { r.Time = r.Time.Add(time.Millisecond) },
		"sender":    func(r *Record) { r.Sender.E164 = "+33612345679" },
		"direction": func(r *Record) { r.Direction = Outgoing },
		"platform":  func(r *Record) { r.Platform = "mms" },
		// field boundaries: moving characters between fields must change the hash
		"boundary": func(r *Record) { r.Platform, r.PlatformID = "sm", "s" },
	} {
		r := base
		change(&r)
		if r.Hash() == base.Hash() {
			t.Errorf("changing %s kept the same hash", name)
		}
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		err  *ParseError
		want string
	}{
		{&ParseError{File: "sms.xml", Line: 12, Column: 3, Err: ErrTruncated}, "sms.xml: line 12, column 3: " + ErrTruncated.Error()},
		{&ParseError{Line: 4, Err: errors.New("bad date")}, "line 4: bad date"},
		{&ParseError{Location: "data/tweets.js#/3", Err: errors.New("x")}, "data/tweets.js#/3: x"},
		{&ParseError{Err: ErrNotFormat}, "start of file: " + ErrNotFormat.Error()},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	wrapped := fmt.Errorf("import: %w", &ParseError{Line: 1, Err: ErrTruncated})
	if !errors.Is(wrapped, ErrTruncated) {
		t.Errorf("errors.Is(wrapped ParseError, ErrTruncated) = false, want true")
	}
}

func ExampleE164() {
	fmt.Println(E164("06 12 34 56 78", "FR"))
	fmt.Println(E164("(555) 555-4545", "US"))
	// Output:
	// +33612345678
	// +15555554545
}
