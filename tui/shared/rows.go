package shared

// Rows keeps the rows a list view drew, by how they look, so a row that looks the same is not
// drawn again. It keeps only rows drawn at the current width, a few screens' worth at most.
// The zero value is ready to use.
type Rows[K comparable] struct {
	drawn map[K]string
	width int
}

// Get returns the row that looks like k at this width and screen height, drawing it with
// draw only when it was not drawn before.
func (r *Rows[K]) Get(k K, width, height int, draw func(K) string) string {
	if r.drawn == nil || r.width != width || len(r.drawn) > 4*height+16 {
		r.drawn, r.width = make(map[K]string, 2*height), width
	}
	if v, ok := r.drawn[k]; ok {
		return v
	}
	v := draw(k)
	r.drawn[k] = v
	return v
}

// Clicker is a list view in which a mouse click selects a row.
type Clicker interface {
	// Click puts the cursor on the row drawn y lines below the view's top, if there is one
	// there, and says whether the cursor was on it already: a second click opens the row.
	Click(y int) (again bool)
}

// RowAt is the index of the list row drawn y lines below a view's top, for a list drawn from
// line above, scrolled to row top, showing h of its n rows.
func RowAt(y, above, top, h, n int) (int, bool) {
	i := top + y - above
	if y < above || y-above >= h || i >= n {
		return 0, false
	}
	return i, true
}

// Select moves a cursor to row i for a click and says whether it was there already.
func Select(cursor *int, i int) (again bool) {
	again = *cursor == i
	*cursor = i
	return again
}
