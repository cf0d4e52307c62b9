package store

import (
	"fmt"
	"os"
	"syscall"
)

// fileIdentity is what changes whenever the file's bytes may have: its device and inode, size,
// and modification and change times. No program can set a change time back, so even a write
// that restores the modification time changes the identity. Nil when the file cannot be
// examined.
func fileIdentity(path string) []byte {
	fi, err := os.Stat(path)
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	return fmt.Appendf(nil, "%d %d %d %d.%09d %d.%09d\n", st.Dev, st.Ino, st.Size,
		st.Mtim.Sec, st.Mtim.Nsec, st.Ctim.Sec, st.Ctim.Nsec)
}
