package cli_test

import (
	"bytes"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// onTerminal runs beacon on the database with its standard output on a pseudo-terminal, as a
// person at a terminal would, and returns that output without colour.
func (d *db) onTerminal(args ...string) result {
	d.t.Helper()
	ptmx, tty, err := pty.Open()
	if err != nil {
		d.t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(beaconBin, append([]string{"--db", d.path}, args...)...)
	cmd.Env = append(cleanEnv(), "NO_COLOR=1", "BEACON_THEME=dark", "TZ=UTC")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = tty, &stderr
	read := make(chan []byte)
	go func() {
		var out bytes.Buffer
		_, _ = io.Copy(&out, ptmx) // ends with EIO once the terminal's last holder closes it
		read <- out.Bytes()
	}()
	err = cmd.Run()
	tty.Close()
	out := <-read
	r := result{stdout: strings.ReplaceAll(ansi.Strip(string(out)), "\r\n", "\n"), stderr: stderr.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		d.t.Fatalf("run %v: %v", args, err)
	}
	return r
}

// TestMadeOnATerminal: on a terminal, incident open and maintenance add say what they made; a
// script (stdout not a terminal) still gets the bare id.
func TestMadeOnATerminal(t *testing.T) {
	day := time.Now().UTC().AddDate(0, 0, 2)
	tests := []struct {
		name string
		args []string
		want string // on a terminal; the script gets "1\n"
	}{
		{"incident open", []string{"incident", "open", "--title", "API errors", "--component", "API=major_outage", "--message", "Looking."},
			"Opened incident #1 \"API errors\" (Investigating).\n"},
		{"maintenance add", []string{"maintenance", "add", "--title", "Database upgrade", "--start", day.Format("2006-01-02") + " 22:00", "--for", "2h", "--component", "Postgres", "--internal"},
			"Scheduled maintenance #1 \"Database upgrade\": " + day.Format("2006-01-02") + " 22:00 → " + day.AddDate(0, 0, 1).Format("2006-01-02") + " 00:00 UTC · internal.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := fixture(t)
			if r := beacon(t, []string{"TZ=UTC"}, append([]string{"--db", d.path}, tt.args...)...); r.code != 0 || r.stdout != "1\n" {
				t.Errorf("for a script: want the bare id, got %v", r)
			}
			d = fixture(t)
			if r := d.onTerminal(append(tt.args, "--actor", "ada")...); r.code != 0 || r.stdout != tt.want {
				t.Errorf("on a terminal: want %q, got %v", tt.want, r)
			}
		})
	}
}
