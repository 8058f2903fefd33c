package simkit

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStore(t *testing.T) {
	type state struct {
		Payments map[string]string `json:"payments"`
	}
	path := filepath.Join(t.TempDir(), "sandbox", "sim.json")
	st := NewStore(path)
	var got state
	if found, err := st.Load(&got); found || err != nil {
		t.Fatalf("empty store: found %v, err %v", found, err)
	}
	if err := st.Save(state{Payments: map[string]string{"p1": "pending"}}); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// The same snapshot again writes nothing (a write renames a new file over the old one).
	if err := st.Save(state{Payments: map[string]string{"p1": "pending"}}); err != nil {
		t.Fatal(err)
	}
	if after, err := os.Stat(path); err != nil || !os.SameFile(before, after) {
		t.Errorf("an unchanged snapshot was written again (%v)", err)
	}

	// A new store of the same file (a restarted binary) reads what was saved.
	again := NewStore(path)
	if found, err := again.Load(&got); !found || err != nil || got.Payments["p1"] != "pending" {
		t.Fatalf("reload: found %v, err %v, state %+v", found, err, got)
	}
	if err := again.Save(state{Payments: map[string]string{"p1": "paid"}}); err != nil {
		t.Fatal(err)
	}
	got = state{}
	if _, err := NewStore(path).Load(&got); err != nil || got.Payments["p1"] != "paid" {
		t.Fatalf("after a second save: %v %+v", err, got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := NewStore(path).Load(&got); err == nil {
		t.Error("a corrupt state file loaded without an error")
	}

	var none *Store
	if found, err := none.Load(&got); found || err != nil || none.Save(got) != nil || none.Path() != "" {
		t.Error("a nil store must keep nothing")
	}
}

// Whatever changed under a kept Mutex is on disk once it is unlocked.
func TestMutexSavesAtUnlock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sim.json")
	var mu Mutex
	state := map[string]string{}
	mu.Keep(NewStore(path), func() any { return state }, nil, "test")
	mu.Lock()
	state["p1"] = "paid"
	mu.Unlock()
	got := map[string]string{}
	if _, err := NewStore(path).Load(&got); err != nil || got["p1"] != "paid" {
		t.Fatalf("after Unlock the file holds %v (%v)", got, err)
	}

	var plain Mutex // never kept: a lock like any other, saving nothing
	n := 0
	plain.Lock()
	n++
	plain.Unlock()
	if n != 1 {
		t.Fatalf("the plain Mutex's critical section ran %d times", n)
	}
}

// Keep hands a new simulator what its state file holds, logs it, and saves at every Unlock.
func TestKeep(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sim.json")
	type saved struct{ Payments []string }
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))

	var mu Mutex
	state := &saved{}
	restored := 0
	restore := func(sv *saved) []any { restored++; state = sv; return []any{"payments", len(sv.Payments)} }
	Keep(&mu, path, log, "test", func() *saved { return state }, restore)
	if restored != 0 || logs.Len() != 0 {
		t.Fatalf("no file yet, but restore ran %d times; logs %q", restored, logs.String())
	}
	mu.Lock()
	state.Payments = append(state.Payments, "p1")
	mu.Unlock()

	var again Mutex // the next process
	state = &saved{}
	Keep(&again, path, log, "test", func() *saved { return state }, restore)
	if restored != 1 || len(state.Payments) != 1 || state.Payments[0] != "p1" {
		t.Fatalf("restored %d times: %+v", restored, state)
	}
	if !strings.Contains(logs.String(), `msg="test: state restored" file=`+path+" payments=1") {
		t.Errorf("logs %q", logs.String())
	}

	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	Keep(&again, path, log, "test", func() *saved { return state }, restore)
	if restored != 1 || !strings.Contains(logs.String(), "state file unreadable") {
		t.Errorf("a bad file was restored (%d) or not logged: %q", restored, logs.String())
	}
}
