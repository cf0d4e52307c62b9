package store

import (
	"context"
	"fmt"
)

// Reader is every read a console makes: the change feed, the dashboard, the lists of
// incidents and one incident with its timeline. The Store implements it; Snapshots implements
// it for the many sessions of one process, sharing reads between them; PublicOnly narrows any
// Reader to what the public may see. Values a Reader returns may be shared between sessions:
// read them, never change them.
type Reader interface {
	// Subscribe returns a channel that receives a value after every change to the data;
	// cancel ends the subscription and closes the channel, as closing the store does.
	Subscribe() (changes <-chan struct{}, cancel func())
	Dashboard(ctx context.Context) (Dashboard, error)
	UnresolvedIncidents(ctx context.Context) ([]Incident, error)
	ResolvedIncidents(ctx context.Context, q IncidentQuery) ([]Incident, error)
	Incident(ctx context.Context, id int64) (IncidentDetail, error)
	// Uptime is the uptime record of q's components (Store.Uptime).
	Uptime(ctx context.Context, q UptimeQuery) (UptimeReport, error)
	// ComponentIncidents lists the incidents that imposed a status on a component, newest
	// first, at most limit of them.
	ComponentIncidents(ctx context.Context, componentID int64, limit int) ([]Incident, error)
	Maintenances(ctx context.Context, q MaintenanceQuery) ([]Maintenance, error)
	Maintenance(ctx context.Context, id int64) (MaintenanceDetail, error)
}

var (
	_ Reader = (*Store)(nil)
	_ Reader = (*Snapshots)(nil)
)

// PublicOnly returns r as the public sees it (an anonymous viewer, the public site): the
// dashboard's public view (Dashboard.PublicOnly), no internal incident in any list, an
// incident's public view (IncidentDetail.PublicOnly), and an internal incident not found.
func PublicOnly(r Reader) Reader {
	if p, ok := r.(publicReader); ok {
		return p
	}
	return publicReader{r}
}

type publicReader struct{ r Reader }

func (p publicReader) Subscribe() (<-chan struct{}, func()) { return p.r.Subscribe() }

func (p publicReader) Dashboard(ctx context.Context) (Dashboard, error) {
	d, err := p.r.Dashboard(ctx)
	if err != nil {
		return d, err
	}
	return d.PublicOnly(), nil
}

func (p publicReader) UnresolvedIncidents(ctx context.Context) ([]Incident, error) {
	list, err := p.r.UnresolvedIncidents(ctx)
	return publicIncidents(list), err
}

func (p publicReader) ResolvedIncidents(ctx context.Context, q IncidentQuery) ([]Incident, error) {
	q.public = true
	return p.r.ResolvedIncidents(ctx, q)
}

func (p publicReader) Incident(ctx context.Context, id int64) (IncidentDetail, error) {
	d, err := p.r.Incident(ctx, id)
	if err != nil {
		return d, err
	}
	d, ok := d.PublicOnly()
	if !ok {
		return d, &NotFoundError{What: fmt.Sprintf("incident #%d", id)}
	}
	return d, nil
}

// Uptime is the public's record, whatever q asks.
func (p publicReader) Uptime(ctx context.Context, q UptimeQuery) (UptimeReport, error) {
	q.Audience = ThePublic
	return p.r.Uptime(ctx, q)
}

func (p publicReader) ComponentIncidents(ctx context.Context, componentID int64, limit int) ([]Incident, error) {
	list, err := p.r.ComponentIncidents(ctx, componentID, limit)
	return publicIncidents(list), err
}

// publicIncidents is list without internal incidents; it shares nothing it changed with list.
func publicIncidents(list []Incident) []Incident {
	out := make([]Incident, 0, len(list))
	for _, inc := range list {
		if inc.Visibility == Public {
			out = append(out, inc)
		}
	}
	return out
}

func (p publicReader) Maintenances(ctx context.Context, q MaintenanceQuery) ([]Maintenance, error) {
	q.PublicOnly = true
	return p.r.Maintenances(ctx, q)
}

func (p publicReader) Maintenance(ctx context.Context, id int64) (MaintenanceDetail, error) {
	d, err := p.r.Maintenance(ctx, id)
	if err == nil && !ThePublic.Sees(d.Visibility) {
		return MaintenanceDetail{}, &NotFoundError{What: fmt.Sprintf("maintenance #%d", id)}
	}
	return d, err
}
