package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// readmeSession is the README's first command block under "## Commands": a first session
// that must work in order, as written, on a fresh database.
func readmeSession(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Commands\n")
	if !ok {
		t.Fatal(`README.md has no "## Commands" section`)
	}
	_, block, ok := strings.Cut(section, "```sh\n")
	if !ok {
		t.Fatal("the Commands section has no sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// TestReadmeSession runs the README's first session line by line with the built binary.
func TestReadmeSession(t *testing.T) {
	lines := readmeSession(t)
	if len(lines) < 10 {
		t.Fatalf("the README's session has %d lines; the parse is wrong", len(lines))
	}
	env := append(cleanEnv(),
		"PATH="+filepath.Dir(beaconBin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"BEACON_DB="+filepath.Join(t.TempDir(), "beacon.db"))
	for _, line := range lines {
		cmd := exec.Command("sh", "-c", "set -e\n"+line)
		cmd.Env = env
		cmd.Dir = t.TempDir()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("README line failed: %s\n%v\n%s", line, err, out)
		}
	}
}
