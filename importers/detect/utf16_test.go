package detect

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"raidtrace/importers"
)

// TestUTF16Files: a file saved as UTF-16 (Windows "Unicode text", Excel's "Unicode Text" CSV,
// converters) is detected as the same format as its UTF-8 original and gives the same records
// and problems. The fixtures under testdata/utf16 are other packages' UTF-8 fixtures re-encoded.
func TestUTF16Files(t *testing.T) {
	tests := []struct {
		utf16, utf8 string // utf16 under testdata/utf16, utf8 under importers/
		want        string // format ID
	}{
		{"signal_style.utf16le.txt", "chattext/testdata/signal_style.txt", "chattext"},
		{"android_12h_narrow_nbsp.utf16be.txt", "chattext/testdata/android_12h_narrow_nbsp.txt", "chattext"},
		{"plivo_console.utf16le.csv", "csvmap/testdata/plivo_console.csv", "csv-plivo"},
		{"crowdfunding_fr.utf16le.csv", "csvmap/testdata/crowdfunding_fr.csv", "csv-crowdfunding"},
		{"twilio_console.utf16le.csv", "twilio/testdata/console_documented_order.csv", "twilio-csv"},
		{"twilio_message.utf16be.json", "twilio/testdata/message_whatsapp.json", "twilio-json"},
		{"twilio_bulk.utf16le.jsonl", "twilio/testdata/bulk_day_with_bad_lines.jsonl", "twilio-bulk"},
		{"xapi_flat.utf16le.jsonl", "xapi/testdata/flat.jsonl", "x-api"},
		{"xapi_dm_events.utf16le.json", "xapi/testdata/dm_events_users.json", "x-api"},
	}
	run := func(t *testing.T, path string) (string, string) {
		t.Helper()
		f, err := Detect(path)
		if err != nil {
			t.Fatalf("Detect(%s): %v", path, err)
		}
		var c importers.Collector
		opt := importers.Options{DateOrder: "DMY"}
		if err := f.Import(context.Background(), path, opt, &c); err != nil {
			t.Fatalf("Import(%s): %v", path, err)
		}
		b, err := json.MarshalIndent(c, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		return f.ID, string(b)
	}
	for _, tt := range tests {
		t.Run(tt.utf16, func(t *testing.T) {
			id16, got := run(t, filepath.Join("testdata", "utf16", tt.utf16))
			id8, want := run(t, filepath.Join("..", tt.utf8))
			if id16 != tt.want || id8 != tt.want {
				t.Errorf("detected UTF-16 as %s and UTF-8 as %s, want %s for both", id16, id8, tt.want)
			}
			if got != want {
				t.Errorf("UTF-16 import differs from the UTF-8 one:\ngot  %s\nwant %s", got, want)
			}
			if len(want) < 50 {
				t.Errorf("UTF-8 import gave almost nothing: %s", want)
			}
		})
	}
}
