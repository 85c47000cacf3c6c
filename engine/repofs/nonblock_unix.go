//go:build unix

package repofs

import "syscall"

// oNonblock opens without blocking: opening a FIFO for reading otherwise
// waits for a writer, forever.
const oNonblock = syscall.O_NONBLOCK
