package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/log"
	"github.com/spf13/cobra"

	"beacon/glance"
	"beacon/notify"
	"beacon/sanitize"
	"beacon/store"
)

func newWebhookCommand(a *app) *cobra.Command {
	return groupCommand("webhook", "Send signed webhooks when incidents, components and maintenance change",
		newWebhookAddCommand(a), newWebhookListCommand(a), newWebhookRemoveCommand(a), newWebhookTestCommand(a),
		newWebhookDeliveriesCommand(a), newWebhookRetryCommand(a), newWebhookRotateCommand(a), newWebhookDeliverCommand(a))
}

// parseWebhookID reads a webhook or delivery id as the lists print it, with or without '#'.
func parseWebhookID(what, list, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(s), "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, invalidError("%q is not a %s id; use the number '%s' shows", s, what, list)
	}
	return id, nil
}

func findWebhook(ctx context.Context, st *store.Store, arg string) (store.Webhook, error) {
	id, err := parseWebhookID("webhook", "beacon webhook list", arg)
	if err != nil {
		return store.Webhook{}, err
	}
	w, err := st.Webhook(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return w, invalidError("no webhook #%d; run 'beacon webhook list' to see the ids", id)
	}
	return w, err
}

// webhookJSON is an endpoint as `webhook list --json` prints it: never its secrets.
type webhookJSON struct {
	ID             int64    `json:"id"`
	URL            string   `json:"url"`
	Format         string   `json:"format"`
	Events         []string `json:"events"`
	Internal       bool     `json:"internal"`
	AllowPrivate   bool     `json:"allow_private"`
	Disabled       bool     `json:"disabled"`
	DisabledReason string   `json:"disabled_reason,omitempty"`
	RotatingUntil  *string  `json:"rotating_until"`
	CreatedAt      string   `json:"created_at"`
}

func newWebhookJSON(w store.Webhook, now time.Time) webhookJSON {
	out := webhookJSON{ID: w.ID, URL: w.URL, Format: w.Format, Events: w.Events, Internal: w.Internal,
		AllowPrivate: w.AllowPrivate, Disabled: w.Disabled(), DisabledReason: w.DisabledReason, CreatedAt: glance.Time(w.CreatedAt)}
	if len(w.Secrets(now)) > 1 {
		t := glance.Time(w.PrevSecretUntil)
		out.RotatingUntil = &t
	}
	return out
}

func newWebhookAddCommand(a *app) *cobra.Command {
	var format, events string
	var internal, allowPrivate, asJSON bool
	cmd := &cobra.Command{
		Use:   "add URL",
		Short: "Add an endpoint; prints its id and its signing secret (shown only this once)",
		Long: "Add an endpoint that receives a signed POST for every matching event.\n\n" +
			"Formats: statuspage (Statuspage's webhook bodies, the default), slack (a message for a Slack\n" +
			"incoming webhook), json (Beacon's own {type, at, data}). Events: a comma list of incident,\n" +
			"component and maintenance (default: all). Internal incidents and maintenance go only to\n" +
			"endpoints added with --internal. An address that resolves to a loopback, private,\n" +
			"link-local or metadata address is refused, now and at every connection, unless\n" +
			"--allow-private is given.",
		Example: "  beacon webhook add https://hooks.example.com/beacon\n" +
			"  beacon webhook add https://hooks.slack.com/services/T000/B000/XXXX --format slack --events incident\n" +
			"  beacon webhook add http://10.0.0.5:8080/hook --format json --internal --allow-private",
		Args: exactArgs("URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			u, err := store.CleanWebhookURL(args[0])
			if err != nil {
				return invalidError("%s", strings.TrimPrefix(err.Error(), "url: "))
			}
			kinds, err := store.ParseEventKinds(events)
			if err != nil {
				return invalidError("--events: %s", strings.TrimPrefix(err.Error(), "events: "))
			}
			switch format {
			case store.FormatStatuspage, store.FormatSlack, store.FormatJSON:
			default:
				return invalidError("--format: unknown format %q; use statuspage, slack or json", format)
			}
			if !allowPrivate {
				rctx, cancel := context.WithTimeout(ctx, notify.Timeout)
				err := notify.CheckHost(rctx, nil, u.Hostname())
				cancel()
				var pe *notify.PrivateAddressError
				if errors.As(err, &pe) {
					return invalidError("%v", err)
				}
				var dnsErr *net.DNSError
				if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
					return invalidError("%v; check the host name in the URL: it must resolve from this machine", err)
				}
				if err != nil {
					return fmt.Errorf("%v; the name could not be checked now: try again in a moment", err)
				}
			}
			secret, err := notify.NewSecret()
			if err != nil {
				return err
			}
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			w, err := st.AddWebhook(ctx, actor, store.NewWebhook{URL: u.String(), Format: format, Events: kinds,
				Internal: internal, AllowPrivate: allowPrivate, Secret: secret})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(out, struct {
					webhookJSON
					Secret string `json:"secret"`
				}{newWebhookJSON(w, time.Now()), w.Secret})
			}
			fmt.Fprintf(out, "Added webhook #%d: %s (%s; %s)\n", w.ID, sanitize.Line(w.URL), w.Format, audienceWords(w))
			fmt.Fprintf(out, "Signing secret (shown only now; the receiver checks webhook-signature with it):\n%s\n", w.Secret)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", store.FormatStatuspage, "body format: statuspage, slack or json")
	f.StringVar(&events, "events", strings.Join(store.EventKinds, ","), "comma list of event kinds: incident, component, maintenance")
	f.BoolVar(&internal, "internal", false, "also send internal incidents and maintenance (for responders' tools only)")
	f.BoolVar(&allowPrivate, "allow-private", false, "allow an address on loopback, a private network or link-local")
	jsonFlag(cmd, &asJSON, "print the endpoint and its secret as JSON")
	return cmd
}

func audienceWords(w store.Webhook) string {
	who := "public events"
	if w.Internal {
		who = "public and internal events"
	}
	return strings.Join(w.Events, ", ") + "; " + who
}

func newWebhookListCommand(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List endpoints (never their secrets)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			list, err := st.Webhooks(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			now := time.Now()
			if asJSON {
				js := make([]webhookJSON, len(list))
				for i, w := range list {
					js[i] = newWebhookJSON(w, now)
				}
				return writeJSON(out, js)
			}
			if len(list) == 0 {
				fmt.Fprintln(out, "No webhooks yet; add one with 'beacon webhook add URL'.")
				return nil
			}
			t := newTable(out, "ID", "URL", "FORMAT", "EVENTS", "STATE")
			for _, w := range list {
				state := "enabled"
				switch {
				case w.Disabled():
					state = "disabled: " + w.DisabledReason
				case len(w.Secrets(now)) > 1:
					state = "enabled; old secret signs until " + localTime(w.PrevSecretUntil)
				}
				events := strings.Join(w.Events, ",")
				if w.Internal {
					events += " +internal"
				}
				if w.AllowPrivate {
					state += "; private addresses allowed"
				}
				t.row(fmt.Sprintf("#%d", w.ID), sanitize.Line(w.URL), w.Format, events, sanitize.Line(state))
			}
			return t.flush()
		},
	}
	jsonFlag(cmd, &asJSON, "print the endpoints as JSON")
	return cmd
}

func newWebhookRemoveCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "remove ID",
		Short: "Remove an endpoint and its pending deliveries",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			w, err := findWebhook(ctx, st, args[0])
			if err != nil {
				return err
			}
			if err := st.RemoveWebhook(ctx, actor, w.ID); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Removed webhook #%d.\n", w.ID)
			return nil
		},
	}
}

func newWebhookTestCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "test ID",
		Short: "Send a test event to an endpoint now and print its answer",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			w, err := findWebhook(ctx, st, args[0])
			if err != nil {
				return err
			}
			s := &notify.Sender{Store: st}
			status, answer := s.SendTest(ctx, w)
			fmt.Fprintf(cmd.OutOrStdout(), "webhook #%d answered: %s\n", w.ID, sanitize.Line(oneLineAnswer(answer)))
			if status < 200 || status >= 300 {
				return withCode(exitRuntime, nil)
			}
			return nil
		},
	}
}

// oneLineAnswer is an answer as a list shows it: one line, at most 300 characters.
func oneLineAnswer(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 300 {
		s = string(r[:299]) + "…"
	}
	return s
}

// deliveryJSON is a delivery as `webhook deliveries --json` prints it.
type deliveryJSON struct {
	ID          int64   `json:"id"`
	WebhookID   int64   `json:"webhook_id"`
	EventID     int64   `json:"event_id"`
	EventType   string  `json:"event_type"`
	IncidentID  *int64  `json:"incident_id"`
	MsgID       string  `json:"webhook_message_id"`
	State       string  `json:"state"`
	Attempts    int     `json:"attempts"`
	NextAt      *string `json:"next_attempt_at"`
	LastAt      *string `json:"last_attempt_at"`
	LastStatus  int     `json:"last_status"`
	LastAnswer  string  `json:"last_answer"`
	DeliveredAt *string `json:"delivered_at"`
	CreatedAt   string  `json:"created_at"`
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := glance.Time(t)
	return &s
}

func newWebhookDeliveriesCommand(a *app) *cobra.Command {
	var endpoint string
	var failed, asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "deliveries",
		Short: "List deliveries, newest first, with their last answer",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if limit < 1 {
				return invalidError("--limit must be at least 1, got %d", limit)
			}
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			q := store.DeliveryQuery{Failed: failed, Limit: limit}
			if endpoint != "" {
				w, err := findWebhook(ctx, st, endpoint)
				if err != nil {
					return err
				}
				q.EndpointID = w.ID
			}
			list, err := st.Deliveries(ctx, q)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				js := make([]deliveryJSON, len(list))
				for i, d := range list {
					js[i] = deliveryJSON{ID: d.ID, WebhookID: d.EndpointID, EventID: d.EventID, EventType: string(d.EventType),
						MsgID: d.MsgID, State: d.State, Attempts: d.Attempts, LastAt: optTime(d.LastAt), LastStatus: d.LastStatus,
						LastAnswer: d.LastAnswer, DeliveredAt: optTime(d.DeliveredAt), CreatedAt: glance.Time(d.CreatedAt)}
					if d.IncidentID != 0 {
						id := d.IncidentID
						js[i].IncidentID = &id
					}
					if d.State == store.DeliveryPending {
						js[i].NextAt = optTime(d.NextAt)
					}
				}
				return writeJSON(out, js)
			}
			if len(list) == 0 {
				if failed {
					fmt.Fprintln(out, "No failed deliveries.")
				} else {
					fmt.Fprintln(out, "No deliveries yet.")
				}
				return nil
			}
			s := a.styles(out)
			t := newTable(out, "ID", "WEBHOOK", "EVENT", "STATE", "TRIES", "LAST ANSWER")
			for _, d := range list {
				state := d.State
				switch d.State {
				case store.DeliveryPending:
					if d.Attempts > 0 {
						state = "retrying " + localTime(d.NextAt)
					}
				case store.DeliveryFailed:
					state = s.Error.Render(state)
				}
				event := string(d.EventType)
				if d.IncidentID != 0 {
					event += fmt.Sprintf(" #%d", d.IncidentID)
				}
				t.row(fmt.Sprintf("#%d", d.ID), fmt.Sprintf("#%d", d.EndpointID), event, state, strconv.Itoa(d.Attempts),
					sanitize.Line(oneLineAnswer(d.LastAnswer)))
			}
			return t.flush()
		},
	}
	f := cmd.Flags()
	f.StringVar(&endpoint, "endpoint", "", "only this webhook's deliveries (its id)")
	f.BoolVar(&failed, "failed", false, "only deliveries that gave up")
	jsonFlag(cmd, &asJSON, "print the deliveries as JSON")
	f.IntVar(&limit, "limit", 100, "at most this many")
	return cmd
}

func newWebhookRetryCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "retry DELIVERY_ID",
		Short: "Queue a failed delivery again, now (re-enabling its endpoint if a 410 disabled it)",
		Args:  exactArgs("DELIVERY_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseWebhookID("delivery", "beacon webhook deliveries", args[0])
			if err != nil {
				return err
			}
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			err = st.RetryDelivery(ctx, actor, id)
			if errors.Is(err, store.ErrNotFound) {
				return invalidError("no delivery #%d; run 'beacon webhook deliveries' to see the ids", id)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Delivery #%d queued; a running sender ('beacon serve' or 'beacon webhook deliver') sends it.\n", id)
			return nil
		},
	}
}

func newWebhookRotateCommand(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "rotate-secret ID",
		Short: "Give an endpoint a new signing secret; the old one also signs for 24 hours",
		Args:  exactArgs("ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, actor, err := a.writer(ctx)
			if err != nil {
				return err
			}
			w, err := findWebhook(ctx, st, args[0])
			if err != nil {
				return err
			}
			secret, err := notify.NewSecret()
			if err != nil {
				return err
			}
			if err := st.RotateWebhookSecret(ctx, actor, w.ID, secret); err != nil {
				return err
			}
			w, err = st.Webhook(ctx, w.ID)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "New signing secret for webhook #%d (shown only now):\n%s\n", w.ID, secret)
			fmt.Fprintf(out, "Until %s deliveries carry signatures by both secrets; switch the receiver before then.\n", localTime(w.PrevSecretUntil))
			return nil
		},
	}
}

func newWebhookDeliverCommand(a *app) *cobra.Command {
	var once bool
	cmd := &cobra.Command{
		Use:   "deliver",
		Short: "Run the webhook sender without the server (until interrupted, or --once)",
		Long: "Send the deliveries that are due, and keep sending as events come, until interrupted.\n" +
			"'beacon serve' runs the same sender; use this on a machine with no server (from cron or a\n" +
			"systemd timer with --once). Several senders may run at once: each delivery goes out once\n" +
			"at a time.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			st, err := a.store(ctx)
			if err != nil {
				return err
			}
			logger := log.NewWithOptions(cmd.ErrOrStderr(), log.Options{ReportTimestamp: true, TimeFormat: "2006-01-02 15:04:05.000"})
			ids, err := notify.PublicIDs(ctx, st)
			if err != nil {
				return err
			}
			s := &notify.Sender{Store: st, IDs: ids, Logger: logger}
			if !once {
				return s.Run(ctx)
			}
			n, err := s.Drain(ctx)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Made %d delivery attempt(s); nothing else is due now.\n", n)
			return nil
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "send what is due now, then exit")
	return cmd
}
