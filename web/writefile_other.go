//go:build !linux

package web

import "os"

// writeTextFile is os.WriteFile for a string, which os.File.WriteString writes without
// copying it.
func writeTextFile(name, body string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
