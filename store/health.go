package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DamagedError says that the database file failed SQLite's check: Beacon writes nothing to
// it, and says how to get the data back.
type DamagedError struct {
	Path   string
	Detail string // SQLite's first finding
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("%s is damaged (%s) and Beacon will not write to it; restore it from a backup, or save what is readable as SQL with: sqlite3 %s .recover > recovered.sql",
		e.Path, e.Detail, e.Path)
}

// LockedError says that another program holds the database file locked.
type LockedError struct{ Path string }

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s is locked by another program; try again once that program has finished with it", e.Path)
}

// UnwritableError says that the database file, or the directory SQLite keeps its -wal and
// -shm files in, cannot be written by this user.
type UnwritableError struct {
	Path string
	Dir  bool // the directory, not the file
}

func (e *UnwritableError) Error() string {
	if e.Dir {
		dir := filepath.Dir(e.Path)
		return fmt.Sprintf("cannot write in %s, where %s keeps its -wal and -shm files; make the directory writable for this user, or move the database", dir, e.Path)
	}
	return fmt.Sprintf("cannot write %s: the file is read-only for this user; make it writable (chmod u+w) or use another file", e.Path)
}

// QuickCheck runs SQLite's quick check of the whole file (PRAGMA quick_check: every page and
// record, without checking indexes against their tables) and returns a *DamagedError when it
// finds damage.
func (s *Store) QuickCheck(ctx context.Context) error {
	return s.quickCheck(ctx, s.r)
}

func (s *Store) quickCheck(ctx context.Context, q queryer) error {
	var res string
	if err := q.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&res); err != nil {
		return s.Explain(err)
	}
	if strings.HasPrefix(res, "CHECK constraint failed") || strings.HasPrefix(res, "NOT NULL constraint failed") {
		if found := unknownValues(ctx, q); len(found) > 0 {
			return &UnknownValuesError{Path: s.path, Found: found}
		}
	}
	if res != "ok" {
		return &DamagedError{Path: s.path, Detail: strings.TrimSpace(strings.TrimPrefix(res, "*** in database main ***"))}
	}
	return nil
}

// Explain turns an error SQLite gave about the database file itself into one that says what
// is true, naming the file: damaged, locked by another program, or not writable (the file, or
// its directory). Other errors are returned as they are.
func (s *Store) Explain(err error) error {
	return explain(s.path, err)
}

func explain(path string, err error) error {
	var ve *StoredValueError
	if errors.As(err, &ve) {
		return &UnknownValuesError{Path: path, Found: []string{fmt.Sprintf("%q is not %s", ve.Value, ve.Kind)}}
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT:
		return &DamagedError{Path: path, Detail: strings.TrimSuffix(se.Error(), fmt.Sprintf(" (%d)", se.Code()))}
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &LockedError{Path: path}
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN:
		if !writable(filepath.Dir(path)) {
			return &UnwritableError{Path: path, Dir: true}
		}
		if !writable(path) {
			return &UnwritableError{Path: path}
		}
	}
	return err
}

// writable reports whether this process may write path, a file or a directory. It is asked
// only once SQLite has refused to write, so trying costs nothing in the normal case.
func writable(path string) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return true // nothing there to refuse: the error is elsewhere
	}
	if fi.IsDir() {
		f, err := os.CreateTemp(path, ".beacon-write-test-*")
		if err != nil {
			return false
		}
		f.Close()
		os.Remove(f.Name())
		return true
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
