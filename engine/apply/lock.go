package apply

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/mops-dev/mops/engine/repofs"
)

// holder is what a lock file records about the apply holding it.
type holder struct {
	PID      int       `json:"pid"`
	Host     string    `json:"host"`
	Actor    string    `json:"actor"`
	PlanHash string    `json:"planHash"`
	Since    time.Time `json:"since"`
}

// ErrLocked means another apply holds the system's lock.
var ErrLocked = errors.New("another apply is running")

// lock takes the per-system apply lock at path: a file created exclusively.
// A lock left by a process that no longer runs on this host is stale and is
// taken over; any other holder is named in the error.
func lock(path string, h holder) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create lock folder: %w", err)
	}
	data, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encode lock: %w", err)
	}
	for attempt := 0; attempt < 2; attempt++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.Write(data)
			serr := f.Sync()
			cerr := f.Close()
			if err := errors.Join(werr, serr, cerr); err != nil {
				os.Remove(path)
				return nil, fmt.Errorf("write lock %s: %w", path, err)
			}
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("take lock %s: %w", path, err)
		}
		cur, rerr := readHolder(path)
		if rerr != nil || !stale(cur, h.Host) {
			return nil, fmt.Errorf("%w on this system: held by %s (pid %d on %s) since %s for plan %s; if that apply is gone, delete %s",
				ErrLocked, cur.Actor, cur.PID, cur.Host, cur.Since.Format(time.RFC3339), short(cur.PlanHash), path)
		}
		// The holder died without releasing the lock: take it over.
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("remove stale lock %s: %w", path, err)
		}
	}
	return nil, fmt.Errorf("take lock %s: lost a race with another apply", path)
}

func readHolder(path string) (holder, error) {
	var h holder
	data, err := repofs.ReadPath(path, repofs.MaxFileSize) // never a FIFO: it would block
	if err != nil {
		return h, err
	}
	return h, json.Unmarshal(data, &h)
}

// stale reports whether a lock's holder is a process of this host that is
// no longer running.
func stale(h holder, host string) bool {
	if h.Host != host || h.PID <= 0 {
		return false
	}
	p, err := os.FindProcess(h.PID)
	if err != nil {
		return true
	}
	err = p.Signal(syscall.Signal(0))
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}

func short(h string) string {
	if len(h) > 19 {
		return h[:19]
	}
	return h
}
