package web

// Versions reports how many store changes the server has handled, and how many of them the
// public could see (the number its change events carry).
func (s *Server) Versions() (handled, shown uint64) { return s.handled.Load(), s.shown.Load() }

// Serving is the data version whose renderings the server answers with.
func (s *Server) Serving() uint64 { return s.cur.Load().version }
