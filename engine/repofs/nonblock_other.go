//go:build !unix

package repofs

// oNonblock is not needed where there are no FIFOs to open.
const oNonblock = 0
