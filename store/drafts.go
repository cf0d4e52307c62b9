package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Draft is a composer's unfinished work, kept per actor (its key, or its name) and target ("new" or "incident/ID").
// Drafts are private scratch space: saving one is not audited and does not announce a change.
type Draft struct {
	State     []byte
	UpdatedAt time.Time
}

// SaveDraft keeps the composer's state for an actor and target.
func (s *Store) SaveDraft(ctx context.Context, actor Actor, target string, state []byte) error {
	if actor.ReadOnly {
		return ErrReadOnly
	}
	w, err := s.writer()
	if err != nil {
		return err
	}
	_, err = w.ExecContext(ctx, `INSERT INTO drafts (actor, target, state, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (actor, target) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
		actor.draftOwner(), target, string(state), ms(s.now()))
	return s.Explain(err)
}

// LoadDraft returns the actor's draft for a target; ok is false when there is none.
func (s *Store) LoadDraft(ctx context.Context, actor Actor, target string) (d Draft, ok bool, err error) {
	var state string
	var at int64
	err = s.r.QueryRowContext(ctx, `SELECT state, updated_at FROM drafts WHERE actor = ? AND target = ?`, actor.draftOwner(), target).Scan(&state, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Draft{}, false, nil
	}
	if err != nil {
		return Draft{}, false, err
	}
	return Draft{State: []byte(state), UpdatedAt: fromMS(at)}, true, nil
}

// DeleteDraft forgets the actor's draft for a target.
func (s *Store) DeleteDraft(ctx context.Context, actor Actor, target string) error {
	if actor.ReadOnly {
		return ErrReadOnly
	}
	w, err := s.writer()
	if err != nil {
		return err
	}
	_, err = w.ExecContext(ctx, `DELETE FROM drafts WHERE actor = ? AND target = ?`, actor.draftOwner(), target)
	return s.Explain(err)
}
