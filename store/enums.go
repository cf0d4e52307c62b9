package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"beacon/sanitize"
)

// Every enumerated column is guarded twice: CHECK constraints refuse a value Beacon does not
// know, whoever writes the file, and reading one (from a file written with the constraints
// ignored) fails with an error instead of handing its text on toward a terminal.

// Scan reads a component status, refusing any value that is not one ("" is no status: a
// column that may be NULL).
func (s *Status) Scan(src any) error {
	v, err := scanText(src)
	if err == nil && v != "" && !Status(v).Valid() {
		err = &StoredValueError{Value: v, Kind: "a component status"}
	}
	*s = Status(v)
	return err
}

// Scan reads an incident status, refusing any value that is not one.
func (s *IncidentStatus) Scan(src any) error {
	v, err := scanText(src)
	if err == nil && !IncidentStatus(v).Valid() {
		err = &StoredValueError{Value: v, Kind: "an incident status"}
	}
	*s = IncidentStatus(v)
	return err
}

// Scan reads a visibility, refusing any value that is not one.
func (v *Visibility) Scan(src any) error {
	s, err := scanText(src)
	if err == nil && Visibility(s) != Public && Visibility(s) != Internal {
		err = &StoredValueError{Value: s, Kind: "a visibility"}
	}
	*v = Visibility(s)
	return err
}

// Scan reads a group's collapse mode, refusing any value that is not one.
func (c *Collapse) Scan(src any) error {
	s, err := scanText(src)
	if err == nil {
		_, err = ParseCollapse(s)
		if err != nil || normalizeWord(s) != s {
			err = &StoredValueError{Value: s, Kind: "a collapse mode"}
		}
	}
	*c = Collapse(s)
	return err
}

// Scan reads a maintenance window's state, refusing any value that is not one.
func (m *MaintenanceState) Scan(src any) error {
	s, err := scanText(src)
	if err == nil && !slices.Contains(maintenanceStates, MaintenanceState(s)) {
		err = &StoredValueError{Value: s, Kind: "a maintenance state"}
	}
	*m = MaintenanceState(s)
	return err
}

// StoredValueError is a value read from an enumerated column that is not one of its values.
type StoredValueError struct {
	Value string
	Kind  string // "a component status", …
}

func (e *StoredValueError) Error() string {
	return fmt.Sprintf("stored value %q is not %s", e.Value, e.Kind)
}

var maintenanceStates = []MaintenanceState{MaintenanceScheduled, MaintenanceInProgress, MaintenanceCompleted, MaintenanceCancelled}

func scanText(src any) (string, error) {
	switch v := src.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []byte:
		return string(v), nil
	}
	return "", fmt.Errorf("stored value %v is not text", src)
}

// UnknownValuesError says that a database holds values of enumerated columns that Beacon does
// not know: it is neither migrated nor written to, and reads that meet them fail.
type UnknownValuesError struct {
	Path  string
	Found []string // "incidents #3 status \"…\"", at most a few
}

func (e *UnknownValuesError) Error() string {
	return fmt.Sprintf("%s holds values Beacon does not know (%s) and was left as it is; correct them with sqlite3, or restore a backup",
		e.Path, strings.Join(e.Found, "; "))
}

// enumerated lists every enumerated column: its table, how a row is named, and the values it
// may hold (NULL is allowed where nullable).
var enumerated = func() []enumColumn {
	var statuses, impacts, incident []string
	for _, s := range Statuses {
		statuses = append(statuses, string(s))
	}
	for _, s := range Impacts {
		impacts = append(impacts, string(s))
	}
	for _, s := range IncidentStatuses {
		incident = append(incident, string(s))
	}
	var maint []string
	for _, s := range maintenanceStates {
		maint = append(maint, string(s))
	}
	vis := []string{string(Public), string(Internal)}
	return []enumColumn{
		{"groups", "'group ' || quote(name)", "collapse", []string{string(Expanded), string(Collapsed), string(CollapsedUnlessIssues)}, false},
		{"components", "'component ' || quote(name)", "status", statuses, false},
		{"components", "'component ' || quote(name)", "effective_status", statuses, false},
		{"components", "'component ' || quote(name)", "public_status", statuses, false},
		{"incidents", "'incident #' || id", "status", incident, false},
		{"incidents", "'incident #' || id", "visibility", vis, false},
		{"impacts", "'impact of incident #' || incident_id || ' on component ' || component_id", "status", impacts, false},
		{"impacts", "'impact of incident #' || incident_id || ' on component ' || component_id", "worst", impacts, false},
		{"lifted_impacts", "'lifted impact of incident #' || incident_id || ' on component ' || component_id", "worst", impacts, false},
		{"updates", "'update ' || id", "status", incident, false},
		{"update_impacts", "'update ' || update_id || ' on component ' || component_id", "old_status", impacts, true},
		{"update_impacts", "'update ' || update_id || ' on component ' || component_id", "new_status", impacts, true},
		{"status_changes", "'status change ' || id", "old_status", statuses, false},
		{"status_changes", "'status change ' || id", "new_status", statuses, false},
		{"status_changes", "'status change ' || id", "cause", []string{"incident", "manual", "maintenance", "load"}, false},
		{"maintenances", "'maintenance #' || id", "visibility", vis, false},
		{"maintenance_updates", "'maintenance update ' || id", "status", maint, false},
	}
}()

type enumColumn struct {
	table, name, column string
	allowed             []string
	nullable            bool
}

// maxUnknownValues is how many unknown values a report names.
const maxUnknownValues = 5

// unknownValues finds stored values of enumerated columns that Beacon does not know. Columns
// an older schema does not have yet are passed over.
func unknownValues(ctx context.Context, q queryer) []string {
	var found []string
	for _, c := range enumerated {
		if len(found) >= maxUnknownValues {
			break
		}
		where := fmt.Sprintf("%s NOT IN ('%s')", c.column, strings.Join(c.allowed, "', '"))
		if !c.nullable {
			where = fmt.Sprintf("(%s IS NULL OR %s)", c.column, where)
		}
		rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s, %s FROM %s WHERE %s LIMIT %d",
			c.name, c.column, c.table, where, maxUnknownValues-len(found)))
		if err != nil {
			continue
		}
		for rows.Next() {
			var name string
			var value sql.NullString
			if rows.Scan(&name, &value) != nil {
				continue
			}
			v := "NULL"
			if value.Valid {
				v = fmt.Sprintf("%q", value.String)
			}
			found = append(found, fmt.Sprintf("%s has %s %s", sanitize.Line(name), c.column, v))
		}
		rows.Close()
	}
	return found
}

// foreignKeyCheck reports the first row whose foreign key points nowhere.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	var table, parent string
	var rowid sql.NullInt64
	var fk int
	err := tx.QueryRowContext(ctx, "PRAGMA foreign_key_check").Scan(&table, &rowid, &parent, &fk)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("a row of %s (rowid %d) refers to a missing row of %s", table, rowid.Int64, parent)
}
