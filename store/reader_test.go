package store_test

import (
	"context"
	"errors"
	"testing"

	"beacon/store"
)

// TestPublicOnlyReader: through the public's reader, over the store and over shared
// snapshots alike, no list holds an internal incident and an internal incident is not found.
func TestPublicOnlyReader(t *testing.T) {
	ctx := context.Background()
	st := openTemp(t)
	api := addComponent(t, st, "API")
	pub := open(t, st, "Public trouble", store.Public)
	internal := open(t, st, "Internal trouble", store.Internal, api.ID, store.MajorOutage)
	oldInternal := open(t, st, "Old internal trouble", store.Internal)
	post(t, st, oldInternal, store.Fixed)
	oldPublic := open(t, st, "Old public trouble", store.Public)
	post(t, st, oldPublic, store.Fixed)

	sn := st.NewSnapshots()
	_, cancel := sn.Subscribe()
	defer cancel()
	for name, full := range map[string]store.Reader{"store": st, "snapshots": sn} {
		t.Run(name, func(t *testing.T) {
			r := store.PublicOnly(full)
			if store.PublicOnly(r) != r {
				t.Error("wrapping the public's reader again wrapped it twice")
			}
			d, err := r.Dashboard(ctx)
			if err != nil || len(d.Unresolved) != 1 || d.Unresolved[0].ID != pub {
				t.Errorf("dashboard: %v, %+v", err, d.Unresolved)
			}
			un, err := r.UnresolvedIncidents(ctx)
			if err != nil || len(un) != 1 || un[0].ID != pub {
				t.Errorf("unresolved: %v, %+v", err, un)
			}
			res, err := r.ResolvedIncidents(ctx, store.IncidentQuery{})
			if err != nil || len(res) != 1 || res[0].ID != oldPublic {
				t.Errorf("resolved: %v, %+v", err, res)
			}
			if all, _ := full.ResolvedIncidents(ctx, store.IncidentQuery{}); len(all) != 2 {
				t.Errorf("the full reader lists %d resolved incidents, want 2", len(all))
			}
			var nf *store.NotFoundError
			for _, id := range []int64{internal, oldInternal} {
				if _, err := r.Incident(ctx, id); !errors.As(err, &nf) {
					t.Errorf("internal incident #%d: %v, want not found", id, err)
				}
			}
			if inc, err := r.Incident(ctx, pub); err != nil || inc.ID != pub {
				t.Errorf("public incident: %v", err)
			}
		})
	}
}
