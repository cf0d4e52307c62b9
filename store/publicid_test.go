package store_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"testing"

	"beacon/store"
)

// TestPublicIDKey: every database has its own key, made once and the same on every open,
// an upgraded database too.
func TestPublicIDKey(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	first, err := st.PublicIDKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if len(first) != 32 || bytes.Equal(first, make([]byte, 32)) {
		t.Fatalf("key %x: want 32 random bytes", first)
	}
	st, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.PublicIDKey(ctx)
	st.Close()
	if err != nil || !bytes.Equal(again, first) {
		t.Fatalf("reopened: key %x, %v; want %x", again, err, first)
	}
	other, err := openTemp(t).PublicIDKey(ctx)
	if err != nil || bytes.Equal(other, first) {
		t.Fatalf("another database: key %x, %v; want a different key", other, err)
	}
	made, err := filepath.Glob("migrations/*_public_id_key.sql")
	if err != nil || len(made) != 1 {
		t.Fatalf("the key's migration: %v, %v", made, err)
	}
	n, err := strconv.Atoi(filepath.Base(made[0])[:4])
	if err != nil {
		t.Fatal(err)
	}
	old := databaseAt(t, n-1)
	st, err = store.Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if k, err := st.PublicIDKey(ctx); err != nil || len(k) != 32 {
		t.Fatalf("upgraded database: key %x, %v", k, err)
	}
}
