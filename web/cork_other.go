//go:build !linux

package web

import "syscall"

// setCork does nothing where TCP_CORK is not offered.
func setCork(syscall.RawConn, bool) {}
