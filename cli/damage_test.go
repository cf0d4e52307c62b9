package cli_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// demoDB is a demo database, checkpointed into its main file, for a test to damage.
func demoDB(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "beacon.db")
	if r := beacon(t, nil, "--db", path, "demo"); r.code != 0 {
		t.Fatalf("demo: %v", r)
	}
	sqlExec(t, path, "PRAGMA wal_checkpoint(TRUNCATE)")
	return path
}

// rootPage is the first page of a table or index.
func rootPage(t *testing.T, path, name string) int64 {
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

// fileState is a database file's bytes and its write-ahead log's, to tell whether anything
// was written.
func fileState(t *testing.T, path string) [2][32]byte {
	t.Helper()
	var out [2][32]byte
	for i, p := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		out[i] = sha256.Sum256(data)
	}
	return out
}

// TestDamagedFileNotWritten: a database whose pages are damaged where the command's own reads
// do not go is still never written: every write fails with one line naming the file and how to
// recover, the file stays byte for byte as it was, and `status --check` is UNKNOWN.
func TestDamagedFileNotWritten(t *testing.T) {
	for _, damaged := range []string{"drafts", "status_changes_update", "sqlite_autoindex_groups_1", "maintenance_events", "updates_incident"} {
		t.Run(damaged, func(t *testing.T) {
			path := demoDB(t, t.TempDir())
			page := rootPage(t, path, damaged)
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			// A page type that does not exist: the b-tree page can no longer be read.
			if _, err := f.WriteAt(bytes.Repeat([]byte{0x2a}, 8), (page-1)*4096); err != nil {
				t.Fatal(err)
			}
			f.Close()
			before := fileState(t, path)
			for _, args := range [][]string{
				{"component", "set", "Search", "major_outage"},
				{"incident", "open", "--title", "Damage", "--component", "Search=major_outage", "--message", "m"},
				{"group", "add", "Fresh"},
			} {
				r := beacon(t, nil, append([]string{"--db", path}, args...)...)
				if r.code == 0 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, path+" is damaged") ||
					!strings.Contains(r.stderr, "restore it from a backup") || !strings.Contains(r.stderr, "sqlite3 "+path+" .recover") {
					t.Errorf("%v: want a refusal naming the file and the recovery, got %v", args, r)
				}
			}
			if fileState(t, path) != before {
				t.Error("the damaged file was written to")
			}
			r := beacon(t, nil, "--db", path, "status", "--check")
			if r.code != 3 || !strings.HasPrefix(r.stdout, "BEACON UNKNOWN - "+path+" is damaged") {
				t.Errorf("status --check: %v, want UNKNOWN", r)
			}
		})
	}
}

// TestLockedByAnotherProgram: a database another program holds locked (locking_mode
// EXCLUSIVE) is said to be locked, by reads and writes alike, with its path.
func TestLockedByAnotherProgram(t *testing.T) {
	path := demoDB(t, t.TempDir())
	holder, err := sql.Open("sqlite", path+"?_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	conn, err := holder.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "UPDATE groups SET position = position"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, args := range [][]string{{"status"}, {"component", "set", "Search", "operational"}, {"status", "--check"}} {
		wg.Add(1)
		go func() { // each waits out the busy timeout: together, not one after another
			defer wg.Done()
			r := beacon(t, nil, append([]string{"--db", path}, args...)...)
			want := path + " is locked by another program"
			if r.code == 0 || !strings.Contains(r.stdout+r.stderr, want) || strings.Contains(r.stdout+r.stderr, "not a Beacon database") {
				t.Errorf("%v: want %q, got %v", args, want, r)
			}
		}()
	}
	wg.Wait()
}

// asNobody runs the test binary as an unprivileged user when the tests run as root (who may
// write anywhere), from a copy it can execute; it skips the test when it cannot.
func asNobody(t *testing.T) func(args ...string) result {
	t.Helper()
	if os.Geteuid() != 0 {
		return func(args ...string) result { return beacon(t, nil, args...) }
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root without setpriv: cannot test as an unprivileged user")
	}
	dir, err := os.MkdirTemp("", "beacon-nobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := filepath.Join(dir, "beacon")
	data, err := os.ReadFile(beaconBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return func(args ...string) result {
		t.Helper()
		cmd := exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin}, args...)...)
		cmd.Env = cleanEnv()
		return runCmd(t, cmd)
	}
}

// TestCannotWrite: a database in a directory the user cannot write (where SQLite keeps its
// -wal and -shm files), or a read-only file, is said to be so, naming the directory or file.
func TestCannotWrite(t *testing.T) {
	run := asNobody(t)
	base, err := os.MkdirTemp("", "beacon-readonly")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(base, 0o755); os.RemoveAll(base) })
	path := demoDB(t, base)
	own := func(p string, mode os.FileMode) {
		t.Helper()
		if os.Geteuid() == 0 {
			if err := os.Chown(p, 65534, 65534); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	own(path, 0o600)
	own(base, 0o555)
	for _, args := range [][]string{{"status"}, {"component", "set", "Search", "operational"}} {
		r := run(append([]string{"--db", path}, args...)...)
		want := "cannot write in " + base + ", where " + path + " keeps its -wal and -shm files"
		if r.code == 0 || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "not a Beacon database") {
			t.Errorf("read-only directory, %v: want %q, got %v", args, want, r)
		}
	}
	own(base, 0o755)
	own(path, 0o400)
	r := run("--db", path, "component", "set", "Search", "operational")
	want := "cannot write " + path + ": the file is read-only"
	if r.code == 0 || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("read-only file: want %q, got %v", want, r)
	}
}
