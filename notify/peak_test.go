package notify_test

import (
	"encoding/json"
	"testing"

	"beacon/store"
)

// TestWebhookImpactIsThePeak: every incident event says the incident's peak impact, in
// Statuspage's body and in Beacon's JSON, the event for an update that lowered an impact too;
// the JSON always carries earlier_components.
func TestWebhookImpactIsThePeak(t *testing.T) {
	for _, format := range []string{store.FormatStatuspage, store.FormatJSON} {
		t.Run(format, func(t *testing.T) {
			st := openStore(t)
			rcv := newReceiver(t, nil)
			api := addComponent(t, st, "API")
			addEndpoint(t, st, rcv.URL, format, false, store.KindIncident)
			id := openIncident(t, st, "API errors", store.Public, store.SetImpact{ComponentID: api.ID, Status: store.MajorOutage})
			postUpdate(t, st, id, store.Identified, "Fewer errors.", store.SetImpact{ComponentID: api.ID, Status: store.PartialOutage})
			postUpdate(t, st, id, store.Watching, "Back.", store.SetImpact{ComponentID: api.ID})
			postUpdate(t, st, id, store.Fixed, "Fixed.")
			drain(t, sender(st, newClock()))
			got := rcv.requests()
			if len(got) != 4 {
				t.Fatalf("got %d bodies, want 4", len(got))
			}
			for i, r := range got {
				var body struct {
					Incident *struct {
						Impact  string           `json:"impact"`
						Earlier *json.RawMessage `json:"earlier_components"`
					} `json:"incident"`
					Data struct {
						Incident *struct {
							Impact  string           `json:"impact"`
							Earlier *json.RawMessage `json:"earlier_components"`
						} `json:"incident"`
					} `json:"data"`
				}
				if err := json.Unmarshal(r.body, &body); err != nil {
					t.Fatal(err)
				}
				inc := body.Incident
				if format == store.FormatJSON {
					inc = body.Data.Incident
					if inc != nil && inc.Earlier == nil {
						t.Errorf("event %d: no earlier_components: %s", i, r.body)
					}
				}
				if inc == nil || inc.Impact != "critical" {
					t.Errorf("event %d: impact is not critical: %s", i, r.body)
				}
			}
		})
	}
}
