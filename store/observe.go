package store

// Subscribers is how many change-feed subscriptions are open; the SSH server's tests use it to
// check that a closed session leaves none behind.
func (s *Store) Subscribers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs)
}

// Writing reports whether a write is under way on the writer connection, so a server shutting
// down can let it finish before closing the database.
func (s *Store) Writing() bool {
	w := s.wOpen.Load()
	return w != nil && w.Stats().InUse > 0
}
