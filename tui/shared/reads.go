package shared

import (
	"fmt"

	"beacon/store"
	"beacon/tui/common"
)

// The session's reads that other sessions may share (common.Common.Shared) and that the public
// sees without internal incidents (common.Common.PublicOnly). Call them inside commands.

// Subscribe subscribes the session to the change feed.
func Subscribe(c common.Common) (changes <-chan struct{}, cancel func()) {
	if c.Shared != nil {
		return c.Shared.Subscribe()
	}
	return c.Store.Subscribe()
}

// Dashboard reads the dashboard as the session may see it. The value may be shared with
// other sessions: read it, never change it.
func Dashboard(c common.Common) (store.Dashboard, error) {
	var d store.Dashboard
	var err error
	if c.Shared != nil {
		d, err = c.Shared.Dashboard(c.Ctx)
	} else {
		d, err = c.Store.Dashboard(c.Ctx)
	}
	if err == nil && c.PublicOnly {
		d = d.PublicOnly()
	}
	return d, err
}

// ResolvedIncidents reads a page of resolved incidents as the session may see them. The list
// may be shared with other sessions: read it, never change it.
func ResolvedIncidents(c common.Common, q store.IncidentQuery) ([]store.Incident, error) {
	switch {
	case c.Shared != nil:
		return c.Shared.ResolvedIncidents(c.Ctx, q, c.PublicOnly)
	case c.PublicOnly:
		return c.Store.ResolvedPublicIncidents(c.Ctx, q)
	}
	return c.Store.ResolvedIncidents(c.Ctx, q)
}

// Incident reads an incident with its timeline as the session may see it; an internal one is
// not found for the public.
func Incident(c common.Common, id int64) (store.IncidentDetail, error) {
	d, err := c.Store.Incident(c.Ctx, id)
	if err != nil || !c.PublicOnly {
		return d, err
	}
	d, ok := d.PublicOnly()
	if !ok {
		return d, &store.NotFoundError{What: fmt.Sprintf("incident #%d", id)}
	}
	return d, nil
}
