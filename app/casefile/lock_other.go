//go:build !unix

package casefile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// fileLock on systems without flock: the database file is opened and kept open, which on Windows
// does not exclude a second instance. SQLite's own locking still prevents two writers from
// corrupting the case; the second instance then sees "database is locked" errors instead of
// ErrLocked.
type fileLock struct{ f *os.File }

func lockFile(name string) (*fileLock, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	return &fileLock{f: f}, nil
}

func (l *fileLock) release() error { return l.f.Close() }

func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
