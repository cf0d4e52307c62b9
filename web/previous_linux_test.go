package web

import (
	"os"
	"path/filepath"
	"testing"
)

// TestPreviousExportIsTheDirectoryOpened: when another export takes the directory's place
// between reading the manifest and linking, the pages linked are still the manifest's, and
// once they are gone nothing is linked.
func TestPreviousExportIsTheDirectoryOpened(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	write := func(dir, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, "incidents"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "incidents", "1.html"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		m := manifest{"incidents/1.html": {key: body, size: int64(len(body))}}
		if err := os.WriteFile(filepath.Join(dir, ManifestName), m.bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dir, "older")
	prev := openPrevious(dir)
	if prev == nil {
		t.Fatal("the previous export was not opened")
	}
	defer prev.close()
	if m := readManifest(prev); m["incidents/1.html"].key != "older" {
		t.Fatalf("manifest: %v", m)
	}
	// Another export replaces the directory.
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	write(dir, "newer")
	dst := filepath.Join(parent, "linked.html")
	if err := prev.link("incidents/1.html", dst); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "older" {
		t.Errorf("linked %q, not the page the manifest names", b)
	}
	// And removes the old one.
	if err := os.RemoveAll(dir + ".old"); err != nil {
		t.Fatal(err)
	}
	if err := prev.link("incidents/1.html", filepath.Join(parent, "again.html")); err == nil {
		t.Error("a page of a removed export was linked")
	}
	if readManifest(prev) != nil {
		t.Error("the manifest of a removed export was read")
	}
	if openPrevious(filepath.Join(parent, "missing")) != nil || openPrevious(dst) != nil {
		t.Error("a missing directory or a file opened as a previous export")
	}
}
