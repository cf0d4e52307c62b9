package store_test

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"beacon/store"
)

// clock is a settable time for a store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var t0 = time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC)

func clocked(t *testing.T) (*store.Store, *clock) {
	t.Helper()
	st := openTemp(t)
	c := &clock{t: t0}
	store.SetClock(st, c.now)
	return st, c
}

func schedule(t *testing.T, st *store.Store, in store.NewMaintenance) store.MaintenanceDetail {
	t.Helper()
	if in.Title == "" {
		in.Title = "Database upgrade"
	}
	m, err := st.AddMaintenance(context.Background(), actor, in)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// seen is a component's effective status as the dashboard and a single read both show it.
func seen(t *testing.T, st *store.Store, id int64) store.Status {
	t.Helper()
	var fromDash store.Status
	for _, c := range dashboard(t, st).Components {
		if c.ID == id {
			fromDash = c.Effective
		}
	}
	if one := effective(t, st, id); one != fromDash {
		t.Fatalf("component %d: dashboard says %s, Component says %s", id, fromDash, one)
	}
	return fromDash
}

func history(t *testing.T, st *store.Store, id int64) []store.StatusChange {
	t.Helper()
	h, err := st.StatusChanges(context.Background(), id, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func state(t *testing.T, st *store.Store, id int64, now time.Time) store.MaintenanceState {
	t.Helper()
	m, err := st.Maintenance(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return m.State(now)
}

func TestMaintenanceStateByTheClock(t *testing.T) {
	for _, record := range []bool{false, true} {
		name := "reads alone"
		if record {
			name = "with boundaries recorded"
		}
		t.Run(name, func(t *testing.T) {
			st, clk := clocked(t)
			db := addComponent(t, st, "db")
			other := addComponent(t, st, "api")
			start, end := t0.Add(time.Hour), t0.Add(2*time.Hour)
			m := schedule(t, st, store.NewMaintenance{StartsAt: start, EndsAt: end, Components: []int64{db.ID}})
			steps := []struct {
				at    time.Time
				state store.MaintenanceState
				db    store.Status
			}{
				{t0, store.MaintenanceScheduled, store.Operational},
				{start.Add(-time.Millisecond), store.MaintenanceScheduled, store.Operational},
				{start, store.MaintenanceInProgress, store.UnderMaintenance},
				{end.Add(-time.Millisecond), store.MaintenanceInProgress, store.UnderMaintenance},
				{end, store.MaintenanceCompleted, store.Operational},
				{end.Add(time.Hour), store.MaintenanceCompleted, store.Operational},
			}
			for _, s := range steps {
				clk.set(s.at)
				if record {
					if _, err := st.RecordBoundaries(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				if got := state(t, st, m.ID, s.at); got != s.state {
					t.Errorf("at %v: state %s, want %s", s.at.Sub(t0), got, s.state)
				}
				if got := seen(t, st, db.ID); got != s.db {
					t.Errorf("at %v: db is %s, want %s", s.at.Sub(t0), got, s.db)
				}
				if got := seen(t, st, other.ID); got != store.Operational {
					t.Errorf("at %v: an uncovered component is %s", s.at.Sub(t0), got)
				}
				d := dashboard(t, st)
				want := store.IndicatorNone
				if s.db == store.UnderMaintenance {
					want = store.IndicatorMaintenance
				}
				if d.Banner.Indicator != want {
					t.Errorf("at %v: banner %s, want %s", s.at.Sub(t0), d.Banner.Indicator, want)
				}
			}
			h := history(t, st, db.ID)
			if !record {
				if len(h) != 0 {
					t.Errorf("reads wrote history: %+v", h)
				}
				return
			}
			if len(h) != 2 || h[0].New != store.UnderMaintenance || !h[0].At.Equal(start) || h[1].Old != store.UnderMaintenance ||
				h[1].New != store.Operational || !h[1].At.Equal(end) || h[0].Cause != "maintenance" || h[0].MaintenanceID != m.ID {
				t.Errorf("history = %+v, want op→maintenance at the start and back at the end", h)
			}
		})
	}
}

// A window whose start was recorded but whose end nobody saw still reads as over once the
// clock passes it.
func TestMaintenanceEndReadWithoutRecording(t *testing.T) {
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(time.Minute), EndsAt: t0.Add(time.Hour), Components: []int64{db.ID}})
	clk.set(t0.Add(2 * time.Minute))
	if _, err := st.RecordBoundaries(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.set(t0.Add(2 * time.Hour))
	if got := seen(t, st, db.ID); got != store.Operational {
		t.Errorf("after the end, unrecorded: %s", got)
	}
}

func TestIncidentWorseThanWindowWins(t *testing.T) {
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(3 * time.Hour), Components: []int64{db.ID}})
	clk.set(t0.Add(90 * time.Minute))
	inc := open(t, st, "Replica lag", store.Public, db.ID, store.MajorOutage)
	if got := seen(t, st, db.ID); got != store.MajorOutage {
		t.Errorf("major outage during a window: %s", got)
	}
	post(t, st, inc, store.Identified, db.ID, store.PerformanceIssues)
	if got := seen(t, st, db.ID); got != store.PerformanceIssues {
		t.Errorf("performance issues during a window: %s", got)
	}
	post(t, st, inc, store.Fixed)
	if got := seen(t, st, db.ID); got != store.UnderMaintenance {
		t.Errorf("after the fix, inside the window: %s", got)
	}
	h := history(t, st, db.ID)
	if last := h[len(h)-1]; last.New != store.UnderMaintenance || last.Cause != "incident" {
		t.Errorf("the fix recorded %+v, want a move back to maintenance", last)
	}
	clk.set(t0.Add(4 * time.Hour))
	if got := seen(t, st, db.ID); got != store.Operational {
		t.Errorf("after the window: %s", got)
	}
}

func TestOverlappingWindows(t *testing.T) {
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	h := time.Hour
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(h), EndsAt: t0.Add(3 * h), Components: []int64{db.ID}})
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(2 * h), EndsAt: t0.Add(4 * h), Components: []int64{db.ID}})
	for _, s := range []struct {
		at   time.Duration
		want store.Status
	}{{30 * time.Minute, store.Operational}, {h, store.UnderMaintenance}, {150 * time.Minute, store.UnderMaintenance},
		{3 * h, store.UnderMaintenance}, {210 * time.Minute, store.UnderMaintenance}, {4 * h, store.Operational}} {
		clk.set(t0.Add(s.at))
		if _, err := st.RecordBoundaries(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := seen(t, st, db.ID); got != s.want {
			t.Errorf("at +%v: %s, want %s", s.at, got, s.want)
		}
	}
	if got := history(t, st, db.ID); len(got) != 2 || !got[0].At.Equal(t0.Add(h)) || !got[1].At.Equal(t0.Add(4*h)) {
		t.Errorf("history = %+v, want one move in at +1h and one out at +4h", got)
	}
}

// Two processes that see a boundary pass at once write its traces once.
func TestBoundaryWrittenOnceByRacingStores(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "beacon.db")
	var stores []*store.Store
	for range 2 {
		st, err := store.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		stores = append(stores, st)
	}
	db, err := stores[0].AddComponent(ctx, actor, store.NewComponent{Name: "db"})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	m, err := stores[0].AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Upgrade", StartsAt: now.Add(2 * time.Hour),
		EndsAt: now.Add(3 * time.Hour), Components: []int64{db.ID}})
	if err != nil {
		t.Fatal(err)
	}
	for round, at := range []time.Time{now.Add(90 * time.Minute), now.Add(150 * time.Minute), now.Add(4 * time.Hour)} {
		for _, st := range stores {
			store.SetClock(st, func() time.Time { return at })
		}
		var wg sync.WaitGroup
		wrote := make([]bool, len(stores))
		errs := make([]error, len(stores))
		for i, st := range stores {
			wg.Go(func() { wrote[i], errs[i] = st.RecordBoundaries(ctx) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if wrote[0] == wrote[1] {
			t.Errorf("round %d: wrote = %v, want exactly one store to write", round, wrote)
		}
	}
	h, err := stores[1].StatusChanges(ctx, db.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 2 {
		t.Errorf("history = %+v, want one row in and one out", h)
	}
	entries, err := stores[1].Audit(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var starts, completes int
	for _, e := range entries {
		switch e.Action {
		case "maintenance.start":
			starts++
		case "maintenance.complete":
			completes++
		}
	}
	if starts != 1 || completes != 1 {
		t.Errorf("audit: %d starts and %d completions, want one each", starts, completes)
	}
	events, err := stores[0].MaintenanceEvents(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range events {
		if e.MaintenanceID == m.ID {
			kinds = append(kinds, e.Kind)
		}
	}
	if got := strings.Join(kinds, " "); got != "scheduled reminder started completed" {
		t.Errorf("events = %s", got)
	}
}

func TestRecurrenceAcrossMonthEnd(t *testing.T) {
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	start := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)
	clk.set(start.Add(-24 * time.Hour))
	first := schedule(t, st, store.NewMaintenance{StartsAt: start, EndsAt: start.Add(time.Hour), Components: []int64{db.ID},
		Every: store.Monthly, Count: 4, Zone: time.UTC})
	want := []time.Time{start, time.Date(2026, 2, 28, 10, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC),
		time.Date(2026, 4, 30, 10, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	for i, at := range want {
		list, err := st.Maintenances(ctx, store.MaintenanceQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || !list[0].StartsAt.Equal(at) || list[0].Occurrence != i+1 || list[0].SeriesID != first.ID {
			t.Fatalf("before occurrence %d: scheduled %+v, want one at %v", i+1, list, at)
		}
		// As soon as an occurrence starts, the next is scheduled.
		clk.set(at.Add(time.Minute))
		if _, err := st.RecordBoundaries(ctx); err != nil {
			t.Fatal(err)
		}
		list, err = st.Maintenances(ctx, store.MaintenanceQuery{})
		if err != nil {
			t.Fatal(err)
		}
		wantLen := 2
		if i == len(want)-1 {
			wantLen = 1 // the count is reached
		}
		if len(list) != wantLen || list[0].State(clk.now()) != store.MaintenanceInProgress {
			t.Fatalf("during occurrence %d: %d listed, want %d", i+1, len(list), wantLen)
		}
		if wantLen == 2 && (list[1].State(clk.now()) != store.MaintenanceScheduled || list[1].ComponentNames() != "db") {
			t.Errorf("next occurrence %+v", list[1])
		}
		clk.set(at.Add(2 * time.Hour))
		if _, err := st.RecordBoundaries(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := history(t, st, db.ID); len(got) != 8 {
		t.Errorf("%d history rows, want 8 (in and out four times)", len(got))
	}
}

func TestRecurrenceAcrossDaylightSaving(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	// Paris moves to summer time in the night of 28 to 29 March 2026.
	start := time.Date(2026, 3, 27, 22, 0, 0, 0, paris)
	clk.set(start.Add(-time.Hour))
	schedule(t, st, store.NewMaintenance{StartsAt: start, EndsAt: start.Add(5 * time.Hour), Components: []int64{db.ID},
		Every: store.Daily, Until: time.Date(2026, 3, 31, 0, 0, 0, 0, paris), Zone: paris})
	// Running nothing for days, then once: every occurrence is made, started and ended in order.
	clk.set(time.Date(2026, 4, 2, 0, 0, 0, 0, paris))
	if _, err := st.RecordBoundaries(context.Background()); err != nil {
		t.Fatal(err)
	}
	all, err := st.Maintenances(context.Background(), store.MaintenanceQuery{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("%d occurrences, want 27, 28, 29 and 30 March", len(all))
	}
	for i, m := range all {
		s, e := m.StartsAt.In(paris), m.PlannedEndsAt.In(paris)
		day := 30 - i // --all lists past windows newest first
		if s.Day() != day || s.Hour() != 22 || s.Minute() != 0 || e.Hour() != 3 || e.Day() != day+1 {
			t.Errorf("occurrence on %d March: %v – %v, want 22:00 – 03:00 local", day, s, e)
		}
	}
	if d := all[0].StartsAt.Sub(all[3].StartsAt); d != 3*24*time.Hour-time.Hour {
		t.Errorf("three days of wall clock across the change = %v, want 71h", d)
	}
	if got := history(t, st, db.ID); len(got) != 8 {
		t.Errorf("%d history rows, want 8", len(got))
	}
}

func TestOccurrence(t *testing.T) {
	start := time.Date(2026, 1, 30, 22, 0, 0, 0, time.UTC)
	end := time.Date(2026, 1, 31, 2, 0, 0, 0, time.UTC)
	s, e := store.Occurrence(start, end, store.Monthly, 1)
	if !s.Equal(time.Date(2026, 2, 28, 22, 0, 0, 0, time.UTC)) || !e.Equal(time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("monthly from 30 January, overnight: %v – %v", s, e)
	}
	s, _ = store.Occurrence(start, end, store.Weekly, 2)
	if !s.Equal(time.Date(2026, 2, 13, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("weekly: %v", s)
	}
	s, _ = store.Occurrence(start, end, store.Monthly, 11)
	if !s.Equal(time.Date(2026, 12, 30, 22, 0, 0, 0, time.UTC)) {
		t.Errorf("monthly, eleventh: %v", s)
	}
}

func TestCancelAndFinishEarly(t *testing.T) {
	ctx := context.Background()
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	api := addComponent(t, st, "api")
	h := time.Hour
	a := schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(h), EndsAt: t0.Add(3 * h), Components: []int64{db.ID}})
	b := schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(2 * h), EndsAt: t0.Add(3 * h), Components: []int64{api.ID},
		Every: store.Daily})

	// Cancelled before its start: never in progress, and its series makes no next occurrence.
	if err := st.CancelMaintenance(ctx, actor, b.ID, "Not needed."); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishMaintenance(ctx, actor, a.ID, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("finishing a window that has not started: %v", err)
	}

	clk.set(t0.Add(90 * time.Minute))
	if got := seen(t, st, db.ID); got != store.UnderMaintenance {
		t.Fatalf("in the window: %s", got)
	}
	if err := st.FinishMaintenance(ctx, actor, a.ID, "Done early."); err != nil {
		t.Fatal(err)
	}
	if got := seen(t, st, db.ID); got != store.Operational {
		t.Errorf("after finishing early: %s", got)
	}
	d, err := st.Maintenance(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State(clk.now()) != store.MaintenanceCompleted || !d.EndsAt.Equal(clk.now()) || !d.PlannedEndsAt.Equal(t0.Add(3*h)) ||
		d.FinishedAt.IsZero() || d.Updates[0].Message != "Done early." || d.Updates[0].Status != store.MaintenanceCompleted {
		t.Errorf("finished window = %+v", d)
	}
	if got := history(t, st, db.ID); len(got) != 2 || !got[1].At.Equal(clk.now()) {
		t.Errorf("history after finishing early = %+v", got)
	}

	clk.set(t0.Add(150 * time.Minute))
	if got := seen(t, st, api.ID); got != store.Operational {
		t.Errorf("a cancelled window held its component: %s", got)
	}
	if s := state(t, st, b.ID, clk.now()); s != store.MaintenanceCancelled {
		t.Errorf("cancelled window state %s", s)
	}
	if list, err := st.Maintenances(ctx, store.MaintenanceQuery{}); err != nil || len(list) != 0 {
		t.Errorf("listed after cancel and finish: %+v, %v", list, err)
	}
	// Over is over: no further change.
	for name, err := range map[string]error{
		"finish a finished one":  st.FinishMaintenance(ctx, actor, a.ID, ""),
		"cancel a finished one":  st.CancelMaintenance(ctx, actor, a.ID, ""),
		"cancel a cancelled one": st.CancelMaintenance(ctx, actor, b.ID, ""),
		"update a cancelled one": func() error { _, err := st.PostMaintenanceUpdate(ctx, actor, b.ID, "Hm."); return err }(),
		"update a finished one":  func() error { _, err := st.PostMaintenanceUpdate(ctx, actor, a.ID, "Hm."); return err }(),
	} {
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("%s: %v, want a conflict", name, err)
		}
	}

	// Cancelled during its window: components come back at once.
	c := schedule(t, st, store.NewMaintenance{StartsAt: clk.now(), EndsAt: clk.now().Add(h), Components: []int64{api.ID}})
	if got := seen(t, st, api.ID); got != store.UnderMaintenance {
		t.Errorf("a window starting now: %s", got)
	}
	if _, err := st.PostMaintenanceUpdate(ctx, actor, c.ID, "Halfway."); err != nil {
		t.Fatal(err)
	}
	if err := st.CancelMaintenance(ctx, actor, c.ID, "Rolled back."); err != nil {
		t.Fatal(err)
	}
	if got := seen(t, st, api.ID); got != store.Operational {
		t.Errorf("after cancelling during the window: %s", got)
	}
	d, _ = st.Maintenance(ctx, c.ID)
	var statuses []string
	for _, u := range d.Updates {
		statuses = append(statuses, string(u.Status))
	}
	if got := strings.Join(statuses, " "); got != "cancelled in_progress in_progress scheduled" {
		t.Errorf("timeline statuses, newest first: %s", got)
	}
}

func TestMaintenanceRefused(t *testing.T) {
	ctx := context.Background()
	st, _ := clocked(t)
	db := addComponent(t, st, "db")
	ok := store.NewMaintenance{Title: "Upgrade", StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(2 * time.Hour), Components: []int64{db.ID}}
	tests := []struct {
		name string
		edit func(*store.NewMaintenance)
		want error
	}{
		{"end before start", func(m *store.NewMaintenance) { m.EndsAt = m.StartsAt.Add(-time.Minute) }, nil},
		{"end at start", func(m *store.NewMaintenance) { m.EndsAt = m.StartsAt }, nil},
		{"no component", func(m *store.NewMaintenance) { m.Components = nil }, nil},
		{"unknown component", func(m *store.NewMaintenance) { m.Components = []int64{999} }, store.ErrNotFound},
		{"more than a year ahead", func(m *store.NewMaintenance) {
			m.StartsAt, m.EndsAt = t0.Add(367*24*time.Hour), t0.Add(368*24*time.Hour)
		}, nil},
		{"no title", func(m *store.NewMaintenance) { m.Title = " " }, nil},
		{"until without every", func(m *store.NewMaintenance) { m.Until = t0.Add(48 * time.Hour) }, nil},
		{"daily window of a day", func(m *store.NewMaintenance) { m.Every, m.EndsAt = store.Daily, m.StartsAt.Add(24*time.Hour) }, nil},
		{"until before the start", func(m *store.NewMaintenance) { m.Every, m.Until = store.Weekly, t0 }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			_, err := st.AddMaintenance(ctx, actor, in)
			var ve *store.ValidationError
			if tt.want != nil && !errors.Is(err, tt.want) || tt.want == nil && !errors.As(err, &ve) {
				t.Errorf("err = %v", err)
			}
		})
	}
	if list, err := st.Maintenances(ctx, store.MaintenanceQuery{All: true}); err != nil || len(list) != 0 {
		t.Errorf("refused windows were written: %+v, %v", list, err)
	}
}

// A store with subscribers (a console, the server) writes a boundary when it passes and tells
// its subscribers, with no other write to wake it.
func TestSubscribedStoreSeesBoundaries(t *testing.T) {
	st, clk := clocked(t)
	db := addComponent(t, st, "db")
	changes, cancel := st.Subscribe()
	defer cancel()
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(2 * time.Hour), Components: []int64{db.ID}})
	<-changes // the add itself
	for i, at := range []time.Time{t0.Add(time.Hour), t0.Add(2 * time.Hour)} {
		clk.set(at)
		for len(history(t, st, db.ID)) != i+1 {
			select {
			case <-changes:
			case <-time.After(30 * time.Second):
				t.Fatalf("boundary %d: no change announced; history %+v", i, history(t, st, db.ID))
			}
		}
	}
}

// The public sees public windows only, by the same rule as incidents.
func TestMaintenanceForThePublic(t *testing.T) {
	st, clk := clocked(t)
	db, api := addComponent(t, st, "db"), addComponent(t, st, "api")
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(2 * time.Hour), Components: []int64{db.ID}, Visibility: store.Internal})
	schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(time.Hour), EndsAt: t0.Add(2 * time.Hour), Components: []int64{api.ID}})
	clk.set(t0.Add(90 * time.Minute))
	d := dashboard(t, st)
	p := d.PublicOnly()
	want := map[string][2]store.Status{"db": {store.UnderMaintenance, store.Operational}, "api": {store.UnderMaintenance, store.UnderMaintenance}}
	for i, c := range d.Components {
		if w := want[c.Name]; c.Effective != w[0] || p.Components[i].Effective != w[1] {
			t.Errorf("%s: responders %s, public %s; want %v", c.Name, c.Effective, p.Components[i].Effective, w)
		}
	}
	if len(d.InProgress()) != 2 || len(p.InProgress()) != 1 || p.InProgress()[0].ComponentNames() != "api" {
		t.Errorf("in progress: responders %d, public %+v", len(d.InProgress()), p.InProgress())
	}
}

// TestClockEntriesNameBeacon: the timeline entries a window's boundaries write name Beacon, as
// the boundaries' audit entries do, also those an older build wrote without a name.
func TestClockEntriesNameBeacon(t *testing.T) {
	ctx := context.Background()
	st, c := clocked(t)
	api := addComponent(t, st, "API")
	m := schedule(t, st, store.NewMaintenance{StartsAt: t0.Add(time.Minute), EndsAt: t0.Add(time.Hour), Components: []int64{api.ID}})
	c.set(t0.Add(2 * time.Hour))
	if _, err := st.RecordBoundaries(ctx); err != nil {
		t.Fatal(err)
	}
	authors := func() map[store.MaintenanceState]string {
		t.Helper()
		d, err := st.Maintenance(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[store.MaintenanceState]string{}
		for _, u := range d.Updates {
			out[u.Status] = u.Author
		}
		return out
	}
	want := map[store.MaintenanceState]string{store.MaintenanceScheduled: actor.Name, store.MaintenanceInProgress: "Beacon", store.MaintenanceCompleted: "Beacon"}
	if got := authors(); !maps.Equal(got, want) {
		t.Errorf("authors %v, want %v", got, want)
	}
	entries, err := st.AuditLog(ctx, store.AuditQuery{Actor: "Beacon"})
	if err != nil || len(entries) != 2 || entries[0].Action != "maintenance.complete" || entries[1].Action != "maintenance.start" {
		t.Errorf("the boundaries' audit entries: %+v, %v", entries, err)
	}

	db, err := sql.Open("sqlite", st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE maintenance_updates SET author = '' WHERE status <> 'scheduled'`); err != nil {
		t.Fatal(err)
	}
	if got := authors(); !maps.Equal(got, want) {
		t.Errorf("entries written without a name: authors %v, want %v", got, want)
	}
}

// timeline is a window's entries, newest first, as "status@offset from t0".
func timeline(t *testing.T, d store.MaintenanceDetail) string {
	t.Helper()
	var out []string
	for _, u := range d.Updates {
		out = append(out, string(u.Status)+"@"+u.CreatedAt.Sub(t0).String())
	}
	return strings.Join(out, " ")
}

// TestMaintenanceStartAlreadyPassed: a window scheduled with its start already past holds its
// components from the moment it was scheduled, and every read says so: its start, its
// timeline and its components' history agree. A series still counts its occurrences from the
// start it was given.
func TestMaintenanceStartAlreadyPassed(t *testing.T) {
	ctx := context.Background()
	st, _ := clocked(t)
	web := addComponent(t, st, "Website")
	given := t0.Add(-time.Hour)
	m := schedule(t, st, store.NewMaintenance{StartsAt: given, EndsAt: t0.Add(time.Hour), Components: []int64{web.ID}})
	if !m.EffectiveStart().Equal(t0) || !m.StartsAt.Equal(given) || !m.EndsAt.Equal(t0.Add(time.Hour)) || m.AfterTheFact() {
		t.Errorf("window %v (given %v) to %v (after the fact %v), want from when it was scheduled to its end",
			m.EffectiveStart(), m.StartsAt, m.EndsAt, m.AfterTheFact())
	}
	if got := timeline(t, m); got != "in_progress@0s scheduled@0s" {
		t.Errorf("timeline %s", got)
	}
	if h := history(t, st, web.ID); len(h) != 1 || !h[0].At.Equal(m.EffectiveStart()) || h[0].New != store.UnderMaintenance {
		t.Errorf("history %+v, want under maintenance from %v", h, m.EffectiveStart())
	}
	list, err := st.Maintenances(ctx, store.MaintenanceQuery{})
	if err != nil || len(list) != 1 || !list[0].EffectiveStart().Equal(t0) {
		t.Errorf("listed %+v, %v", list, err)
	}

	series := schedule(t, st, store.NewMaintenance{StartsAt: given, EndsAt: t0.Add(time.Hour), Components: []int64{web.ID},
		Every: store.Daily, Count: 2})
	if !series.EffectiveStart().Equal(t0) {
		t.Errorf("the series' first window starts %v, want %v", series.EffectiveStart(), t0)
	}
	all, err := st.Maintenances(ctx, store.MaintenanceQuery{All: true})
	if err != nil {
		t.Fatal(err)
	}
	var next []time.Time
	for _, w := range all {
		if w.SeriesID == series.ID && w.ID != series.ID {
			next = append(next, w.StartsAt)
		}
	}
	if len(next) != 1 || !next[0].Equal(given.Add(24*time.Hour)) {
		t.Errorf("next occurrences start %v, want one at %v", next, given.Add(24*time.Hour))
	}
}

// TestMaintenanceAfterTheFact: a window whose end had passed when it was scheduled is a record
// of past work: its own times, completed, one entry written when it was recorded, no
// boundary left to pass, and no history for its components. A series may not begin so.
func TestMaintenanceAfterTheFact(t *testing.T) {
	ctx := context.Background()
	st, _ := clocked(t)
	web := addComponent(t, st, "Website")
	start, end := t0.Add(-3*time.Hour), t0.Add(-2*time.Hour)
	m := schedule(t, st, store.NewMaintenance{StartsAt: start, EndsAt: end, Components: []int64{web.ID}})
	if !m.EffectiveStart().Equal(start) || !m.EndsAt.Equal(end) || !m.PlannedEndsAt.Equal(end) || !m.AfterTheFact() {
		t.Errorf("window %v to %v (after the fact %v), want %v to %v", m.StartsAt, m.EndsAt, m.AfterTheFact(), start, end)
	}
	if s := m.State(t0); s != store.MaintenanceCompleted {
		t.Errorf("state %s", s)
	}
	if at := m.ResolvedAt(t0); !at.Equal(end) {
		t.Errorf("resolved at %v, want %v", at, end)
	}
	if got := timeline(t, m); got != "completed@0s" {
		t.Errorf("timeline %s, want one completed entry when it was recorded", got)
	}
	if u := m.Updates[0]; u.Author != actor.Name || u.Body() != store.AfterTheFactText {
		t.Errorf("entry by %q: %q", u.Author, u.Body())
	}
	if h := history(t, st, web.ID); len(h) != 0 {
		t.Errorf("history %+v, want none: it held nothing", h)
	}
	if _, ok, err := st.NextBoundary(ctx); ok || err != nil {
		t.Errorf("a boundary is left to pass: %v, %v", ok, err)
	}
	events, err := st.MaintenanceEvents(ctx, 0, 0)
	if err != nil || len(events) != 1 || events[0].Kind != "completed" || !events[0].At.Equal(t0) {
		t.Errorf("events %+v, %v; want one completed, now", events, err)
	}
	_, err = st.AddMaintenance(ctx, actor, store.NewMaintenance{Title: "Patching", StartsAt: start, EndsAt: end,
		Components: []int64{web.ID}, Every: store.Weekly})
	var verr *store.ValidationError
	if !errors.As(err, &verr) {
		t.Errorf("a series that began with a window already over: %v, want refused", err)
	}
}

// TestCancelledWindowKeepsItsPlan: a cancelled window keeps the window it announced; it was
// resolved when it was called off.
func TestCancelledWindowKeepsItsPlan(t *testing.T) {
	ctx := context.Background()
	st, clk := clocked(t)
	web := addComponent(t, st, "Website")
	start, end := t0.Add(time.Hour), t0.Add(3*time.Hour)
	m := schedule(t, st, store.NewMaintenance{StartsAt: start, EndsAt: end, Components: []int64{web.ID}})
	clk.set(t0.Add(4 * time.Minute))
	if err := st.CancelMaintenance(ctx, actor, m.ID, "Postponed."); err != nil {
		t.Fatal(err)
	}
	d, err := st.Maintenance(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	later := t0.Add(5 * time.Hour)
	if !d.EffectiveStart().Equal(start) || !d.PlannedEndsAt.Equal(end) || !d.ResolvedAt(later).Equal(clk.now()) || d.AfterTheFact() {
		t.Errorf("cancelled window %v to %v, resolved %v; want %v to %v, resolved %v", d.StartsAt, d.PlannedEndsAt, d.ResolvedAt(later), start, end, clk.now())
	}
	if at := d.ResolvedAt(t0); !at.Equal(clk.now()) {
		t.Errorf("resolved at %v", at)
	}
}

// TestMaintenanceUpdateBody: an entry that scheduled a window without a message says so.
func TestMaintenanceUpdateBody(t *testing.T) {
	tests := []struct {
		u    store.MaintenanceUpdate
		want string
	}{
		{store.MaintenanceUpdate{Status: store.MaintenanceScheduled}, store.ScheduledText},
		{store.MaintenanceUpdate{Status: store.MaintenanceScheduled, Message: "Writes pause."}, "Writes pause."},
		{store.MaintenanceUpdate{Status: store.MaintenanceInProgress, Message: "Halfway."}, "Halfway."},
	}
	for _, tt := range tests {
		if got := tt.u.Body(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.u, got, tt.want)
		}
	}
}
