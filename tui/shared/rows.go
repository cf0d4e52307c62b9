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
