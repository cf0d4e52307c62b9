//go:build !linux

package web

import "errors"

// exchange is not offered here: the caller falls back to two renames.
func exchange(_, _ string) error { return errors.New("no atomic exchange on this system") }
