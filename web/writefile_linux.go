package web

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// writeTextFile is os.WriteFile for a string, written without copying it and without the
// os.File that os.WriteFile makes (its fstat and bookkeeping cost a tenth of a create, and an
// export creates a file per incident).
func writeTextFile(name, body string) error {
	fd, err := unix.Open(name, unix.O_WRONLY|unix.O_CREAT|unix.O_TRUNC|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	b := unsafe.Slice(unsafe.StringData(body), len(body))
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			unix.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		b = b[n:]
	}
	if err := unix.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}
