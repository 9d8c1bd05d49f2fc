//go:build unix

package casefile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock is an exclusive advisory lock (flock) on PATH.lock, held while a case is open. The lock
// is taken on a separate file because closing any descriptor of the database itself would drop
// SQLite's own POSIX locks.
type fileLock struct {
	f    *os.File
	name string
}

func lockFile(name string) (*fileLock, error) {
	for range 10 {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", name, writeErr(err))
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, ErrLocked
			}
			return nil, fmt.Errorf("lock %s: %w", name, err)
		}
		// The holder removes the lock file when it closes; make sure we locked the file that is
		// still at name, not one just unlinked.
		st1, err1 := f.Stat()
		st2, err2 := os.Stat(name)
		if err1 == nil && err2 == nil && os.SameFile(st1, st2) {
			return &fileLock{f: f, name: name}, nil
		}
		f.Close()
	}
	return nil, ErrLocked
}

func (l *fileLock) release() error {
	os.Remove(l.name) // while still holding the lock, see lockFile
	return l.f.Close()
}

func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
