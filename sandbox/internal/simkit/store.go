package simkit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// Store keeps a simulator's state in a JSON file, so that restarting the binary in sandbox
// does not turn in-flight test payments into 404s at the simulator (QA suites restart
// servers). A simulator loads it once in New and saves a snapshot whenever it unlocks its
// state (Mutex). A nil *Store (no file configured) keeps nothing:
// Load finds nothing and Save does nothing.
//
// Decision: one JSON file per simulator, written whole to a temporary file, synced and renamed
// over the old one, so a crash leaves the previous snapshot or the new one, never half of
// either. A snapshot equal to the last one written is not written again. The sandbox holds
// at most thousands of test payments; rewriting the file is cheaper than a schema.
type Store struct {
	path string
	mu   sync.Mutex
	last []byte
}

// NewStore returns the store of the file at path, or nil when path is "".
func NewStore(path string) *Store {
	if path == "" {
		return nil
	}
	return &Store{path: path}
}

// Path is the file's path ("" for a nil store).
func (st *Store) Path() string {
	if st == nil {
		return ""
	}
	return st.path
}

// Load decodes the file into v; found is false when there is no store or no file yet.
func (st *Store) Load(v any) (found bool, err error) {
	if st == nil {
		return false, nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	b, err := os.ReadFile(st.path)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("simkit: state file %s: %w", st.path, err)
	}
	st.last = b
	return true, nil
}

// Restore loads the file into v for a simulator's New; a file that does not decode is logged
// on log as "<who>: state file unreadable" and the simulator starts empty. It reports whether
// there was state to restore.
func (st *Store) Restore(v any, log *slog.Logger, who string) bool {
	found, err := st.Load(v)
	if err != nil {
		log.Error(who+": state file unreadable, starting empty", "file", st.path, "err", err)
		return false
	}
	return found
}

// Keep gives a simulator's New its state file at path ("" keeps nothing): what the file holds
// is handed to restore, which fills the simulator's empty maps and returns what to log about
// it ("<who>: state restored" with the file, then those arguments); a file that does not
// decode is logged and the simulator starts empty. Then every Unlock of mu saves snapshot().
func Keep[S any](mu *Mutex, path string, log *slog.Logger, who string, snapshot func() S, restore func(S) []any) {
	st := NewStore(path)
	var saved S
	if st.Restore(&saved, log, who) {
		args := restore(saved)
		log.Info(who+": state restored", append([]any{"file", st.Path()}, args...)...)
	}
	mu.Keep(st, func() any { return snapshot() }, log, who)
}

// Mutex is a simulator's lock that, once Keep is called, writes the state file at every
// Unlock, while still holding the lock: whatever a request or a timer changed under it is on
// disk before the simulator can answer, redirect or notify anyone of it (all of which it does
// after unlocking, or after its handler returned), and snapshots are written in order. A
// process killed right after a gateway answered therefore finds that answer again after a
// restart. The snapshot is encoded at every Unlock and written only when it changed: cheap
// at a sandbox's scale.
type Mutex struct {
	sync.Mutex
	store    *Store
	snapshot func() any
	log      *slog.Logger
	who      string
}

// Keep makes every Unlock save snapshot() to st (nothing when st is nil). An error is logged
// on log as "<who>: save state". Call it in New, before the simulator serves.
func (m *Mutex) Keep(st *Store, snapshot func() any, log *slog.Logger, who string) {
	m.store, m.snapshot, m.log, m.who = st, snapshot, log, who
}

// Unlock saves the state (see Keep), then unlocks.
func (m *Mutex) Unlock() {
	if m.store != nil {
		if err := m.store.Save(m.snapshot()); err != nil {
			m.log.Error(m.who+": save state", "file", m.store.path, "err", err)
		}
	}
	m.Mutex.Unlock()
}

// Save writes v (encoded as JSON) unless it is what the file already holds.
func (st *Store) Save(v any) error {
	if st == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if bytes.Equal(b, st.last) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(st.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), filepath.Base(st.path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		return err
	}
	st.last = b
	return nil
}
