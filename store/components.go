package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Collapse says how the console shows a group's components.
type Collapse string

// Collapse modes.
const (
	Expanded              Collapse = "expanded"
	Collapsed             Collapse = "collapsed"
	CollapsedUnlessIssues Collapse = "collapsed_unless_issues"
)

// ParseCollapse reads a collapse mode.
func ParseCollapse(s string) (Collapse, error) {
	switch c := Collapse(normalizeWord(s)); c {
	case Expanded, Collapsed, CollapsedUnlessIssues:
		return c, nil
	}
	return "", invalid("collapse", "unknown mode %q; use expanded, collapsed or collapsed_unless_issues", s)
}

// Group is a named, ordered set of components.
type Group struct {
	ID       int64
	Name     string
	Position int
	Collapse Collapse
}

// Component is something whose health Beacon tracks.
type Component struct {
	ID          int64
	Name        string
	Description string
	Link        string
	GroupID     int64 // 0: in no group
	GroupName   string
	Position    int
	Enabled     bool
	Status      Status    // its own status, set by hand
	Effective   Status    // the most severe of its own status and what holds it, as a dashboard's audience sees it
	UpdatedAt   time.Time // the last change to it, or to its effective status, that the audience could see
	CreatedAt   time.Time

	publicUpdatedAt time.Time
}

// NewComponent is what AddComponent needs.
type NewComponent struct {
	Name        string
	Description string
	Link        string
	GroupID     int64
	// GroupName, when GroupID is 0, names the group to put it in: an existing one (any case),
	// or a new one made at the end of the list in the same write.
	GroupName string
	At        time.Time // when it was created, if after the fact (not in the future); zero: now
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func isUnique(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// AddGroup creates a group at the end of the list, collapsed unless its components have issues.
func (s *Store) AddGroup(ctx context.Context, actor Actor, name string) (Group, error) {
	return s.CreateGroup(ctx, actor, NewGroup{Name: name})
}

// NewGroup is what CreateGroup needs.
type NewGroup struct {
	Name     string
	Collapse Collapse // empty: collapsed unless its components have issues
}

// CreateGroup creates a group at the end of the list.
func (s *Store) CreateGroup(ctx context.Context, actor Actor, in NewGroup) (Group, error) {
	name, err := CleanName("name", in.Name)
	if err != nil {
		return Group{}, err
	}
	collapse := CollapsedUnlessIssues
	if in.Collapse != "" {
		if collapse, err = ParseCollapse(string(in.Collapse)); err != nil {
			return Group{}, err
		}
	}
	var g Group
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		g, err = insertGroup(ctx, tx, now, actor, name, collapse)
		return err
	})
	return g, err
}

// insertGroup adds a group named name (already clean) at the end of the list, audited.
func insertGroup(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, name string, collapse Collapse) (Group, error) {
	g := Group{Name: name, Collapse: collapse}
	if err := uniqueName(ctx, tx, "group", 0, name); err != nil {
		return g, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 1 FROM groups`).Scan(&g.Position); err != nil {
		return g, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO groups (name, position, collapse, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
		name, g.Position, g.Collapse, ms(now), ms(now))
	if isUnique(err) {
		return g, &ConflictError{fmt.Sprintf("a group named %q already exists", name)}
	}
	if err != nil {
		return g, err
	}
	g.ID, _ = res.LastInsertId()
	detail := ""
	if collapse != CollapsedUnlessIssues {
		detail = string(collapse)
	}
	return g, audit(ctx, tx, now, actor, "group.add", "group "+name, detail)
}

// Groups lists the groups in order.
func (s *Store) Groups(ctx context.Context) ([]Group, error) {
	return readGroups(ctx, s.r)
}

// readGroups lists the groups in order.
func readGroups(ctx context.Context, q queryer) ([]Group, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, position, collapse FROM groups ORDER BY position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		if err := rows.Scan(&g.ID, &g.Name, &g.Position, &g.Collapse); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// GroupByName finds a group by its name, ignoring case.
func (s *Store) GroupByName(ctx context.Context, name string) (Group, error) {
	var g Group
	err := s.r.QueryRowContext(ctx, `SELECT id, name, position, collapse FROM groups WHERE name = ?`, strings.TrimSpace(name)).
		Scan(&g.ID, &g.Name, &g.Position, &g.Collapse)
	if errors.Is(err, sql.ErrNoRows) {
		return g, &NotFoundError{fmt.Sprintf("group %q", name)}
	}
	return g, err
}

// RenameGroup gives a group a new name.
func (s *Store) RenameGroup(ctx context.Context, actor Actor, id int64, name string) error {
	name, err := CleanName("name", name)
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		old, err := groupName(ctx, tx, id)
		if err != nil {
			return err
		}
		return renameGroup(ctx, tx, now, actor, id, old, name)
	})
}

func renameGroup(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, id int64, old, name string) error {
	if err := uniqueName(ctx, tx, "group", id, name); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE groups SET name = ?, updated_at = ? WHERE id = ?`, name, ms(now), id)
	if isUnique(err) {
		return &ConflictError{fmt.Sprintf("a group named %q already exists", name)}
	}
	if err != nil {
		return err
	}
	return audit(ctx, tx, now, actor, "group.rename", "group "+old, "renamed to "+name)
}

// SetGroupCollapse sets how the console shows a group.
func (s *Store) SetGroupCollapse(ctx context.Context, actor Actor, id int64, c Collapse) error {
	if _, err := ParseCollapse(string(c)); err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		name, err := groupName(ctx, tx, id)
		if err != nil {
			return err
		}
		return setGroupCollapse(ctx, tx, now, actor, id, name, c)
	})
}

func setGroupCollapse(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, id int64, name string, c Collapse) error {
	if _, err := tx.ExecContext(ctx, `UPDATE groups SET collapse = ?, updated_at = ? WHERE id = ?`, c, ms(now), id); err != nil {
		return err
	}
	return audit(ctx, tx, now, actor, "group.collapse", "group "+name, string(c))
}

// GroupEdit is a group's name and collapse mode, as EditGroup sets them.
type GroupEdit struct {
	Name     string
	Collapse Collapse
}

// EditGroup sets a group's name and collapse mode in one write, auditing each that changes;
// nothing is written when neither does.
func (s *Store) EditGroup(ctx context.Context, actor Actor, id int64, in GroupEdit) error {
	name, err := CleanName("name", in.Name)
	if err != nil {
		return err
	}
	collapse, err := ParseCollapse(string(in.Collapse))
	if err != nil {
		return err
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var old string
		var was Collapse
		err := tx.QueryRowContext(ctx, `SELECT name, collapse FROM groups WHERE id = ?`, id).Scan(&old, &was)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{fmt.Sprintf("group #%d", id)}
		}
		if err != nil {
			return err
		}
		if name != old {
			if err := renameGroup(ctx, tx, now, actor, id, old, name); err != nil {
				return err
			}
		}
		if collapse != was {
			return setGroupCollapse(ctx, tx, now, actor, id, name, collapse)
		}
		return nil
	})
}

// MoveGroup puts a group at position (1-based) among the groups.
func (s *Store) MoveGroup(ctx context.Context, actor Actor, id int64, position int) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		name, err := groupName(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := reorder(ctx, tx, `SELECT id FROM groups ORDER BY position, id`, `UPDATE groups SET position = ? WHERE id = ?`, id, position); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "group.move", "group "+name, fmt.Sprintf("to position %d", position))
	})
}

// RemoveGroup deletes a group; its components stay, in no group.
func (s *Store) RemoveGroup(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		name, err := groupName(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM groups WHERE id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "group.remove", "group "+name, "")
	})
}

func groupName(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM groups WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &NotFoundError{fmt.Sprintf("group #%d", id)}
	}
	return name, err
}

// reorder moves id to the 1-based position among the ids listQuery returns, renumbering all.
func reorder(ctx context.Context, tx *sql.Tx, listQuery, setQuery string, id int64, position int, args ...any) error {
	rows, err := tx.QueryContext(ctx, listQuery, args...)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		if v != id {
			ids = append(ids, v)
		}
	}
	rows.Close()
	position = min(max(position, 1), len(ids)+1)
	ids = append(ids[:position-1], append([]int64{id}, ids[position-1:]...)...)
	for i, v := range ids {
		if _, err := tx.ExecContext(ctx, setQuery, i+1, v); err != nil {
			return err
		}
	}
	return nil
}

const componentColumns = `c.id, c.name, c.description, c.link, coalesce(c.group_id, 0), coalesce(g.name, ''),
	c.position, c.enabled, c.status, c.effective_status, c.updated_at, c.public_updated_at, c.created_at`

const componentFrom = ` FROM components c LEFT JOIN groups g ON g.id = c.group_id `

const componentOrder = ` ORDER BY g.position IS NULL, g.position, g.id, c.position, c.id`

func scanComponent(row scanner) (Component, error) {
	var c Component
	var updated, publicUpdated, created int64
	err := row.Scan(&c.ID, &c.Name, &c.Description, &c.Link, &c.GroupID, &c.GroupName,
		&c.Position, &c.Enabled, &c.Status, &c.Effective, &updated, &publicUpdated, &created)
	c.UpdatedAt, c.publicUpdatedAt, c.CreatedAt = fromMS(updated), fromMS(publicUpdated), fromMS(created)
	return c, err
}

// AddComponent creates an operational component at the end of its group.
func (s *Store) AddComponent(ctx context.Context, actor Actor, in NewComponent) (Component, error) {
	name, err := CleanName("name", in.Name)
	if err != nil {
		return Component{}, err
	}
	desc, err := cleanDescription("description", in.Description)
	if err != nil {
		return Component{}, err
	}
	link, err := cleanLink(in.Link)
	if err != nil {
		return Component{}, err
	}
	wantGroup := ""
	if in.GroupID == 0 && strings.TrimSpace(in.GroupName) != "" {
		if wantGroup, err = CleanName("group", in.GroupName); err != nil {
			return Component{}, err
		}
	}
	var id int64
	err = s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		at, note, err := backdate(ctx, tx, now, in.At, time.Time{}, nil)
		if err != nil {
			return err
		}
		var group any
		subject := "component " + name
		groupID := in.GroupID
		if wantGroup != "" {
			if groupID, err = groupNamed(ctx, tx, now, actor, wantGroup); err != nil {
				return err
			}
		}
		if groupID != 0 {
			gname, err := groupName(ctx, tx, groupID)
			if err != nil {
				return err
			}
			group = groupID
			subject += " in " + gname
		}
		if err := uniqueName(ctx, tx, "component", 0, name); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO components (name, description, link, group_id, position, created_at, updated_at, public_updated_at)
			VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM components WHERE group_id IS ?), ?, ?, ?)`,
			name, desc, link, group, group, ms(at), ms(at), ms(at))
		if isUnique(err) {
			return &ConflictError{fmt.Sprintf("a component named %q already exists", name)}
		}
		if err != nil {
			return err
		}
		id, _ = res.LastInsertId()
		if groupID != 0 {
			// The group's record takes in the new member from its creation on.
			for _, a := range []Audience{Responders, ThePublic} {
				if err := keepGroupTotals(ctx, tx, a, groupID, ms(at)); err != nil {
					return err
				}
			}
		}
		return audit(ctx, tx, now, actor, "component.add", subject, strings.TrimSpace(note))
	})
	if err != nil {
		return Component{}, err
	}
	return s.Component(ctx, id)
}

// groupNamed is the id of the group named name (already clean; any case), made at the end
// of the list when there is none.
func groupNamed(ctx context.Context, tx *sql.Tx, now time.Time, actor Actor, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM groups WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var g Group
		g, err = insertGroup(ctx, tx, now, actor, name, CollapsedUnlessIssues)
		id = g.ID
	}
	return id, err
}

// Component reads one component.
func (s *Store) Component(ctx context.Context, id int64) (Component, error) {
	c, err := scanComponent(s.r.QueryRowContext(ctx, `SELECT `+componentColumns+componentFrom+`WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, &NotFoundError{fmt.Sprintf("component #%d", id)}
	}
	if err != nil {
		return c, err
	}
	list := []Component{c}
	return list[0], s.settleNow(ctx, list)
}

// ComponentByName finds a component by its name, ignoring case.
func (s *Store) ComponentByName(ctx context.Context, name string) (Component, error) {
	c, err := scanComponent(s.r.QueryRowContext(ctx, `SELECT `+componentColumns+componentFrom+`WHERE c.name = ?`, strings.TrimSpace(name)))
	if errors.Is(err, sql.ErrNoRows) {
		return c, &NotFoundError{fmt.Sprintf("component %q", name)}
	}
	if err != nil {
		return c, err
	}
	list := []Component{c}
	return list[0], s.settleNow(ctx, list)
}

// Components lists every component, by group then position.
func (s *Store) Components(ctx context.Context) ([]Component, error) {
	list, err := queryComponents(ctx, s.r)
	if err != nil {
		return nil, err
	}
	return list, s.settleNow(ctx, list)
}

// settleNow computes the components' effective statuses as they stand by the clock, from the
// unresolved incidents and the maintenance windows in progress.
func (s *Store) settleNow(ctx context.Context, list []Component) error {
	now := s.now()
	unresolved, err := s.queryIncidents(ctx, `SELECT `+incidentColumns+` FROM incidents WHERE resolved_at IS NULL`)
	if err != nil {
		return err
	}
	windows, err := queryMaintenances(ctx, s.r, `SELECT `+maintenanceColumns+` FROM maintenances
		WHERE ended = 0 AND starts_at <= ? AND ends_at > ?`, ms(now), ms(now))
	if err != nil {
		return err
	}
	holds := holdsOn(unresolved)
	addMaintenanceHolds(holds, windows, now)
	for i := range list {
		list[i].Effective = EffectiveStatus(list[i].Status, holds[list[i].ID], Responders)
	}
	return nil
}

func queryComponents(ctx context.Context, q queryer) ([]Component, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+componentColumns+componentFrom+componentOrder)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Component
	for rows.Next() {
		c, err := scanComponent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func componentName(ctx context.Context, tx *sql.Tx, id int64) (string, error) {
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM components WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", &NotFoundError{fmt.Sprintf("component #%d", id)}
	}
	return name, err
}

// editComponent runs one UPDATE on a component and audits it; rename is its new name when
// the UPDATE renames it.
func (s *Store) editComponent(ctx context.Context, actor Actor, id int64, action, detail, rename, set string, args ...any) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		name, err := componentName(ctx, tx, id)
		if err != nil {
			return err
		}
		if rename != "" {
			if err := uniqueName(ctx, tx, "component", id, rename); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE components SET `+set+`, updated_at = ?, public_updated_at = ? WHERE id = ?`, append(args, ms(now), ms(now), id)...)
		if isUnique(err) {
			return &ConflictError{fmt.Sprintf("a component named %q already exists", args[0])}
		}
		if err != nil {
			return err
		}
		if action == "component.enable" || action == "component.disable" {
			// A group's record is its enabled members': it is theirs again from the start.
			g, err := groupOf(ctx, tx, id)
			if err != nil {
				return err
			}
			if err := regroupTotals(ctx, tx, g); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, actor, action, "component "+name, detail)
	})
}

// RenameComponent gives a component a new name.
func (s *Store) RenameComponent(ctx context.Context, actor Actor, id int64, name string) error {
	name, err := CleanName("name", name)
	if err != nil {
		return err
	}
	return s.editComponent(ctx, actor, id, "component.rename", "renamed to "+name, name, "name = ?", name)
}

// DescribeComponent sets a component's description and link.
func (s *Store) DescribeComponent(ctx context.Context, actor Actor, id int64, description, link string) error {
	desc, err := cleanDescription("description", description)
	if err != nil {
		return err
	}
	link, err = cleanLink(link)
	if err != nil {
		return err
	}
	return s.editComponent(ctx, actor, id, "component.describe", desc, "", "description = ?, link = ?", desc, link)
}

// SetComponentEnabled shows or hides a component; a disabled one does not count in the banner.
func (s *Store) SetComponentEnabled(ctx context.Context, actor Actor, id int64, enabled bool) error {
	action := "component.disable"
	if enabled {
		action = "component.enable"
	}
	return s.editComponent(ctx, actor, id, action, "", "", "enabled = ?", enabled)
}

// MoveComponent puts a component in a group (0: none) at a 1-based position there.
func (s *Store) MoveComponent(ctx context.Context, actor Actor, id, groupID int64, position int) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		name, err := componentName(ctx, tx, id)
		if err != nil {
			return err
		}
		var group any
		where := "no group"
		if groupID != 0 {
			if where, err = groupName(ctx, tx, groupID); err != nil {
				return err
			}
			group = groupID
		}
		was, err := groupOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE components SET group_id = ?, updated_at = ?, public_updated_at = ? WHERE id = ?`, group, ms(now), ms(now), id); err != nil {
			return err
		}
		if was != groupID {
			if err := regroupTotals(ctx, tx, was, groupID); err != nil {
				return err
			}
		}
		if err := reorder(ctx, tx, `SELECT id FROM components WHERE group_id IS ? ORDER BY position, id`,
			`UPDATE components SET position = ? WHERE id = ?`, id, position, group); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "component.move", "component "+name, fmt.Sprintf("to %s, position %d", where, position))
	})
}

// ComponentEdit is what a component's edit sets: everything about it but its status and
// its place within its group.
type ComponentEdit struct {
	Name        string
	Description string
	Link        string
	// GroupName is the group it belongs in: empty for none, an existing group (any case), or
	// a new one made at the end of the list in the same write. A component that changes
	// group goes to the end of the new one.
	GroupName string
	Enabled   bool
}

// EditComponent sets a component's name, description, link, group and whether it is enabled
// in one write, checked as RenameComponent, DescribeComponent, SetComponentEnabled and
// MoveComponent check them and audited as they audit each change; nothing is written for
// what stays the same, and a refusal changes nothing.
func (s *Store) EditComponent(ctx context.Context, actor Actor, id int64, in ComponentEdit) error {
	name, err := CleanName("name", in.Name)
	if err != nil {
		return err
	}
	desc, err := cleanDescription("description", in.Description)
	if err != nil {
		return err
	}
	link, err := cleanLink(in.Link)
	if err != nil {
		return err
	}
	group := ""
	if strings.TrimSpace(in.GroupName) != "" {
		if group, err = CleanName("group", in.GroupName); err != nil {
			return err
		}
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var was Component
		err := tx.QueryRowContext(ctx, `SELECT c.name, c.description, c.link, coalesce(c.group_id, 0), coalesce(g.name, ''), c.enabled`+
			componentFrom+`WHERE c.id = ?`, id).Scan(&was.Name, &was.Description, &was.Link, &was.GroupID, &was.GroupName, &was.Enabled)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{fmt.Sprintf("component #%d", id)}
		}
		if err != nil {
			return err
		}
		change := func(action, subject, detail, set string, args ...any) error {
			if _, err := tx.ExecContext(ctx, `UPDATE components SET `+set+`, updated_at = ?, public_updated_at = ? WHERE id = ?`,
				append(args, ms(now), ms(now), id)...); err != nil {
				return err
			}
			return audit(ctx, tx, now, actor, action, "component "+subject, detail)
		}
		if name != was.Name {
			if err := uniqueName(ctx, tx, "component", id, name); err != nil {
				return err
			}
			if err := change("component.rename", was.Name, "renamed to "+name, "name = ?", name); err != nil {
				return err
			}
		}
		if desc != was.Description || link != was.Link {
			if err := change("component.describe", name, desc, "description = ?, link = ?", desc, link); err != nil {
				return err
			}
		}
		if in.Enabled != was.Enabled {
			action := "component.disable"
			if in.Enabled {
				action = "component.enable"
			}
			if err := change(action, name, "", "enabled = ?", in.Enabled); err != nil {
				return err
			}
		}
		if NameKey(group) == NameKey(was.GroupName) {
			if in.Enabled != was.Enabled {
				// A group's record is its enabled members': it is theirs again from the start.
				return regroupTotals(ctx, tx, was.GroupID)
			}
			return nil
		}
		var groupID any
		where := "no group"
		if group != "" {
			gid, err := groupNamed(ctx, tx, now, actor, group)
			if err != nil {
				return err
			}
			if where, err = groupName(ctx, tx, gid); err != nil {
				return err
			}
			groupID = gid
		}
		var position int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 1 FROM components WHERE group_id IS ?`, groupID).Scan(&position); err != nil {
			return err
		}
		if err := change("component.move", name, fmt.Sprintf("to %s, position %d", where, position),
			"group_id = ?, position = ?", groupID, position); err != nil {
			return err
		}
		to, _ := groupID.(int64)
		return regroupTotals(ctx, tx, was.GroupID, to)
	})
}

// SetComponentStatus sets a component's own status; its effective status follows unless an
// unresolved incident holds it at something worse.
func (s *Store) SetComponentStatus(ctx context.Context, actor Actor, id int64, status Status) error {
	return s.SetComponentStatusAt(ctx, actor, id, status, time.Time{})
}

// SetComponentStatusAt is SetComponentStatus recorded at a past time (zero: now), which must
// not be in the future nor earlier than the component's newest history.
func (s *Store) SetComponentStatusAt(ctx context.Context, actor Actor, id int64, status Status, at time.Time) error {
	if !status.Valid() {
		return invalid("status", "unknown status %q; use one of %s", status, joinStatuses(Statuses))
	}
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		var name string
		var old Status
		err := tx.QueryRowContext(ctx, `SELECT name, status FROM components WHERE id = ?`, id).Scan(&name, &old)
		if errors.Is(err, sql.ErrNoRows) {
			return &NotFoundError{fmt.Sprintf("component #%d", id)}
		}
		if err != nil {
			return err
		}
		when, note, err := backdate(ctx, tx, now, at, time.Time{}, []int64{id})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE components SET status = ?, updated_at = ?, public_updated_at = ? WHERE id = ?`, status, ms(when), ms(when), id); err != nil {
			return err
		}
		if err := refreshEffective(ctx, tx, when, []int64{id}, cause{kind: "manual"}); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "component.status", "component "+name, fmt.Sprintf("%s → %s%s", old, status, note))
	})
}

// RemoveComponent deletes a component, refusing while an unresolved incident affects it.
func (s *Store) RemoveComponent(ctx context.Context, actor Actor, id int64) error {
	return s.write(ctx, actor, func(tx *sql.Tx, now time.Time) error {
		name, err := componentName(ctx, tx, id)
		if err != nil {
			return err
		}
		var incID int64
		var title string
		// Start from the few unresolved incidents (a partial index), not the component's history.
		err = tx.QueryRowContext(ctx, `SELECT i.id, i.title FROM incidents i CROSS JOIN impacts m
			ON m.incident_id = i.id AND m.component_id = ?
			WHERE i.resolved_at IS NULL ORDER BY i.id LIMIT 1`, id).Scan(&incID, &title)
		if err == nil {
			return &ConflictError{fmt.Sprintf("component %q is affected by unresolved incident #%d %q; resolve it or remove the component from it first", name, incID, title)}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		group, err := groupOf(ctx, tx, id)
		if err != nil {
			return err
		}
		// Resolved incidents keep their history; only the link to this component goes.
		for _, q := range []string{
			`DELETE FROM update_impacts WHERE component_id = ?`,
			`DELETE FROM impacts WHERE component_id = ?`,
			`DELETE FROM components WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return err
			}
		}
		if err := regroupTotals(ctx, tx, group); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "component.remove", "component "+name, "")
	})
}
