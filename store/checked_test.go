package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"beacon/store"
)

// TestCheckedOnceWhileUnchanged: a process that checked and wrote leaves a note of the file as
// it closed it; the next process trusts that note only while the file is unchanged and the
// check less than a day old, so damage made afterwards, even with the modification time put
// back, is still found before a write.
func TestCheckedOnceWhileUnchanged(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the note is kept on Linux only")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	note := path + "-checked"
	write := func(name string) error {
		t.Helper()
		st, err := store.Open(ctx, path)
		if err != nil {
			return err
		}
		defer st.Close()
		_, err = st.AddComponent(ctx, actor, store.NewComponent{Name: name})
		return err
	}
	if err := write("API"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(note)
	if err != nil {
		t.Fatalf("no note after a sound check and a write: %v", err)
	}
	if want := store.FileIdentity(path); !bytes.HasPrefix(got, want) || !bytes.Contains(got, []byte("checked ")) {
		t.Fatalf("note %q, want the file as closed, %q, and when it was checked", got, want)
	}
	if err := write("Web"); err != nil {
		t.Fatal(err)
	}

	// Damage a page no write of AddComponent reads, then put the modification time back.
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	page := rootPageOf(t, path, "drafts")
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(bytes.Repeat([]byte{0x2a}, 8), (page-1)*4096); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(path, time.Time{}, fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	var damaged *store.DamagedError
	if err := write("Search"); !errors.As(err, &damaged) {
		t.Fatalf("write to a file damaged after its note: %v, want a *DamagedError", err)
	}

	// A note that matches is trusted: forged for the damaged file, the check is skipped.
	if err := os.WriteFile(note, store.CheckedNote(path, time.Now()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := write("Search"); err != nil {
		t.Fatalf("with a matching note the check should be skipped, got %v", err)
	}
	// But only for a day: damage that changes no time of the file is found by the next check.
	if err := os.WriteFile(note, store.CheckedNote(path, time.Now().Add(-25*time.Hour)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := write("Queue"); !errors.As(err, &damaged) {
		t.Fatalf("write with a note of a check a day old: %v, want a *DamagedError", err)
	}
}

// rootPageOf is the first page of a table or index of the database at path, read with a
// connection of the test's own.
func rootPageOf(t *testing.T, path, name string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var page int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = ?`, name).Scan(&page); err != nil {
		t.Fatalf("root page of %s: %v", name, err)
	}
	return page
}
