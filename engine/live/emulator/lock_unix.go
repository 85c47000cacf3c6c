//go:build unix

package emulator

import (
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockDir takes an exclusive advisory lock on the folder dir, waiting up
// to 10 s for another holder. Locking the folder rather than the state
// file survives the file's replacement by rename, and leaves no lock file
// behind; the kernel releases the lock if the process dies.
func lockDir(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err != syscall.EWOULDBLOCK || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
