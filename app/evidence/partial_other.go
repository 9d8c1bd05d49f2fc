//go:build !unix

package evidence

import (
	"context"
	"errors"
	"os"
)

// Without flock, an export cannot tell whether a partial bundle is still being written by another
// export: it removes none.

var errNoFlock = errors.New("no flock on this system")

func flockPath(ctx context.Context, p string, wait bool) (*os.File, error) { return nil, errNoFlock }

func flockFile(f *os.File) error { return errNoFlock }

const canLockPartials = false
