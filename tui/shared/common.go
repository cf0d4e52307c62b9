package shared

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"beacon/store"
	"beacon/theme"
)

// Common is what every view of one session shares: its context, where it reads and writes,
// who it is, its styles, its clock and its size. One Common value per session; nothing
// per-user lives in a package variable.
type Common struct {
	Ctx context.Context
	// Reader is every read the session makes: the store, or the server's shared snapshots,
	// wrapped once with store.PublicOnly for a viewer who sees only what the public sees.
	Reader store.Reader
	// Writer is where the session's writes and drafts go.
	Writer Writer
	// Notifications is where the console reads whether an incident's webhooks went out; nil
	// for the public, who are not shown them.
	Notifications Notifications
	Actor         store.Actor // Actor.ReadOnly: a viewer, who is offered no writes
	Styles        *theme.Styles
	Now           func() time.Time // the clock; fixed in tests so views are golden
	Width         int
	Height        int
}

// Writer is every write the console makes, and the drafts a responder keeps while writing.
// The store implements it; it refuses a read-only actor's writes, which are never offered.
type Writer interface {
	AddComponent(ctx context.Context, actor store.Actor, in store.NewComponent) (store.Component, error)
	RemoveComponent(ctx context.Context, actor store.Actor, id int64) error
	EditComponent(ctx context.Context, actor store.Actor, id int64, in store.ComponentEdit) error
	CreateGroup(ctx context.Context, actor store.Actor, in store.NewGroup) (store.Group, error)
	EditGroup(ctx context.Context, actor store.Actor, id int64, in store.GroupEdit) error
	RemoveGroup(ctx context.Context, actor store.Actor, id int64) error
	MoveComponent(ctx context.Context, actor store.Actor, id, groupID int64, position int) error
	MoveGroup(ctx context.Context, actor store.Actor, id int64, position int) error
	SetComponentStatus(ctx context.Context, actor store.Actor, id int64, status store.Status) error
	OpenIncident(ctx context.Context, actor store.Actor, in store.NewIncident) (store.IncidentDetail, error)
	PostUpdate(ctx context.Context, actor store.Actor, incidentID int64, in store.NewUpdate) (store.Update, error)
	AddMaintenance(ctx context.Context, actor store.Actor, in store.NewMaintenance) (store.MaintenanceDetail, error)
	PostMaintenanceUpdate(ctx context.Context, actor store.Actor, id int64, message string) (store.MaintenanceUpdate, error)
	FinishMaintenance(ctx context.Context, actor store.Actor, id int64, message string) error
	CancelMaintenance(ctx context.Context, actor store.Actor, id int64, message string) error
	// Load writes many rows in one transaction: how demo data goes in.
	Load(ctx context.Context, actor store.Actor, what string, fn func(*store.Loader) error) error

	SaveDraft(ctx context.Context, actor store.Actor, target string, state []byte) error
	LoadDraft(ctx context.Context, actor store.Actor, target string) (d store.Draft, ok bool, err error)
	DeleteDraft(ctx context.Context, actor store.Actor, target string) error

	// Path is the database file's path, shown where a first-time user may want to know it.
	Path() string
}

var _ Writer = (*store.Store)(nil)

// Notifications is what the console reads of the webhook outbox: an incident's deliveries by
// state, and the failed ones with their last answer. The store implements it.
type Notifications interface {
	IncidentNotifications(ctx context.Context, incidentID int64) (store.NotificationSummary, error)
	Deliveries(ctx context.Context, q store.DeliveryQuery) ([]store.Delivery, error)
}

var _ Notifications = (*store.Store)(nil)

// View is what every view of the console is: a Bubble Tea model that lists its keys for the
// footer and is told its size by its parent.
type View interface {
	tea.Model
	help.KeyMap
	SetSize(width, height int)
}

// ChangedMsg tells views that the data changed (here or in another process): reload, keeping
// the cursor, the open incident and anything typed.
type ChangedMsg struct{}
