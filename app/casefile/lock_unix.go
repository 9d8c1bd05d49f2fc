//go:build unix

package casefile

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"syscall"
)

// fileLock is an exclusive advisory lock (flock) on the database file itself, held while a case is
// open. Locking the file, not a name beside it, makes a second instance refuse the case whatever
// path it is opened by: a symbolic link, another spelling of the folder or a hard link.
//
// flock locks are independent of the POSIX locks SQLite takes, but closing any descriptor of the
// database drops every POSIX lock this process holds on it. So the descriptor is opened only
// when this process does not have the case open already (openFiles), and closed only after SQLite
// has closed its own.
type fileLock struct {
	f   *os.File
	key fileKey
}

type fileKey struct{ dev, ino uint64 }

// openFiles are the case files this process holds open, by device and inode.
var openFiles = struct {
	sync.Mutex
	m map[fileKey]bool
}{m: map[fileKey]bool{}}

func keyOf(st os.FileInfo) (fileKey, bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fileKey{}, false
	}
	return fileKey{dev: uint64(s.Dev), ino: uint64(s.Ino)}, true
}

func lockFile(name string) (*fileLock, error) {
	openFiles.Lock()
	defer openFiles.Unlock()
	st, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	key, ok := keyOf(st)
	if ok && openFiles.m[key] {
		return nil, ErrLocked
	}
	f, err := os.Open(name) // read-only: a case on read-only media can be locked too
	if err != nil {
		return nil, err
	}
	if fst, err := f.Stat(); err != nil || !os.SameFile(st, fst) {
		f.Close()
		return nil, fmt.Errorf("lock %s: the file changed while being opened", name)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close() // this process holds no POSIX lock on the file (not in openFiles)
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock %s: %w", name, err)
	}
	if ok {
		openFiles.m[key] = true
	}
	return &fileLock{f: f, key: key}, nil
}

func (l *fileLock) release() error {
	openFiles.Lock()
	defer openFiles.Unlock()
	err := l.f.Close()
	delete(openFiles.m, l.key)
	return err
}

func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
