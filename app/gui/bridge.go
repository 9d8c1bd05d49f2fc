package gui

// bridge.go is the GUI's goroutine boundary: long work runs here off the UI goroutine, its
// progress is throttled, and every widget update it causes goes through fyne.Do.

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// progressInterval is the most often a progress callback reaches the widgets.
const progressInterval = 100 * time.Millisecond

// jobs runs background work and lets tests wait for it.
type jobs struct {
	wg sync.WaitGroup
}

// run calls work in a goroutine, then done(err) on the UI goroutine.
func (j *jobs) run(ctx context.Context, work func(ctx context.Context) error, done func(err error)) {
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		err := work(ctx)
		if done != nil {
			fyne.Do(func() { done(err) })
		}
	}()
}

// wait blocks until every job started so far has finished (tests).
func (j *jobs) wait() { j.wg.Wait() }

// throttle returns a progress callback safe to call from any goroutine, as often as the core
// likes: it forwards to show on the UI goroutine at most every progressInterval, and always
// forwards a call whose fraction is 1 (the end of a stage).
func throttle(show func(stage string, frac float64)) func(stage string, frac float64) {
	var mu sync.Mutex
	var last time.Time
	var lastStage string
	return func(stage string, frac float64) {
		mu.Lock()
		now := time.Now()
		if now.Sub(last) < progressInterval && frac < 1 && stage == lastStage {
			mu.Unlock()
			return
		}
		last, lastStage = now, stage
		mu.Unlock()
		fyne.Do(func() { show(stage, frac) })
	}
}
