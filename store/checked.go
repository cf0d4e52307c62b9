package store

import (
	"bytes"
	"context"
	"os"
)

// The quick check before a process's first write reads the whole file: a few seconds on a
// large database. A file whose bytes have not changed since a check found it sound need not be
// read again, so the check leaves a note beside the database, path+"-checked", holding the
// file's identity (fileIdentity) as it was checked. A later process that finds the same
// identity skips the check. Write-ahead-log frames carry checksums, so only the main file
// needs this.
//
// A process that wrote the note refreshes it as it closes, when nothing but this process
// touched the main file since its check: closing the last connection folds the log into the
// main file, and that change is Beacon's own.

// checkedNote is the file beside the database that remembers the last sound check.
func (s *Store) checkedNote() string { return s.path + "-checked" }

// checkedBefore reports whether the file still has the identity recorded by the last sound
// check.
func (s *Store) checkedBefore(id []byte) bool {
	if id == nil {
		return false
	}
	note, err := os.ReadFile(s.checkedNote())
	return err == nil && bytes.Equal(note, id)
}

// noteChecked records id as the identity of a file found sound. The note is a shortcut only:
// failing to write it costs the next process a check, nothing more.
func (s *Store) noteChecked(id []byte) {
	if id == nil {
		return
	}
	tmp := s.checkedNote() + ".tmp"
	if err := os.WriteFile(tmp, id, 0o600); err != nil {
		return
	}
	if err := os.Rename(tmp, s.checkedNote()); err != nil {
		os.Remove(tmp)
	}
}

// CheckFile is the check before a process's first write, also made by `status --check`:
// QuickCheck, unless the file is unchanged since a check found it sound.
func (s *Store) CheckFile(ctx context.Context) error {
	_, err := s.checkFile(ctx, s.r)
	return err
}

// checkFile makes CheckFile's check through q and returns the identity the file was found
// sound with (nil when it changed during the check, or cannot be examined).
func (s *Store) checkFile(ctx context.Context, q queryer) ([]byte, error) {
	id := fileIdentity(s.path)
	if s.checkedBefore(id) {
		return id, nil
	}
	if err := s.quickCheck(ctx, q); err != nil {
		return nil, err
	}
	if !bytes.Equal(fileIdentity(s.path), id) {
		return nil, nil // changed while it was checked: the next process checks again
	}
	s.noteChecked(id)
	return id, nil
}
