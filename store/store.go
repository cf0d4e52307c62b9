// Package store is Beacon's only door to SQL: it holds groups, components, incidents and their
// updates in a pure-Go SQLite file, applies the status rules (effective status, the banner) in
// the same transaction as every write, keeps the audit trail and the status history, and tells
// subscribers when the data changes.
package store

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is an open Beacon database. It is safe for concurrent use.
type Store struct {
	path string
	w    *sql.DB // one connection; every transaction begins IMMEDIATE
	r    *sql.DB // readers

	// CriticalShare is the share of enabled components in major outage that makes the banner
	// critical (ComputeBanner); DefaultCriticalShare unless set.
	CriticalShare float64

	mu      sync.Mutex
	subs    map[chan struct{}]struct{}
	polling bool
	stop    chan struct{}
	done    chan struct{}
	closed  bool
	now     func() time.Time

	wOnce sync.Once
	wErr  error
	wOpen atomic.Pointer[sql.DB] // the writer once it is open, for Writing
	// checkedAs is the file's identity when this process found it sound (or found the note of
	// an earlier sound check), nil otherwise.
	checkedAs []byte
	checkedAt time.Time // when the check that vouches for checkedAs was made

	ownAudit atomic.Int64 // the newest audit id this process wrote and announced
}

// Actor is who makes a write: recorded in the audit trail and as an update's author.
// A read-only actor (an SSH viewer) is refused every write.
type Actor struct {
	Name     string
	ReadOnly bool
	// Key is the fingerprint of the SSH key the actor connected with ("" locally). Drafts are
	// kept by it when set, so a draft belongs to a key, not to a name.
	Key string
}

// draftOwner is whose drafts an actor reads and writes: its key when it has one, else its name.
func (a Actor) draftOwner() string {
	if a.Key != "" {
		return a.Key
	}
	return a.Name
}

// PollInterval is how often a subscribed store checks whether another process changed the file.
const PollInterval = 500 * time.Millisecond

// SchemaVersion is the newest schema this build knows; a database with a higher user_version
// was written by a newer Beacon and is refused.
func SchemaVersion() int {
	n, _ := migrations()
	return len(n)
}

// Open opens (creating if needed, with its directory 0700 and file 0600) the database at path
// and brings its schema up to date. A database that is already current is opened without a
// write; the writer connection is made on the first write.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, errors.New("no database path given")
	}
	registerFold()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create database: %w", err)
		}
		if f != nil {
			f.Close()
		}
	}
	// Readers never write, so reading the schema version through them cannot change a byte
	// of a database from a newer Beacon.
	r, err := sql.Open("sqlite", path+"?"+connPragmas+"&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	r.SetConnMaxIdleTime(0)
	s := &Store{path: path, r: r, CriticalShare: DefaultCriticalShare, subs: map[chan struct{}]struct{}{}, now: time.Now}
	var v int
	if err := r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		r.Close()
		if e := explain(path, err); e != err {
			return nil, e
		}
		return nil, fmt.Errorf("%s is not a Beacon database (%v)", path, err)
	}
	if v > SchemaVersion() {
		r.Close()
		return nil, newerError(path, v)
	}
	if v == 0 {
		var tables int
		if err := r.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil || tables > 0 {
			r.Close()
			return nil, fmt.Errorf("%s is not a Beacon database (it holds other tables); pick another file with --db", path)
		}
	}
	if v < SchemaVersion() {
		if err := s.migrate(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// totalsSchema is the schema version that added the uptime totals (rebuildTotals).
const totalsSchema = 11

// connPragmas are set on every connection.
const connPragmas = "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"

func newerError(path string, v int) error {
	return fmt.Errorf("%s was written by a newer Beacon (schema %d; this build knows %d): upgrade Beacon to open it", path, v, SchemaVersion())
}

// writer returns the single writer connection, opening it on first use. Its transactions
// begin IMMEDIATE, so a writer waits for the lock up front instead of failing to upgrade.
// Before the first write of the process the file gets SQLite's quick check, unless it is
// unchanged since one found it sound (checked.go): a damaged file is never written to (every
// write then fails with a *DamagedError).
func (s *Store) writer() (*sql.DB, error) {
	s.wOnce.Do(func() {
		w, err := sql.Open("sqlite", s.path+"?"+connPragmas+"&_pragma=journal_mode(WAL)&_txlock=immediate")
		if err != nil {
			s.wErr = err
			return
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		w.SetConnMaxIdleTime(0)
		// The connection's pragmas may write (journal_mode on a new file): done before the
		// file's identity is taken for the check.
		if err := w.PingContext(context.Background()); err != nil {
			w.Close()
			s.wErr = s.Explain(err)
			return
		}
		id, at, err := s.checkFile(context.Background(), w)
		if err != nil {
			w.Close()
			s.wErr = err
			return
		}
		s.checkedAs, s.checkedAt = id, at
		s.w = w
		s.wOpen.Store(w)
	})
	return s.w, s.wErr
}

func migrations() ([]string, error) {
	entries, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(entries)
	return entries, nil
}

func (s *Store) migrate(ctx context.Context) error {
	files, err := migrations()
	if err != nil {
		return err
	}
	w, err := s.writer()
	if err != nil {
		return err
	}
	// Some migrations rebuild tables, which SQLite allows only with foreign keys off (a dropped
	// table would take its children with it): they are off for the migrations, and checked
	// before the commit.
	conn, err := w.Conn(ctx)
	if err != nil {
		return s.Explain(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return s.Explain(err)
	}
	defer conn.ExecContext(context.Background(), "PRAGMA foreign_keys = ON")
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.Explain(err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("%s is not a Beacon database (%v)", s.path, err)
	}
	if v > len(files) {
		return newerError(s.path, v)
	}
	if v == len(files) {
		return nil
	}
	for i := v; i < len(files); i++ {
		body, err := migrationFiles.ReadFile(files[i])
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			if found := unknownValues(ctx, tx); len(found) > 0 {
				return &UnknownValuesError{Path: s.path, Found: found}
			}
			return fmt.Errorf("migration %s: %w", files[i], s.Explain(err))
		}
	}
	if v < totalsSchema && len(files) >= totalsSchema {
		// The schema that keeps uptime totals starts them from the history already written.
		if err := rebuildTotals(ctx, tx); err != nil {
			return fmt.Errorf("%s: compute uptime totals: %w", s.path, s.Explain(err))
		}
	}
	if err := foreignKeyCheck(ctx, tx); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(len(files))); err != nil {
		return err
	}
	return tx.Commit()
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// Close stops the change poller and closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	polling := s.polling
	if polling {
		close(s.stop)
	}
	for ch := range s.subs {
		close(ch)
	}
	s.subs = nil
	s.mu.Unlock()
	if polling {
		<-s.done
	}
	s.wOnce.Do(func() {}) // after this, s.w is settled
	untouched := s.checkedAs != nil && bytes.Equal(fileIdentity(s.path), s.checkedAs)
	err := s.r.Close()
	if s.w != nil {
		err = errors.Join(err, s.w.Close())
	}
	if untouched && err == nil {
		s.noteChecked(fileIdentity(s.path), s.checkedAt)
	}
	return err
}

// Subscribe returns a channel that receives a value after every change to the data, made by
// this process or (seen by polling PRAGMA data_version) by another one. Changes that arrive
// faster than the subscriber reads are coalesced into one. Call cancel when done; the channel
// is closed then and when the store closes.
func (s *Store) Subscribe() (changes <-chan struct{}, cancel func()) {
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		close(ch)
		return ch, func() {}
	}
	s.subs[ch] = struct{}{}
	if !s.polling {
		// Take the starting data_version before returning, so that a write another process
		// makes right after Subscribe is not taken for the baseline and missed.
		if conn, last, lastAudit, err := s.watchConn(); err == nil {
			s.polling = true
			s.stop = make(chan struct{})
			s.done = make(chan struct{})
			go s.poll(conn, last, lastAudit)
		}
	}
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
	}
}

func (s *Store) notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// poll watches PRAGMA data_version on one dedicated connection: its value moves whenever any
// other connection commits. It announces only data writes (they audit) that this process did
// not already announce at commit: not drafts, not its own writes a second time.
func (s *Store) watchConn() (conn *sql.Conn, version, audit int64, err error) {
	ctx := context.Background()
	if conn, err = s.r.Conn(ctx); err != nil {
		return nil, 0, 0, err
	}
	if err = conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&version); err == nil {
		err = conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&audit)
	}
	if err != nil {
		conn.Close()
		return nil, 0, 0, err
	}
	return conn, version, audit, nil
}

func (s *Store) poll(conn *sql.Conn, last, lastAudit int64) {
	defer close(s.done)
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { <-s.stop; cancel() }()
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	due, hasDue, _ := s.NextBoundary(ctx)
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		if hasDue && !s.now().Before(due) {
			// A maintenance boundary passed: write what it leaves behind (unless another
			// process already has) and tell subscribers, whose reads change by the clock.
			_, _ = s.RecordBoundaries(ctx)
			due, hasDue, _ = s.NextBoundary(ctx)
			s.notify()
		}
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			continue
		}
		if v == last {
			continue
		}
		last = v
		due, hasDue, _ = s.NextBoundary(ctx)
		// Every data write audits in the same transaction; a draft saved elsewhere does not,
		// and must not make every console reload.
		var a int64
		if err := conn.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&a); err != nil || a == lastAudit {
			continue
		}
		lastAudit = a
		if a <= s.ownAudit.Load() {
			continue // this process's own write, announced at its commit (with all before it)
		}
		s.notify()
	}
}

// write runs fn in an IMMEDIATE transaction on the single writer connection, then commits and
// tells subscribers. fn gets the transaction and the time of the write.
func (s *Store) write(ctx context.Context, actor Actor, fn func(tx *sql.Tx, now time.Time) error) error {
	if actor.ReadOnly {
		return ErrReadOnly
	}
	return s.Explain(s.commit(ctx, fn))
}

// commit is write's transaction: fn, then the commit and the announcement.
func (s *Store) commit(ctx context.Context, fn func(tx *sql.Tx, now time.Time) error) error {
	w, err := s.writer()
	if err != nil {
		return err
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx, s.now().UTC()); err != nil {
		return err
	}
	var audit int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) FROM audit").Scan(&audit); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	s.ownAudit.Store(audit)
	s.notify()
	return nil
}

// Check runs SQLite's integrity check and returns an error describing any damage.
func (s *Store) Check(ctx context.Context) error {
	var res string
	if err := s.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}
