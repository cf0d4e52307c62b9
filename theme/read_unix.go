//go:build unix

package theme

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// readBefore reads what in has until deadline; 0 bytes when nothing came in time.
func readBefore(in *os.File, buf []byte, deadline time.Time) (int, error) {
	for {
		wait := time.Until(deadline)
		if wait <= 0 {
			return 0, nil
		}
		fds := []unix.PollFd{{Fd: int32(in.Fd()), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(wait/time.Millisecond)+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			return 0, err
		}
		return in.Read(buf)
	}
}
