package web

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// previousExport is the directory of the last export, held open: its manifest and the pages
// it names are read from that one directory even when another export replaces it meanwhile
// (then its pages are gone and are drawn again, never taken from the newer export under the
// older keys).
type previousExport struct {
	dir *os.File
}

// openPrevious opens dir; nil when there is nothing there to reuse.
func openPrevious(dir string) *previousExport {
	f, err := os.Open(dir)
	if err != nil {
		return nil
	}
	if fi, err := f.Stat(); err != nil || !fi.IsDir() {
		f.Close()
		return nil
	}
	return &previousExport{dir: f}
}

func (p *previousExport) open(name string) (*os.File, error) {
	fd, err := unix.Openat(int(p.dir.Fd()), filepath.FromSlash(name), unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), name), nil
}

// link makes dst a hard link to the page name of the previous export.
func (p *previousExport) link(name, dst string) error {
	return unix.Linkat(int(p.dir.Fd()), filepath.FromSlash(name), unix.AT_FDCWD, dst, 0)
}

func (p *previousExport) close() {
	if p != nil {
		p.dir.Close()
	}
}
