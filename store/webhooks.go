package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Webhook formats: the body an endpoint receives.
const (
	FormatStatuspage = "statuspage" // Statuspage's webhook bodies
	FormatSlack      = "slack"      // a Slack incoming-webhook message
	FormatJSON       = "json"       // Beacon's own event: {type, at, data}
)

// WebhookFormats lists the formats, the default first.
var WebhookFormats = []string{FormatStatuspage, FormatSlack, FormatJSON}

// Event kinds an endpoint may ask for.
const (
	KindIncident    = "incident"
	KindComponent   = "component"
	KindMaintenance = "maintenance"
)

// EventKinds lists every event kind.
var EventKinds = []string{KindIncident, KindComponent, KindMaintenance}

// Webhook is an endpoint that receives events. Secret and PrevSecret sign its deliveries;
// PrevSecret signs too until PrevSecretUntil, so a receiver can switch after a rotation.
type Webhook struct {
	ID              int64
	URL             string
	Format          string
	Events          []string
	Internal        bool // also receives internal incidents and maintenance
	AllowPrivate    bool // may resolve to loopback, private, link-local or metadata addresses
	Secret          string
	PrevSecret      string
	PrevSecretUntil time.Time
	DisabledAt      time.Time // zero while enabled
	DisabledReason  string
	CreatedAt       time.Time
}

// Disabled reports whether the endpoint no longer receives deliveries.
func (w Webhook) Disabled() bool { return !w.DisabledAt.IsZero() }

// Secrets are the secrets that sign a delivery sent at now: the current one, and the
// previous one while a rotation lasts.
func (w Webhook) Secrets(now time.Time) []string {
	out := []string{w.Secret}
	if w.PrevSecret != "" && now.Before(w.PrevSecretUntil) {
		out = append(out, w.PrevSecret)
	}
	return out
}

// Wants reports whether the endpoint asked for events of kind.
func (w Webhook) Wants(kind string) bool {
	for _, k := range w.Events {
		if k == kind {
			return true
		}
	}
	return false
}

// NewWebhook is what AddWebhook needs. The caller checks the address (its resolution is not
// the store's business) and makes the secret.
type NewWebhook struct {
	URL          string
	Format       string   // statuspage when empty
	Events       []string // every kind when empty
	Internal     bool
	AllowPrivate bool
	Secret       string
}

// SecretOverlap is how long the previous secret keeps signing after a rotation.
const SecretOverlap = 24 * time.Hour

// ParseEventKinds reads a comma list of event kinds; empty means every kind.
func ParseEventKinds(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return append([]string(nil), EventKinds...), nil
	}
	seen := map[string]bool{}
	var out []string
	for _, k := range strings.Split(list, ",") {
		k = strings.ToLower(strings.TrimSpace(k))
		if k == "" {
			continue
		}
		if k != KindIncident && k != KindComponent && k != KindMaintenance {
			return nil, invalid("events", "unknown event kind %q; use a comma list of incident, component, maintenance", k)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, invalid("events", "no event kinds given; use a comma list of incident, component, maintenance")
	}
	return out, nil
}

// CleanWebhookURL checks that raw is an absolute http or https URL with a host and returns
// it parsed.
func CleanWebhookURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, invalid("url", "no URL given")
	}
	if len(raw) > 2048 {
		return nil, invalid("url", "URL is longer than 2048 characters")
	}
	for _, r := range raw {
		if r <= ' ' || r == 0x7f || isControl(r) {
			return nil, invalid("url", "URL holds a space or control character; encode it")
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, invalid("url", "%q is not a URL: %v", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, invalid("url", "%q is not an http or https URL; webhooks are POSTed over HTTP(S)", raw)
	}
	if u.Hostname() == "" {
		return nil, invalid("url", "%q has no host", raw)
	}
	if u.User != nil {
		return nil, invalid("url", "%q holds a user name or password; put credentials in the path or a query instead", raw)
	}
	return u, nil
}

// AddWebhook records an endpoint; from now on matching events make deliveries for it.
func (s *Store) AddWebhook(ctx context.Context, actor Actor, in NewWebhook) (Webhook, error) {
	u, err := CleanWebhookURL(in.URL)
	if err != nil {
		return Webhook{}, err
	}
	if in.Format == "" {
		in.Format = FormatStatuspage
	}
	switch in.Format {
	case FormatStatuspage, FormatSlack, FormatJSON:
	default:
		return Webhook{}, invalid("format", "unknown format %q; use statuspage, slack or json", in.Format)
	}
	if len(in.Events) == 0 {
		in.Events = EventKinds
	}
	events, err := ParseEventKinds(strings.Join(in.Events, ","))
	if err != nil {
		return Webhook{}, err
	}
	if !strings.HasPrefix(in.Secret, "whsec_") {
		return Webhook{}, invalid("secret", "a signing secret starts with whsec_")
	}
	var id int64
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO webhook_endpoints (url, format, events, internal, allow_private, secret, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.String(), in.Format, strings.Join(events, ","), in.Internal, in.AllowPrivate, in.Secret, ms(now))
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		return audit(ctx, tx, now, actor, "webhook.add", fmt.Sprintf("webhook #%d", id), u.Scheme+"://"+u.Host)
	})
	if err != nil {
		return Webhook{}, err
	}
	return s.Webhook(ctx, id)
}

const webhookColumns = `id, url, format, events, internal, allow_private, secret, prev_secret, prev_secret_until,
	coalesce(disabled_at, 0), disabled_reason, created_at`

func scanWebhook(row scanner) (Webhook, error) {
	var w Webhook
	var events string
	var until, disabled, created int64
	err := row.Scan(&w.ID, &w.URL, &w.Format, &events, &w.Internal, &w.AllowPrivate, &w.Secret, &w.PrevSecret, &until,
		&disabled, &w.DisabledReason, &created)
	w.Events = strings.Split(events, ",")
	if until != 0 {
		w.PrevSecretUntil = fromMS(until)
	}
	if disabled != 0 {
		w.DisabledAt = fromMS(disabled)
	}
	w.CreatedAt = fromMS(created)
	return w, err
}

// Webhook reads one endpoint, secrets included.
func (s *Store) Webhook(ctx context.Context, id int64) (Webhook, error) {
	w, err := scanWebhook(s.r.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhook_endpoints WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return w, &NotFoundError{fmt.Sprintf("webhook #%d", id)}
	}
	return w, err
}

// Webhooks lists every endpoint, oldest first, secrets included.
func (s *Store) Webhooks(ctx context.Context) ([]Webhook, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhook_endpoints ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// RemoveWebhook deletes an endpoint and its deliveries, pending ones included.
func (s *Store) RemoveWebhook(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM webhook_endpoints WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{fmt.Sprintf("webhook #%d", id)}
		}
		return audit(ctx, tx, now, actor, "webhook.remove", fmt.Sprintf("webhook #%d", id), "")
	})
}

// RotateWebhookSecret makes secret the endpoint's signing secret; the one it replaces keeps
// signing too for SecretOverlap.
func (s *Store) RotateWebhookSecret(ctx context.Context, actor Actor, id int64, secret string) error {
	if !strings.HasPrefix(secret, "whsec_") {
		return invalid("secret", "a signing secret starts with whsec_")
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `UPDATE webhook_endpoints SET prev_secret = secret, prev_secret_until = ?, secret = ? WHERE id = ?`,
			ms(now.Add(SecretOverlap)), secret, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &NotFoundError{fmt.Sprintf("webhook #%d", id)}
		}
		return audit(ctx, tx, now, actor, "webhook.rotate-secret", fmt.Sprintf("webhook #%d", id), "")
	})
}
