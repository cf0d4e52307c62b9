package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"beacon/store"
	"beacon/web"
)

// TestExportReusesUnchangedPages exports, changes the data, and exports again over the first
// export: the second must be byte for byte a fresh export of the changed data, while it
// hard-links the pages that did not change.
func TestExportReusesUnchangedPages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	site, err := web.New(f.st, nil, web.Config{BaseURL: "https://status.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	first, err := site.Export(ctx, dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if first.Reused != 0 {
		t.Errorf("a first export reused %d files", first.Reused)
	}
	before := readTree(t, dir)
	if _, ok := before[web.ManifestName]; !ok {
		t.Fatalf("the export wrote no %s", web.ManifestName)
	}

	ids := f.publicIncidents(t)
	if len(ids) < 4 {
		t.Fatalf("the fixture has %d public incidents", len(ids))
	}
	renamedIn, component, oldName, err := incidentWithImpact(ctx, f, ids)
	if err != nil {
		t.Fatal(err)
	}
	var updated, hidden, kept int64
	for _, id := range ids {
		switch {
		case id == renamedIn:
		case updated == 0:
			updated = id
		case hidden == 0:
			hidden = id
		default:
			kept = id
		}
	}
	if _, err := f.st.PostUpdate(ctx, actor, updated, store.NewUpdate{Status: store.Fixed, Message: "A later note."}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SetIncidentVisibility(ctx, actor, hidden, store.Internal); err != nil {
		t.Fatal(err)
	}
	added, err := f.st.OpenIncident(ctx, actor, store.NewIncident{Title: "Added after the first export", Message: "New."})
	if err != nil {
		t.Fatal(err)
	}
	// A component renamed changes the pages of the incidents that name it (a name that keeps
	// the order of the names on the page).
	newName := oldName + " (renamed)"
	if err := f.st.RenameComponent(ctx, actor, component, newName); err != nil {
		t.Fatal(err)
	}

	second, err := site.Export(ctx, dir, now)
	if err != nil {
		t.Fatal(err)
	}
	again := readTree(t, dir)
	fresh := filepath.Join(parent, "fresh")
	if _, err := site.Export(ctx, fresh, now); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, fresh)
	if len(again) != len(want) {
		t.Errorf("the export over the last one has %d files, a fresh one %d", len(again), len(want))
	}
	for name, body := range want {
		if !bytes.Equal(again[name], body) {
			t.Errorf("%s differs between an export over the last one and a fresh export", name)
		}
	}
	if second.Reused == 0 || second.Reused >= second.Files {
		t.Errorf("the second export reused %d of %d files", second.Reused, second.Files)
	}
	if second.Files != len(want)-1 || second.Bytes != freshBytes(want) {
		t.Errorf("the second export counted %d files, %d bytes; the tree holds %d files, %d bytes",
			second.Files, second.Bytes, len(want)-1, freshBytes(want))
	}

	page := func(id int64) string { return web.FilePath(f.incidentPath(id)) }
	if bytes.Equal(before[page(updated)], again[page(updated)]) || !strings.Contains(string(again[page(updated)]), "A later note.") {
		t.Error("the page of the incident with a new update did not change")
	}
	if _, ok := again[page(hidden)]; ok {
		t.Error("the page of the incident made internal is still there")
	}
	if _, ok := again[page(added.ID)]; !ok {
		t.Error("the new incident has no page")
	}
	if !strings.Contains(string(again[page(renamedIn)]), newName) {
		t.Error("the page of an incident naming the renamed component still has the old name")
	}
	if !bytes.Equal(before[page(kept)], again[page(kept)]) {
		t.Error("the page of an untouched incident changed")
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 {
		t.Errorf("the exports left %d entries beside the sites", len(entries))
	}
}

// TestExportReuseNeedsTheSameSite: pages drawn for another title are never reused.
func TestExportReuseNeedsTheSameSite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "site")
	for i, title := range []string{"First", "Second"} {
		site, err := web.New(f.st, nil, web.Config{Title: title})
		if err != nil {
			t.Fatal(err)
		}
		stats, err := site.Export(ctx, dir, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if stats.Reused != 0 {
			t.Errorf("export %d reused %d files", i+1, stats.Reused)
		}
	}
	for _, id := range f.publicIncidents(t) {
		body, err := os.ReadFile(filepath.Join(dir, web.FilePath(f.incidentPath(id))))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(body), "· Second</title>") {
			t.Errorf("incident %d's page is not the second site's", id)
		}
	}
}

// TestExportIgnoresABrokenManifest: a manifest that cannot be read makes a full export.
func TestExportIgnoresABrokenManifest(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	site, err := web.New(f.st, nil, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := site.Export(ctx, dir, time.Now()); err != nil {
		t.Fatal(err)
	}
	want := readTree(t, dir)
	for _, body := range []string{"", "something else\n", "beacon export manifest 1\nincidents/1.html\n", "beacon export manifest 1\n../x 00 1\n"} {
		if err := os.WriteFile(filepath.Join(dir, web.ManifestName), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		stats, err := site.Export(ctx, dir, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if stats.Reused != 0 {
			t.Errorf("manifest %q: reused %d files", body, stats.Reused)
		}
		got := readTree(t, dir)
		for name, b := range want {
			if !bytes.Equal(got[name], b) {
				t.Errorf("manifest %q: %s differs", body, name)
			}
		}
	}
}

func freshBytes(tree map[string][]byte) int64 {
	var n int64
	for name, b := range tree {
		if name != web.ManifestName {
			n += int64(len(b))
		}
	}
	return n
}

// incidentWithImpact is a public incident among ids that names a component on its page, and
// that component.
func incidentWithImpact(ctx context.Context, f *fixture, ids []int64) (id, component int64, name string, err error) {
	list, err := f.st.IncidentDetails(ctx, ids)
	if err != nil {
		return 0, 0, "", err
	}
	for _, d := range list {
		if len(d.Impacts) > 0 && d.Resolved() {
			return d.ID, d.Impacts[0].ComponentID, d.Impacts[0].ComponentName, nil
		}
	}
	return 0, 0, "", fmt.Errorf("no public incident names a component")
}
