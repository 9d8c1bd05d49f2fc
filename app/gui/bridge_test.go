package gui

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"
)

// TestThrottle checks that a flood of progress calls reaches the widgets only a few times, and
// that the end of a stage always does.
func TestThrottle(t *testing.T) {
	test.NewTempApp(t)
	var mu sync.Mutex
	var calls int
	var last float64
	p := throttle(func(_ string, frac float64) {
		mu.Lock()
		calls++
		last = frac
		mu.Unlock()
	})
	for i := 0; i < 100000; i++ {
		p("import", float64(i)/100000)
	}
	p("import", 1)
	mu.Lock()
	defer mu.Unlock()
	if calls > 20 {
		t.Errorf("%d calls reached the UI, want a handful", calls)
	}
	if last != 1 {
		t.Errorf("last fraction shown %v, want 1", last)
	}
}
