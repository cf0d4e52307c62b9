package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"time"
)

// The quick check before a process's first write reads the whole file: a few seconds on a
// large database. A file whose bytes have not changed since a check found it sound need not be
// read again, so the check leaves a note beside the database, path+"-checked", holding the
// file's identity (fileIdentity) as it was checked and when the check was made. A later
// process that finds the same identity, noted less than checkedFor ago, skips the check.
// Write-ahead-log frames carry checksums, so only the main file needs this. Damage that
// changes no time of the file (a failing disk) is found by the next check after checkedFor.
//
// A process that wrote the note refreshes it as it closes, keeping the time of the check, when
// nothing but this process touched the main file since: closing the last connection folds the
// log into the main file, and that change is Beacon's own.

// checkedFor is how long a sound check vouches for a file that has not changed.
const checkedFor = 24 * time.Hour

// checkedNote is the file beside the database that remembers the last sound check.
func (s *Store) checkedNote() string { return s.path + "-checked" }

// noteBody is what the note holds: the identity, then when the check was made.
func noteBody(id []byte, at time.Time) []byte {
	return fmt.Appendf(append([]byte(nil), id...), "checked %d\n", at.Unix())
}

// checkedBefore reports when the last sound check was made, if the file still has the
// identity it noted and the check is recent enough to vouch for it.
func (s *Store) checkedBefore(id []byte) (time.Time, bool) {
	if id == nil {
		return time.Time{}, false
	}
	note, err := os.ReadFile(s.checkedNote())
	if err != nil {
		return time.Time{}, false
	}
	rest, ok := bytes.CutPrefix(note, id)
	if !ok {
		return time.Time{}, false
	}
	field, ok := bytes.CutPrefix(bytes.TrimSuffix(rest, []byte("\n")), []byte("checked "))
	if !ok {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(string(field), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	at := time.Unix(sec, 0)
	if age := time.Since(at); age < 0 || age >= checkedFor {
		return time.Time{}, false
	}
	return at, true
}

// noteChecked records id as the identity of a file found sound by a check made at at. The note
// is a shortcut only: failing to write it costs the next process a check, nothing more.
func (s *Store) noteChecked(id []byte, at time.Time) {
	if id == nil {
		return
	}
	tmp := s.checkedNote() + ".tmp"
	if err := os.WriteFile(tmp, noteBody(id, at), 0o600); err != nil {
		return
	}
	if err := os.Rename(tmp, s.checkedNote()); err != nil {
		os.Remove(tmp)
	}
}

// CheckFile is the check before a process's first write, also made by `status --check`:
// QuickCheck, unless the file is unchanged since a recent check found it sound.
func (s *Store) CheckFile(ctx context.Context) error {
	_, _, err := s.checkFile(ctx, s.r)
	return err
}

// checkFile makes CheckFile's check through q and returns the identity the file was found
// sound with (nil when it changed during the check, or cannot be examined) and when that
// check was made.
func (s *Store) checkFile(ctx context.Context, q queryer) ([]byte, time.Time, error) {
	id := fileIdentity(s.path)
	if at, ok := s.checkedBefore(id); ok {
		return id, at, nil
	}
	at := time.Now()
	if err := s.quickCheck(ctx, q); err != nil {
		return nil, at, err
	}
	if !bytes.Equal(fileIdentity(s.path), id) {
		return nil, at, nil // changed while it was checked: the next process checks again
	}
	s.noteChecked(id, at)
	return id, at, nil
}
