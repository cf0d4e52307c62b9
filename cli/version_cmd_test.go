package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionFlagAndCommand: --version and version print the same one line and exit 0, without
// a database; version takes no arguments.
func TestVersionFlagAndCommand(t *testing.T) {
	flag := beacon(t, nil, "--version")
	cmd := beacon(t, nil, "version")
	if flag.code != 0 || cmd.code != 0 || flag.stdout != cmd.stdout || !strings.HasPrefix(flag.stdout, "beacon ") ||
		strings.Count(flag.stdout, "\n") != 1 {
		t.Fatalf("--version:\n%s\nversion:\n%s", flag, cmd)
	}
	if r := beacon(t, nil, "version", "now"); r.code != 2 || !strings.Contains(r.stderr, "takes no arguments") {
		t.Fatalf("version now:\n%s", r)
	}
}

// TestVersionNamesTheCommit builds Beacon as the README says and checks that --version names
// the commit: from a clone (Go records the commit there, unless -buildvcs=false) and with the
// commit named at link time (what a git worktree needs, where Go records none). It is skipped
// where the source is not a git checkout or git is missing.
func TestVersionNamesTheCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Beacon twice")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	top, err := exec.Command(git, "-C", "..", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("the source is not a git checkout")
	}
	head := func(dir string) string {
		out, err := exec.Command(git, "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatalf("git rev-parse in %s: %v", dir, err)
		}
		return strings.TrimSpace(string(out))
	}
	build := func(dir string, env []string, args ...string) string {
		t.Helper()
		bin := filepath.Join(t.TempDir(), "beacon")
		cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), ".")...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), append([]string{"CGO_ENABLED=0"}, env...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build in %s: %v\n%s", dir, err, out)
		}
		r := runCmd(t, exec.Command(bin, "--version"))
		if r.code != 0 {
			t.Fatalf("--version: %v", r)
		}
		return r.stdout
	}

	clone := filepath.Join(t.TempDir(), "beacon")
	if out, err := exec.Command(git, "clone", "-q", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	// This machine's go env may say -buildvcs=false; the flag on the command line is what
	// a build that wants the commit passes. Go then makes the module's version from the
	// commit: v0.0.0-<its time>-<its first 12 digits>.
	if got, rev := build(clone, []string{"GOFLAGS="}, "-buildvcs=true"), head(clone); !strings.HasPrefix(got, "beacon v0.0.0-") || !strings.HasSuffix(got, "-"+rev[:12]+"\n") {
		t.Errorf("built in a clone at %s: --version = %q", rev, got)
	}
	rev := head("..")
	if got := build("..", nil, "-ldflags", "-X beacon/cli.commit="+rev); got != "beacon devel "+rev[:12]+"\n" && !strings.HasPrefix(got, "beacon devel "+rev[:12]+" (") {
		t.Errorf("built here naming %s: --version = %q", rev, got)
	}
}
