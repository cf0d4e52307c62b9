package cli_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"beacon/demo"
	"beacon/store"
)

// TestConcurrentProcesses runs four writers at once, each a stream of separate beacon
// processes on one database: every write lands and none reports a locked database.
func TestConcurrentProcesses(t *testing.T) {
	d := fixture(t)
	d.must("component", "add", "C1")
	d.must("component", "add", "C3")
	const writers, perWriter = 4, 6
	statuses := []string{"performance_issues", "partial_outage", "under_maintenance", "operational", "unknown", "major_outage"}
	var wg sync.WaitGroup
	failures := make(chan string, writers*perWriter)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				var args []string
				if w%2 == 0 {
					args = []string{"--actor", fmt.Sprintf("writer%d", w), "incident", "open", "--message", "Investigating.", "--title", fmt.Sprintf("w%d-%d", w, i),
						"--component", "Website=performance_issues"}
				} else {
					args = []string{"component", "set", fmt.Sprintf("C%d", w), statuses[i]}
				}
				// Any stderr fails the test, "database is locked" included.
				if r := d.run(args...); r.code != 0 || r.stderr != "" {
					failures <- fmt.Sprintf("%v: %v", args, r)
				}
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}

	var list []struct{ Name string }
	d.json(&list, "incident", "list", "--json")
	titles := map[string]bool{}
	for _, inc := range list {
		titles[inc.Name] = true
	}
	for w := 0; w < writers; w += 2 {
		for i := range perWriter {
			if title := fmt.Sprintf("w%d-%d", w, i); !titles[title] {
				t.Errorf("incident %q is missing", title)
			}
		}
	}
	got := d.effective()
	for _, c := range []string{"C1", "C3"} {
		if got[c] != "major_outage" {
			t.Errorf("%s = %s, want the last write, major_outage", c, got[c])
		}
	}
}

// TestListAllPages streams more resolved incidents than one page holds, in order, once each.
func TestListAllPages(t *testing.T) {
	d := newDB(t)
	ctx := context.Background()
	st, err := store.Open(ctx, d.path)
	if err != nil {
		t.Fatal(err)
	}
	sc := demo.Scale{Groups: 3, Components: 45, Incidents: 450, UpdatesPerIncident: 2, Unresolved: 3}
	if err := demo.FillScale(ctx, st, store.Actor{Name: "test"}, time.Now(), sc, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()

	var list []struct {
		ID         int64   `json:"id"`
		ResolvedAt *string `json:"resolved_at"`
	}
	d.json(&list, "incident", "list", "--all", "--json")
	if len(list) != sc.Incidents {
		t.Fatalf("listed %d incidents, want %d", len(list), sc.Incidents)
	}
	for i, inc := range list {
		open := inc.ResolvedAt == nil
		if open != (i < sc.Unresolved) {
			t.Fatalf("incident %d (#%d): open = %v; open ones come first", i, inc.ID, open)
		}
		if i > 0 && inc.ID >= list[i-1].ID {
			t.Fatalf("incident %d (#%d) is not newer-first after #%d", i, inc.ID, list[i-1].ID)
		}
	}
	text := d.must("incident", "list", "--all")
	if n := strings.Count(text, "\n"); n != sc.Incidents {
		t.Errorf("text list has %d lines, want %d", n, sc.Incidents)
	}
	if !json.Valid([]byte(d.must("incident", "list", "--json"))) {
		t.Error("incident list --json is not valid JSON")
	}

	// 45 components fold; --all unfolds.
	glance := d.must("status")
	if !strings.Contains(glance, "operational components folded; --all lists every one") {
		t.Errorf("45 components did not fold:\n%s", glance)
	}
	if all := d.must("status", "--all"); strings.Contains(all, "folded") || strings.Count(all, "\n") <= 45 {
		t.Errorf("--all still folds:\n%s", all)
	}
}
