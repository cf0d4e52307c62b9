package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// EventType names what happened; its prefix before the dot is its kind (incident, component,
// maintenance), which endpoints choose by.
type EventType string

// Event types.
const (
	EventIncidentOpened       EventType = "incident.opened"
	EventIncidentUpdated      EventType = "incident.updated"
	EventIncidentResolved     EventType = "incident.resolved"
	EventIncidentReopened     EventType = "incident.reopened"
	EventComponentStatus      EventType = "component.status_changed"
	EventMaintenanceScheduled EventType = "maintenance.scheduled"
	EventMaintenanceReminder  EventType = "maintenance.reminder"
	EventMaintenanceStarted   EventType = "maintenance.started"
	EventMaintenanceCompleted EventType = "maintenance.completed"
	EventMaintenanceCancelled EventType = "maintenance.cancelled"
	EventTest                 EventType = "test"
)

// Kind is the event's kind: incident, component or maintenance.
func (t EventType) Kind() string {
	k, _, _ := strings.Cut(string(t), ".")
	return k
}

// Delivery states.
const (
	DeliveryPending   = "pending"   // waiting for its first or next attempt
	DeliveryDelivered = "delivered" // the endpoint answered 2xx
	DeliveryFailed    = "failed"    // gave up: out of attempts, or the endpoint is gone
)

// outboxEvent is an event a write records, with the ids of what it is about.
type outboxEvent struct {
	typ         EventType
	internal    bool
	incident    int64
	update      int64
	component   int64
	maintenance int64
	old, new    Status
}

// emit records ev and (by the fan-out trigger) one delivery per enabled endpoint that wants
// its kind, internal events only to internal endpoints, in the caller's transaction. With no
// such endpoint it records nothing. It is one statement, so that a write with webhooks costs
// little more than one without.
func emit(ctx context.Context, tx queryer, now time.Time, ev outboxEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO webhook_events (type, at, internal, incident_id, update_id, component_id, maintenance_id, old_status, new_status)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE EXISTS (SELECT 1 FROM webhook_endpoints
			WHERE disabled_at IS NULL AND (internal = 1 OR ?3 = 0) AND instr(',' || events || ',', ?10) > 0)`,
		ev.typ, ms(now), ev.internal, nullID(ev.incident), nullID(ev.update), nullID(ev.component), nullID(ev.maintenance),
		ev.old, ev.new, ","+ev.typ.Kind()+",")
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Event is a recorded event with what the formats need to render it: for an incident event the
// incident as it stood right after the update the event is about (its timeline up to that
// update, newest first); for a component event the component and its public status before and
// after.
type Event struct {
	ID       int64
	Type     EventType
	At       time.Time
	Internal bool

	Incident *IncidentDetail
	Update   *Update

	Component *Component
	Old, New  Status

	// Maintenance is the window as it stood at the event: its timeline up to then, not yet
	// cancelled before a cancellation.
	Maintenance *MaintenanceDetail
}

// MaintenanceState is the window's state the event reports.
func (e Event) MaintenanceState() MaintenanceState {
	switch e.Type {
	case EventMaintenanceStarted:
		return MaintenanceInProgress
	case EventMaintenanceCompleted:
		return MaintenanceCompleted
	case EventMaintenanceCancelled:
		return MaintenanceCancelled
	}
	return MaintenanceScheduled
}

// Event reads a recorded event with what it is about.
func (s *Store) Event(ctx context.Context, id int64) (Event, error) {
	var ev Event
	var at, inc, upd, comp, maint int64
	err := s.r.QueryRowContext(ctx, `SELECT id, type, at, internal, coalesce(incident_id, 0), coalesce(update_id, 0),
		coalesce(component_id, 0), coalesce(maintenance_id, 0), old_status, new_status FROM webhook_events WHERE id = ?`, id).
		Scan(&ev.ID, &ev.Type, &at, &ev.Internal, &inc, &upd, &comp, &maint, &ev.Old, &ev.New)
	if errors.Is(err, sql.ErrNoRows) {
		return ev, &NotFoundError{fmt.Sprintf("event #%d", id)}
	}
	if err != nil {
		return ev, err
	}
	ev.At = fromMS(at)
	if inc != 0 {
		d, err := s.Incident(ctx, inc)
		if err != nil {
			return ev, err
		}
		d = incidentAsOf(d, upd)
		ev.Incident = &d
		if len(d.Updates) > 0 {
			ev.Update = &d.Updates[0]
		}
	}
	if maint != 0 {
		m, err := s.Maintenance(ctx, maint)
		if err != nil {
			return ev, err
		}
		m = maintenanceAsOf(m, ev)
		ev.Maintenance = &m
	}
	if comp != 0 {
		c, err := s.Component(ctx, comp)
		if errors.Is(err, ErrNotFound) {
			c = Component{ID: comp, Name: fmt.Sprintf("component #%d", comp), Status: ev.New, Effective: ev.New}
		} else if err != nil {
			return ev, err
		}
		ev.Component = &c
	}
	return ev, nil
}

// maintenanceAsOf is m as it stood at event ev: its timeline up to then, and not cancelled or
// finished before it was. What happened in the very millisecond of the event belongs to it
// only when it is what the event reports.
func maintenanceAsOf(m MaintenanceDetail, ev Event) MaintenanceDetail {
	state := ev.MaintenanceState()
	before := func(t time.Time, is bool) bool { return t.Before(ev.At) || (t.Equal(ev.At) && is) }
	// The entry the event's own write made, if any: the newest of its state at its time.
	var own int64
	for _, u := range m.Updates {
		if u.CreatedAt.Equal(ev.At) && u.Status == state && ev.Type != EventMaintenanceReminder && u.ID > own {
			own = u.ID
		}
	}
	var kept []MaintenanceUpdate
	for _, u := range m.Updates {
		if before(u.CreatedAt, u.ID <= own) {
			kept = append(kept, u)
		}
	}
	m.Updates = kept
	if !m.CancelledAt.IsZero() && !before(m.CancelledAt, state == MaintenanceCancelled) {
		m.CancelledAt, m.EndsAt = time.Time{}, m.PlannedEndsAt
	}
	if !m.FinishedAt.IsZero() && !before(m.FinishedAt, state == MaintenanceCompleted) {
		m.FinishedAt, m.EndsAt = time.Time{}, m.PlannedEndsAt
	}
	return m
}

// incidentAsOf is d as it stood right after update upd: its timeline up to that update, and
// the status, impacts (with the worst of each so far), lifted impacts and resolution that
// timeline gives.
func incidentAsOf(d IncidentDetail, upd int64) IncidentDetail {
	if upd == 0 {
		return d
	}
	var kept []Update
	for _, u := range d.Updates {
		if u.ID <= upd {
			kept = append(kept, u)
		}
	}
	if len(kept) == 0 {
		return d
	}
	d.Updates = kept
	impacts := map[int64]Impact{}
	var order []int64
	d.ResolvedAt = time.Time{}
	for i := len(kept) - 1; i >= 0; i-- {
		u := kept[i]
		for _, ch := range u.Changes {
			if _, seen := impacts[ch.ComponentID]; !seen {
				order = append(order, ch.ComponentID)
			}
			m := impacts[ch.ComponentID]
			m.ComponentID, m.ComponentName, m.Status = ch.ComponentID, ch.ComponentName, ch.New
			for _, st := range []Status{ch.Old, ch.New} {
				if st.Severity() > m.Worst.Severity() {
					m.Worst = st
				}
			}
			impacts[ch.ComponentID] = m
		}
		switch {
		case u.Status == Fixed && d.ResolvedAt.IsZero():
			d.ResolvedAt = u.CreatedAt
		case u.Status != Fixed:
			d.ResolvedAt = time.Time{}
		}
	}
	d.Impacts, d.Lifted = nil, nil
	for _, id := range order {
		switch m := impacts[id]; {
		case m.Status != "":
			d.Impacts = append(d.Impacts, m)
		case m.Worst != "":
			m.Status = m.Worst
			d.Lifted = append(d.Lifted, m)
		}
	}
	d.Status = kept[0].Status
	d.UpdatedAt = kept[0].CreatedAt
	return d
}

// Delivery is one event on its way to one endpoint.
type Delivery struct {
	ID          int64
	EndpointID  int64
	EndpointURL string
	EventID     int64
	EventType   EventType
	EventAt     time.Time
	IncidentID  int64
	MsgID       string // the webhook-id header, the same on every attempt
	State       string
	Attempts    int
	NextAt      time.Time
	LastAt      time.Time // zero before the first attempt
	LastStatus  int       // the HTTP status of the last answer, 0 when there was none
	LastAnswer  string    // what the last attempt got back, or why it got nothing
	DeliveredAt time.Time
	CreatedAt   time.Time // when its retry schedule started: its first attempt (the event's time before it), or a retry by hand
}

// DeliveryQuery picks deliveries; zero fields pick everything.
type DeliveryQuery struct {
	EndpointID int64
	IncidentID int64
	Failed     bool
	Limit      int // 100 when 0
}

const deliveryColumns = `d.id, d.endpoint_id, e.url, d.event_id, ev.type, ev.at, coalesce(ev.incident_id, 0),
	'msg_' || (SELECT salt FROM webhook_identity) || '_' || d.id,
	d.state, d.attempts, d.next_at, d.last_at, d.last_status, d.last_answer, d.delivered_at, CASE d.since WHEN 0 THEN ev.at ELSE d.since END`

const deliveryFrom = ` FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
	JOIN webhook_events ev ON ev.id = d.event_id `

func scanDelivery(row scanner) (Delivery, error) {
	var d Delivery
	var evAt, next, last, delivered, created int64
	err := row.Scan(&d.ID, &d.EndpointID, &d.EndpointURL, &d.EventID, &d.EventType, &evAt, &d.IncidentID, &d.MsgID,
		&d.State, &d.Attempts, &next, &last, &d.LastStatus, &d.LastAnswer, &delivered, &created)
	d.EventAt, d.CreatedAt = fromMS(evAt), fromMS(created)
	d.NextAt = d.CreatedAt
	if next != 0 {
		d.NextAt = fromMS(next)
	}
	if last != 0 {
		d.LastAt = fromMS(last)
	}
	if delivered != 0 {
		d.DeliveredAt = fromMS(delivered)
	}
	return d, err
}

// Deliveries lists deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, q DeliveryQuery) ([]Delivery, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	where := []string{"1"}
	var args []any
	if q.EndpointID != 0 {
		where = append(where, "d.endpoint_id = ?")
		args = append(args, q.EndpointID)
	}
	if q.IncidentID != 0 {
		// Through the incident's events and the delivery ranges they keep, not a scan.
		where = append(where, `d.id BETWEEN (SELECT min(first_delivery) FROM webhook_events WHERE incident_id = ?)
			AND (SELECT max(last_delivery) FROM webhook_events WHERE incident_id = ?) AND ev.incident_id = ?`)
		args = append(args, q.IncidentID, q.IncidentID, q.IncidentID)
	}
	if q.Failed {
		where = append(where, "d.state = 'failed'")
	}
	args = append(args, q.Limit)
	rows, err := s.r.QueryContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+`WHERE `+strings.Join(where, " AND ")+
		` ORDER BY d.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// NotificationSummary counts an incident's deliveries by state.
type NotificationSummary struct {
	Delivered, Pending, Failed int
	Retrying                   int // pending ones that already failed at least once
}

// Total is the number of deliveries counted.
func (n NotificationSummary) Total() int { return n.Delivered + n.Pending + n.Failed }

// IncidentNotifications counts the deliveries of an incident's events by state.
func (s *Store) IncidentNotifications(ctx context.Context, incidentID int64) (NotificationSummary, error) {
	var n NotificationSummary
	err := s.r.QueryRowContext(ctx, `SELECT
		coalesce(sum(d.state = 'delivered'), 0), coalesce(sum(d.state = 'pending'), 0),
		coalesce(sum(d.state = 'failed'), 0), coalesce(sum(d.state = 'pending' AND d.attempts > 0), 0)
		FROM webhook_events ev JOIN webhook_deliveries d ON d.id BETWEEN ev.first_delivery AND ev.last_delivery
		WHERE ev.incident_id = ?`, incidentID).
		Scan(&n.Delivered, &n.Pending, &n.Failed, &n.Retrying)
	return n, err
}

// RetryDelivery queues a failed (or pending) delivery for an attempt now, with a fresh
// schedule; an endpoint that a 410 disabled is enabled again.
func (s *Store) RetryDelivery(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var state string
		var endpoint int64
		err := tx.QueryRowContext(ctx, `SELECT state, endpoint_id FROM webhook_deliveries WHERE id = ?`, id).Scan(&state, &endpoint)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{fmt.Sprintf("delivery #%d", id)}
		}
		if err != nil {
			return err
		}
		if state == DeliveryDelivered {
			return &ConflictError{fmt.Sprintf("delivery #%d was already delivered", id)}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_at = ?, since = ?,
			lease_owner = '', lease_until = 0 WHERE id = ?`, ms(now), ms(now), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = '',
			done_through = min(done_through, ?) WHERE id = ?`, id-1, endpoint); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "webhook.retry", fmt.Sprintf("delivery #%d", id), fmt.Sprintf("webhook #%d", endpoint))
	})
}

// Claim is a delivery a sender holds until its lease ends: no other sender attempts it
// meanwhile.
type Claim struct {
	Delivery Delivery
	Endpoint Webhook
}

// quiet runs fn in a write transaction that announces nothing: the sender's bookkeeping is not
// a change to the status data, and must not make every console reload.
func (s *Store) quiet(ctx context.Context, fn func(tx *sql.Tx) error) error {
	w, err := s.writer()
	if err != nil {
		return err
	}
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// queue reads an endpoint's unfinished deliveries in order, from its done_through mark, and
// calls fn with each pending one until fn returns false.
func queue(ctx context.Context, tx *sql.Tx, endpoint, from int64, fn func(id, next, leaseUntil int64, owner string) bool) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, next_at, lease_until, lease_owner FROM webhook_deliveries
		WHERE id > ? AND endpoint_id = ? AND state = 'pending' ORDER BY id`, from, endpoint)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, next, until int64
		var owner string
		if err := rows.Scan(&id, &next, &until, &owner); err != nil {
			return err
		}
		if !fn(id, next, until, owner) {
			break
		}
	}
	return rows.Err()
}

// ClaimDeliveries leases, until now+lease, up to perEndpoint due deliveries of each enabled
// endpoint (of endpoint alone, when it is not 0) to owner. An endpoint's deliveries go out in
// order: only a run starting at its oldest pending delivery is claimed, and none while another
// sender holds that one. The claims come back grouped by endpoint, oldest first.
func (s *Store) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, perEndpoint int, endpoint int64) ([]Claim, error) {
	var ids []int64
	err := s.quiet(ctx, func(tx *sql.Tx) error {
		endpoints, err := enabledEndpoints(ctx, tx, endpoint)
		if err != nil {
			return err
		}
		for _, e := range endpoints {
			n := 0
			err := queue(ctx, tx, e.id, e.doneThrough, func(id, next, until int64, _ string) bool {
				if next > ms(now) || until > ms(now) {
					return false
				}
				ids = append(ids, id)
				n++
				return n < perEndpoint
			})
			if err != nil {
				return err
			}
		}
		return forEach(ctx, tx, `UPDATE webhook_deliveries SET lease_owner = ?, lease_until = ? WHERE id = ?`, ids,
			func(id int64) []any { return []any{owner, ms(now.Add(lease)), id} })
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+deliveryColumns+deliveryFrom+`WHERE d.id IN (?`+strings.Repeat(",?", len(ids)-1)+`)
		ORDER BY d.endpoint_id, d.id`, args...)
	if err != nil {
		return nil, err
	}
	var list []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	endpoints := map[int64]Webhook{}
	out := make([]Claim, 0, len(list))
	for _, d := range list {
		w, ok := endpoints[d.EndpointID]
		if !ok {
			if w, err = s.Webhook(ctx, d.EndpointID); err != nil {
				return nil, err
			}
			endpoints[d.EndpointID] = w
		}
		out = append(out, Claim{Delivery: d, Endpoint: w})
	}
	return out, nil
}

// DueEndpoints lists the enabled endpoints whose oldest pending delivery is due and unleased
// at now.
func (s *Store) DueEndpoints(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT e.id FROM webhook_endpoints e WHERE e.disabled_at IS NULL
		AND (SELECT max(d.next_at, d.lease_until) FROM webhook_deliveries d
		     WHERE d.id > e.done_through AND d.endpoint_id = e.id AND d.state = 'pending' ORDER BY d.id LIMIT 1) <= ?
		ORDER BY e.id`, ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// forEach runs one prepared statement for each id, with the arguments args gives.
func forEach(ctx context.Context, tx *sql.Tx, query string, ids []int64, args func(int64) []any) error {
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err := stmt.ExecContext(ctx, args(id)...); err != nil {
			return err
		}
	}
	return nil
}

type endpointMark struct{ id, doneThrough int64 }

func enabledEndpoints(ctx context.Context, tx *sql.Tx, only int64) ([]endpointMark, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, done_through FROM webhook_endpoints WHERE disabled_at IS NULL AND (?1 = 0 OR id = ?1) ORDER BY id`, only)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []endpointMark
	for rows.Next() {
		var e endpointMark
		if err := rows.Scan(&e.id, &e.doneThrough); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// advance moves an endpoint's done_through mark past the deliveries that are finished.
func advance(ctx context.Context, tx *sql.Tx, endpoint int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET done_through = coalesce(
		(SELECT min(d.id) - 1 FROM webhook_deliveries d WHERE d.id > webhook_endpoints.done_through
		 AND d.endpoint_id = webhook_endpoints.id AND d.state = 'pending'),
		(SELECT max(id) FROM webhook_deliveries), 0) WHERE id = ?`, endpoint)
	return err
}

// Outcome is what one attempt at a claimed delivery came to.
type Outcome struct {
	DeliveryID int64
	At         time.Time
	Status     int    // the HTTP status, 0 when no answer came
	Answer     string // what came back, or why nothing did
	Delivered  bool
	NextAt     time.Time // when to try again; ignored when Delivered or Failed
	Failed     bool      // no more attempts
	Gone       bool      // the endpoint answered 410 Gone: disable it
}

// maxAnswer is how much of an answer the outbox keeps.
const maxAnswer = 1024

// FinishDeliveries records the outcomes of attempts made under owner's leases and releases
// them. An outcome whose lease owner changed meanwhile (the lease ran out and another sender
// took the delivery) is dropped: that sender's attempt counts.
func (s *Store) FinishDeliveries(ctx context.Context, owner string, outcomes []Outcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	return s.quiet(ctx, func(tx *sql.Tx) error {
		touched := map[int64]bool{}
		record, err := tx.PrepareContext(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_at = ?, last_at = ?3,
			since = CASE since WHEN 0 THEN ?3 ELSE since END,
			last_status = ?, last_answer = ?, delivered_at = ?, lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ? AND state = 'pending' RETURNING endpoint_id`)
		if err != nil {
			return err
		}
		defer record.Close()
		for _, o := range outcomes {
			answer := o.Answer
			if len(answer) > maxAnswer {
				answer = strings.ToValidUTF8(answer[:maxAnswer], "")
			}
			state, next, delivered := DeliveryPending, ms(o.NextAt), int64(0)
			switch {
			case o.Delivered:
				state, delivered = DeliveryDelivered, ms(o.At)
			case o.Failed || o.Gone:
				state = DeliveryFailed
			}
			var endpoint int64
			err := record.QueryRowContext(ctx, state, next, ms(o.At), o.Status, answer, delivered, o.DeliveryID, owner).Scan(&endpoint)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return err
			}
			touched[endpoint] = true
			if !o.Gone {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET disabled_at = ?, disabled_reason = ? WHERE id = ?`,
				ms(o.At), "the receiver answered 410 Gone", endpoint); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'failed', lease_owner = '', lease_until = 0,
				last_answer = CASE WHEN attempts = 0 THEN 'not sent: the endpoint was disabled (410 Gone)' ELSE last_answer END
				WHERE id > (SELECT done_through FROM webhook_endpoints WHERE id = ?1) AND endpoint_id = ?1 AND state = 'pending'`,
				endpoint); err != nil {
				return err
			}
		}
		for endpoint := range touched {
			if err := advance(ctx, tx, endpoint); err != nil {
				return err
			}
		}
		return nil
	})
}

// ReleaseDeliveries gives back owner's leases on deliveries it did not attempt.
func (s *Store) ReleaseDeliveries(ctx context.Context, owner string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return s.quiet(ctx, func(tx *sql.Tx) error {
		return forEach(ctx, tx, `UPDATE webhook_deliveries SET lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ? AND state = 'pending'`, ids, func(id int64) []any { return []any{id, owner} })
	})
}

// NextDelivery is when the next delivery may be attempted: the earliest time at which the
// oldest pending delivery of an enabled endpoint is due and unleased; ok is false when none
// is pending.
func (s *Store) NextDelivery(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullInt64
	err = s.r.QueryRowContext(ctx, `SELECT min((SELECT max(d.next_at, d.lease_until) FROM webhook_deliveries d
			WHERE d.id > e.done_through AND d.endpoint_id = e.id AND d.state = 'pending' ORDER BY d.id LIMIT 1))
		FROM webhook_endpoints e WHERE e.disabled_at IS NULL`).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return fromMS(next.Int64), true, nil
}

// LeaseHolders lists the senders that hold unexpired leases at now.
func (s *Store) LeaseHolders(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT DISTINCT lease_owner FROM webhook_deliveries
		WHERE id > (SELECT coalesce(min(done_through), 0) FROM webhook_endpoints)
		AND state = 'pending' AND lease_until > ?`, ms(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// BreakLeases releases every lease owner holds: for a sender known to be dead, whose
// deliveries need not wait for its leases to run out.
func (s *Store) BreakLeases(ctx context.Context, owner string) error {
	return s.quiet(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET lease_owner = '', lease_until = 0
			WHERE id > (SELECT coalesce(min(done_through), 0) FROM webhook_endpoints)
			AND lease_owner = ? AND state = 'pending'`, owner)
		return err
	})
}
