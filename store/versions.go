package store

import (
	"hash/maphash"
	"sync/atomic"
)

// versions tells readers whether an order may have changed since they last looked, without
// asking the database: every write transaction that touches an order (the order row, one of its
// attempts or refunds) bumps the order's counter once it has committed. A reader that took the
// counter before reading the order and finds it unchanged later knows its copy is current, so
// the shopper pages can keep rendered bytes (handlers' page cache) and serve a reload with no
// query at all.
//
// The counters are a fixed array indexed by a hash of the order id: memory stays bounded
// whatever the table holds, and two orders sharing a slot only invalidate each other's copies
// (never the reverse). The counters start at a random value per process, so a copy cached
// under one run's counter can never match another's.
//
// Decided on purpose: only SQLite has them. One SQLite file is written by one process (the
// server), so every write passes through Write here. On PostgreSQL several nodes write the same
// rows, a node cannot see the others' commits, and OrderVersion answers ok=false: no cache.
type versions struct {
	seed  maphash.Seed
	slots [1 << 16]atomic.Uint64
}

func newVersions() *versions {
	v := &versions{seed: maphash.MakeSeed()}
	start := maphash.String(v.seed, "start") | 1
	for i := range v.slots {
		v.slots[i].Store(start)
	}
	return v
}

func (v *versions) slot(orderID string) *atomic.Uint64 {
	return &v.slots[maphash.String(v.seed, orderID)&(uint64(len(v.slots))-1)]
}

// bump is called after a commit that touched the orders.
func (v *versions) bump(orderIDs []string) {
	for _, id := range orderIDs {
		v.slot(id).Add(1)
	}
}

// OrderVersion is a counter that changes after every committed write touching the order (see
// versions). Take it BEFORE reading the order: a write committed after the read then shows as a
// new version. ok is false where no such counter is kept (PostgreSQL): then nothing may be cached.
func (s *DB) OrderVersion(orderID string) (v uint64, ok bool) {
	if s.ver == nil {
		return 0, false
	}
	return s.slot(orderID).Load(), true
}

func (s *DB) slot(orderID string) *atomic.Uint64 { return s.ver.slot(orderID) }
