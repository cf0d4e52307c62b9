package store

import (
	"context"
	"database/sql"
)

// queryer is what the database, one of its connections and a transaction all offer: the
// helpers that read or write take one, so they run the same inside a transaction or outside.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// scanner is one row of a result, or a row set at its current row.
type scanner interface{ Scan(...any) error }
