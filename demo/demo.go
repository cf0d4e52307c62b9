// Package demo builds Beacon's data sets: realistic demo data for a first look at the console,
// and the scale data set (thousands of components, a hundred thousand incidents) that the
// benchmarks and `beacon demo --scale` use.
package demo

import (
	"context"
	"fmt"
	"time"

	"beacon/store"
)

type demoGroup struct {
	name       string
	collapse   store.Collapse
	components []demoComponent
}

type demoComponent struct {
	name, description string
}

// demoGroups is the demo's catalogue, in display order.
var demoGroups = []demoGroup{
	{"Web", store.Expanded, []demoComponent{
		{"Website", "The marketing site and documentation."},
		{"Customer dashboard", "The web app where customers manage their account."},
		{"CDN", "Static assets and cached pages, served from 40 edge locations."},
	}},
	{"API", store.Expanded, []demoComponent{
		{"Public API", "The REST API at /v1, used by integrations and the mobile apps."},
		{"Checkout API", "Orders, payments and refunds."},
		{"Auth service", "Sign-in, single sign-on and API tokens."},
		{"Webhooks", "Event deliveries to customers' endpoints."},
	}},
	{"Data", store.CollapsedUnlessIssues, []demoComponent{
		{"Postgres primary", "The primary database; every write goes through it."},
		{"Redis cache", "Sessions, rate limits and hot reads."},
		{"Search", "Full-text search over products and orders."},
	}},
	{"Infrastructure", store.CollapsedUnlessIssues, []demoComponent{
		{"DNS", "Authoritative DNS for every public hostname."},
		{"Email delivery", "Receipts, password resets and notifications."},
		{"Background jobs", "Queues and workers for exports, imports and retries."},
	}},
}

// The demo's own-status change: one component under maintenance, set by hand.
const (
	maintained      = "Search"
	maintainedSince = 50 * time.Minute
	demoSpan        = 100 * 24 * time.Hour // the components' age: their history starts then
)

type demoImpact struct {
	component string
	status    store.Status
}

type demoUpdate struct {
	after   time.Duration // since the incident began
	status  store.IncidentStatus
	author  string
	message string
}

type demoIncident struct {
	ago        time.Duration // when it began, before now
	title      string
	visibility store.Visibility
	impacts    []demoImpact
	updates    []demoUpdate
}

const day = 24 * time.Hour

// demoIncidents is the demo's timeline, oldest first; the last one is still open.
var demoIncidents = []demoIncident{
	{
		ago: 83*day + 7*time.Hour, title: "DNS resolution failures for api.example.com",
		impacts: []demoImpact{{"DNS", store.MajorOutage}, {"Public API", store.PartialOutage}},
		updates: []demoUpdate{
			{0, store.Investigating, "Mei Chen", "Some clients cannot resolve `api.example.com` and get `NXDOMAIN`. We are investigating."},
			{14 * time.Minute, store.Identified, "Mei Chen", "A zone change removed the **A records** for `api.example.com` at one of our two DNS providers. We are restoring them."},
			{31 * time.Minute, store.Watching, "Sam Okafor", "The records are back at both providers. Resolvers that cached the bad answer recover as the 5-minute TTL expires. We are watching."},
			{52 * time.Minute, store.Fixed, "Sam Okafor", "Resolution has been correct everywhere for 20 minutes. **This is fixed.**\n\nFollow-up:\n- zone changes now go through review\n- a check now alerts when a provider's answer differs from the other's"},
		},
	},
	{
		ago: 61*day + 3*time.Hour, title: "Delayed webhook deliveries",
		impacts: []demoImpact{{"Webhooks", store.PerformanceIssues}, {"Background jobs", store.PerformanceIssues}},
		updates: []demoUpdate{
			{0, store.Investigating, "Amara Nwosu", "Webhook deliveries are running up to **15 minutes** late. No events are lost; we are looking into it."},
			{20 * time.Minute, store.Identified, "Amara Nwosu", "A customer endpoint that times out after 30 s is holding most delivery workers. We are capping per-endpoint concurrency."},
			{55 * time.Minute, store.Watching, "Jonas Weber", "The cap is deployed and the backlog is draining: about 4,000 deliveries left. Watching."},
			{100 * time.Minute, store.Identified, "Jonas Weber", "**Not fixed yet.** The backlog stopped shrinking: retries of the failed deliveries are filling the queue again. We are moving retries to their own queue."},
			{150 * time.Minute, store.Watching, "Jonas Weber", "Retries now run on a separate queue with their own workers. New deliveries are on time again; the retry backlog is draining."},
			{190 * time.Minute, store.Fixed, "Amara Nwosu", "All delayed deliveries were made and new ones arrive within seconds. **Fixed.** Each delivery's `X-Beacon-Attempt` header tells you whether it was a retry."},
		},
	},
	{
		ago: 44*day + 9*time.Hour, title: "Sign-in failures for single sign-on users",
		impacts: []demoImpact{{"Auth service", store.PartialOutage}, {"Customer dashboard", store.PartialOutage}},
		updates: []demoUpdate{
			{0, store.Investigating, "Priya Raman", "Customers who sign in with **single sign-on** get `invalid_signature` errors. Password sign-in works."},
			{25 * time.Minute, store.Identified, "Priya Raman", "Our SAML signing certificate was rotated early by an automated job, before customers' identity providers had the new one. We are switching back to the previous certificate."},
			{48 * time.Minute, store.Watching, "Tomás Álvarez", "The previous certificate is back in use and SSO sign-ins succeed again. We are watching the error rate."},
			{80 * time.Minute, store.Fixed, "Tomás Álvarez", "No SSO failures for 30 minutes. **This is fixed.** The rotation job now waits for the announced date."},
		},
	},
	{
		ago: 29*day + 2*time.Hour, title: "Slow search results",
		impacts: []demoImpact{{"Search", store.PerformanceIssues}},
		updates: []demoUpdate{
			{0, store.Investigating, "Mei Chen", "Search queries take 3–5 s instead of the usual 200 ms. Results are correct, just slow."},
			{35 * time.Minute, store.Identified, "Mei Chen", "One search node ran out of disk and its shards are being moved to the others, which slows every query. We are adding capacity."},
			{70 * time.Minute, store.Watching, "Sam Okafor", "Two nodes were added and the shards are balanced again. Latency is back under 300 ms; watching."},
			{125 * time.Minute, store.Fixed, "Sam Okafor", "Search latency has been normal for an hour. **Fixed.** Disk alerts now fire at 75% instead of 90%."},
		},
	},
	{
		ago: 17*day + 5*time.Hour, title: "Stale pages served from the CDN in Europe",
		impacts: []demoImpact{{"CDN", store.PartialOutage}, {"Website", store.PerformanceIssues}},
		updates: []demoUpdate{
			{0, store.Investigating, "Jonas Weber", "Visitors in Europe see an **outdated version** of the website and some pages miss their styles."},
			{18 * time.Minute, store.Identified, "Jonas Weber", "A purge request failed at the European edge locations, which kept serving the old `app.css`. We are purging again, by hand."},
			{33 * time.Minute, store.Watching, "Priya Raman", "The purge went through everywhere and pages load correctly. Watching for stragglers."},
			{55 * time.Minute, store.Fixed, "Priya Raman", "Every edge location serves the current pages. **Fixed.** Deploys now check that a purge succeeded before finishing."},
		},
	},
	{
		ago: 9*day + 11*time.Hour, title: "Password reset emails delayed",
		impacts: []demoImpact{{"Email delivery", store.PerformanceIssues}},
		updates: []demoUpdate{
			{0, store.Investigating, "Tomás Álvarez", "Password reset and receipt emails arrive **10–20 minutes** late."},
			{22 * time.Minute, store.Identified, "Tomás Álvarez", "Our email provider is throttling us after a spike of bounces from one customer's import. We asked them to lift the limit."},
			{50 * time.Minute, store.Watching, "Amara Nwosu", "The limit was lifted and the queue is draining. Watching."},
			{65 * time.Minute, store.Identified, "Amara Nwosu", "**Not fixed yet:** throttling started again. We paused the import that caused the bounces and are working with the provider."},
			{95 * time.Minute, store.Watching, "Amara Nwosu", "With the import paused, emails go out within a minute. Watching."},
			{130 * time.Minute, store.Fixed, "Tomás Álvarez", "Emails have been on time for half an hour. **Fixed.** Imports now drop addresses that bounced before."},
		},
	},
	{
		ago: 6*day + 4*time.Hour, title: "Redis cache failover", visibility: store.Internal,
		impacts: []demoImpact{{"Redis cache", store.PartialOutage}},
		updates: []demoUpdate{
			{0, store.Investigating, "Sam Okafor", "The Redis primary stopped answering; the replica is being promoted. Expect some sessions to be signed out."},
			{9 * time.Minute, store.Identified, "Sam Okafor", "The primary's host failed a hardware check. Failover to the replica is done; a new replica is syncing."},
			{17 * time.Minute, store.Watching, "Mei Chen", "The new replica is in sync. Watching memory and latency."},
			{26 * time.Minute, store.Fixed, "Mei Chen", "Both nodes are healthy. **Fixed.** The failed host was returned to the provider."},
		},
	},
	{
		ago: 2*day + 6*time.Hour, title: "Checkout timeouts during a deploy",
		impacts: []demoImpact{{"Checkout API", store.MajorOutage}},
		updates: []demoUpdate{
			{0, store.Investigating, "Priya Raman", "Checkout requests time out. We are looking into it **now**."},
			{6 * time.Minute, store.Identified, "Priya Raman", "A deploy started the new version before its database migration finished. We are rolling it back."},
			{11 * time.Minute, store.Watching, "Jonas Weber", "The rollback is done and checkouts succeed again. Watching."},
			{18 * time.Minute, store.Fixed, "Jonas Weber", "Checkout has been healthy since the rollback. **Fixed.** Failed checkouts were not charged; customers can simply retry."},
		},
	},
	{
		ago: 38 * time.Minute, title: "Elevated error rates on checkout",
		impacts: []demoImpact{{"Checkout API", store.PartialOutage}, {"Postgres primary", store.PerformanceIssues}},
		updates: []demoUpdate{
			{0, store.Investigating, "Priya Raman", "About **8% of checkout requests** fail with `503 Service Unavailable`.\n\n" +
				"What we know so far:\n- card payments are affected; saved wallets work\n- browsing and the cart are not affected\n\nNext update within 30 minutes."},
			{23 * time.Minute, store.Identified, "Jonas Weber", "**Cause identified.** A query added in this morning's release (`orders_by_customer`) scans the whole " +
				"`orders` table and holds connections on the **Postgres primary**, so checkout runs out of database connections.\n\n" +
				"What we are doing:\n1. rolling back release `v412` (in progress)\n2. raising the checkout pool from `40` to `80` connections meanwhile\n\n" +
				"Retrying a failed payment is safe: no order is charged twice."},
		},
	},
}

// Target is where demo data goes: the store, or a console's view of it.
type Target interface {
	Load(ctx context.Context, actor store.Actor, what string, fn func(*store.Loader) error) error
}

// Fill writes the demo into an empty database: four groups, thirteen components, incidents
// over the last 90 days with their whole timelines and the status history they caused, one
// incident still open, one component under maintenance and one maintenance window scheduled.
// It refuses a database that already holds data, with the store's error.
func Fill(ctx context.Context, st Target, actor store.Actor, now time.Time) error {
	now = now.UTC()
	return st.Load(ctx, actor, "demo data", func(l *store.Loader) error {
		l.Since(now.Add(-demoSpan))
		var ids []int64
		var own []store.Status
		index := map[string]int{}
		for gpos, g := range demoGroups {
			gid, err := l.Group(g.name, gpos+1, g.collapse)
			if err != nil {
				return err
			}
			for cpos, c := range g.components {
				status := store.Operational
				if c.name == maintained {
					status = store.UnderMaintenance
				}
				// History starts every component operational; the maintenance begins later.
				id, err := l.Component(gid, cpos+1, c.name, c.description, status)
				if err != nil {
					return err
				}
				index[c.name] = len(ids)
				ids = append(ids, id)
				own = append(own, store.Operational)
			}
		}
		h := newHistory(l, ids, own)
		// The maintenance is replayed in its place among the incidents, which come oldest first.
		maintenance := now.Add(-maintainedSince)
		startMaintenance := func(before time.Time) error {
			if h.own[index[maintained]] == store.UnderMaintenance || !before.After(maintenance) {
				return nil
			}
			return h.setOwn(index[maintained], maintenance, store.UnderMaintenance)
		}
		for _, d := range demoIncidents {
			start := now.Add(-d.ago)
			if err := startMaintenance(start); err != nil {
				return err
			}
			in := store.HistoricIncident{Title: d.title, Visibility: store.Public}
			if d.visibility != "" {
				in.Visibility = d.visibility
			}
			var impacts []impact
			for _, m := range d.impacts {
				c, ok := index[m.component]
				if !ok {
					return fmt.Errorf("demo: incident %q names unknown component %q", d.title, m.component)
				}
				in.Impacts = append(in.Impacts, store.SetImpact{ComponentID: ids[c], Status: m.status})
				impacts = append(impacts, impact{c, m.status})
			}
			for _, u := range d.updates {
				in.Updates = append(in.Updates, store.HistoricUpdate{Status: u.status, Message: u.message, Author: u.author, At: start.Add(u.after)})
			}
			id, updates, err := l.Incident(in)
			if err != nil {
				return err
			}
			last := in.Updates[len(in.Updates)-1]
			if err := h.open(id, in.Visibility, updates, start, impacts, last.Status == store.Fixed, last.At); err != nil {
				return err
			}
		}
		if err := startMaintenance(now); err != nil {
			return err
		}
		if err := h.finish(); err != nil {
			return err
		}
		// A window announced ahead, so that the maintenance view and the site's scheduled
		// maintenance have something to show: the night after next, 02:00–03:00 UTC.
		starts := now.Truncate(24 * time.Hour).Add(2*24*time.Hour + 2*time.Hour)
		_, err := l.Maintenance(store.HistoricMaintenance{
			Title:    "Postgres minor version upgrade",
			StartsAt: starts, EndsAt: starts.Add(time.Hour),
			Components: []int64{ids[index["Postgres primary"]]},
			Message: "We upgrade the primary database to the next minor version. Writes may pause for up to a " +
				"minute while it restarts; reads go on from the replica.",
			Author: "Mei Chen",
		}, now)
		return err
	})
}
