package store

import (
	"fmt"
	"path"
	"testing"
)

// TestMigrationNumbers checks that the migrations are numbered 0001, 0002, … with no number
// taken twice: they are applied by count in name order, so two files with one number would
// swap places with the next one added and run again, or never, on an existing database.
func TestMigrationNumbers(t *testing.T) {
	files, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if want := fmt.Sprintf("%04d_", i+1); len(path.Base(f)) < 5 || path.Base(f)[:5] != want {
			t.Errorf("migration %d is %s; want a name starting %s (renumber the newest on a rebase)", i+1, path.Base(f), want)
		}
	}
}
