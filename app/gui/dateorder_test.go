package gui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"raidtrace/app/casefile"
)

// dialogButton finds the button labelled text in the top overlay, nil when there is none.
func dialogButton(w fyne.Window, text string) *widget.Button {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			return b
		}
	}
	return nil
}

// TestAskDateOrder: a chat export whose dates never settle day/month order is asked about
// before it is imported, with one of its dates read both ways, and imported in the order chosen;
// a file whose dates settle it is imported without a question.
func TestAskDateOrder(t *testing.T) {
	tests := []struct {
		name, text string
		answer     string // button tapped; "" when no question is expected
		want       time.Time
	}{
		{"ambiguous, month first", "01/02/24, 10:00 - Alice: premier\n03/04/24, 11:00 - Bob: deuxième\n",
			"Month first: 2 January 2024", time.Date(2024, 1, 2, 9, 0, 0, 0, time.UTC)},
		{"ambiguous, day first", "01/02/24, 10:00 - Alice: premier\n03/04/24, 11:00 - Bob: deuxième\n",
			"Day first: 1 February 2024", time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC)},
		{"settled", "01/02/24, 10:00 - Alice: premier\n13/04/24, 11:00 - Bob: deuxième\n",
			"", time.Date(2024, 2, 1, 9, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, w := newTestUI(t)
			newEmptyCase(t, u) // Europe/Paris: 10:00 is 09:00 UTC in winter
			path := filepath.Join(t.TempDir(), "chat.txt")
			if err := os.WriteFile(path, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			u.imp.addPaths([]string{path})
			u.jobs.wait()
			if len(u.imp.pending) != 1 || u.imp.pending[0].format.ID != "chattext" {
				t.Fatalf("pending %+v, want the chat file as chattext", u.imp.pending)
			}
			u.imp.start()
			u.jobs.wait()
			if tt.answer == "" {
				if top := w.Canvas().Overlays().Top(); top != nil {
					t.Fatalf("a dialog is open for a file whose dates settle the order: %q", shownTexts(top))
				}
			} else {
				top := w.Canvas().Overlays().Top()
				if top == nil {
					t.Fatal("no question for an ambiguous file")
				}
				texts := shownTexts(top)
				if want := "01/02/24, 10:00 → 1 February 2024 or 2 January 2024"; !containsText(texts, want) {
					t.Errorf("question %q lacks the example %q", texts, want)
				}
				if n, _ := u.c.(*casefile.Case).Messages(context.Background()); len(n) != 0 {
					t.Fatalf("%d messages stored before the answer", len(n))
				}
				b := dialogButton(w, tt.answer)
				if b == nil {
					t.Fatalf("no button %q in %q", tt.answer, texts)
				}
				test.Tap(b)
				u.jobs.wait()
				if top := w.Canvas().Overlays().Top(); top != nil {
					t.Errorf("a dialog is still open after the answer: %q", shownTexts(top))
				}
			}
			msgs, err := u.c.(*casefile.Case).Messages(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 2 {
				t.Fatalf("%d messages stored, want 2", len(msgs))
			}
			if got := msgs[0].Time; !got.Equal(tt.want) {
				t.Errorf("first message at %v, want %v", got, tt.want)
			}
			// The answer is in the custody log, with the source it applied to.
			wantOrder := map[string]string{"Month first: 2 January 2024": "MDY", "Day first: 1 February 2024": "DMY"}[tt.answer]
			if got := loggedSetting(t, u, "date_order"); got != wantOrder {
				t.Errorf("custody log date_order %q, want %q", got, wantOrder)
			}
			for _, s := range u.imp.summaries {
				for _, p := range s.Problems {
					if tt.answer != "" && p.Location == "file" {
						t.Errorf("problem %v after the order was given", p)
					}
				}
			}
		})
	}
}

// loggedSetting is key in the details of the case's last import-settings custody entry, "" when
// there is none.
func loggedSetting(t *testing.T, u *UI, key string) string {
	t.Helper()
	entries, err := u.c.(*casefile.Case).Custody(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, e := range entries {
		if e.Action == "import-settings" {
			if e.Details["source_sha256"] == "" || e.Details["source_sha256"] == nil {
				t.Errorf("import-settings entry %v names no source", e.Details)
			}
			if _, ok := e.Details["name"]; ok {
				t.Errorf("import-settings entry %v names the file (a redacted export would not mask it)", e.Details)
			}
			got = fmt.Sprint(e.Details[key])
		}
	}
	return got
}
