package web

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// setCork holds back (on) or releases (off) a connection's partial segments, so that a
// response written in several pieces leaves in as few packets as its size allows.
func setCork(rc syscall.RawConn, on bool) {
	if on {
		_ = rc.Control(corkOn)
	} else {
		_ = rc.Control(corkOff)
	}
}

// Made once: a closure made per call would be an allocation per response.
var (
	corkOn  = func(fd uintptr) { _ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_CORK, 1) }
	corkOff = func(fd uintptr) { _ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_CORK, 0) }
)
