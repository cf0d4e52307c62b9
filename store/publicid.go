package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// PublicIDKey reads the database's secret for public ids (package publicid): 32 random bytes
// made once, when the database was made or upgraded. Whoever holds it can turn public ids back
// into the store's numbers, so it never leaves the process.
func (s *Store) PublicIDKey(ctx context.Context) ([]byte, error) {
	var key []byte
	err := s.r.QueryRowContext(ctx, `SELECT key FROM public_id_key WHERE id = 1`).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s has no key for public ids; it was changed by hand: restore it from a backup", s.path)
	}
	if err != nil {
		return nil, s.Explain(err)
	}
	return key, nil
}
