package cli_test

import (
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
