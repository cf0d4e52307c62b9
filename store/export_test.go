package store

import "time"

// SetClock makes s write with the times clock returns, for tests.
func SetClock(s *Store, clock func() time.Time) { s.now = clock }
