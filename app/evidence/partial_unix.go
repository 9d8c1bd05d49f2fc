//go:build unix

package evidence

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// flockPath takes an exclusive flock on the file or folder p (not following a symbolic link) and
// returns the descriptor that holds it: closing it releases the lock, as does the process'
// death, SIGKILL included. With wait it retries until the lock is free or ctx ends; without, a
// lock held elsewhere gives errBusy at once.
func flockPath(ctx context.Context, p string, wait bool) (*os.File, error) {
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return f, nil
		case errors.Is(err, syscall.EINTR):
			continue
		case !errors.Is(err, syscall.EWOULDBLOCK):
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", p, err)
		case !wait:
			f.Close()
			return nil, errBusy
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// flockFile takes an exclusive flock on the open file f, which must not be locked elsewhere yet.
func flockFile(f *os.File) error {
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return nil
}

const canLockPartials = true
