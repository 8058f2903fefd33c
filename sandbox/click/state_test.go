package click

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// A QA suite restarts the server: a session created and updated before the restart is paid
// after it, and its order id stays used.
func TestRestartKeepsSessions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox", "click.json")
	keep := func(c *Config) { c.StateFile = file }

	before := newEnv(t, keep)
	sid, _ := before.session(501, "6.500", "en")
	before.pay(sid, methodKNET)
	before.sim.Close()

	after := newEnv(t, keep)
	if st := after.status(sid, 501); strings.Contains(st, `"success"`) {
		t.Fatalf("paid before it was: %s", st)
	}
	r := after.post(gw(sid)+"/knet", knetValues("8888880000000001", "09", "2030"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("K-Net after the restart: %v", r)
	}
	if st := after.status(sid, 501); !strings.Contains(st, "success") {
		t.Errorf("the session started before the restart: %s", st)
	}
	other, _ := after.createSession()
	body := updateBodyJSON(other, 501, "6.500", shopReturn)
	if r := after.call(apiPath+"/sessionupdate/"+testDev, body); strings.Contains(string(r.body), `"result":"SUCCESS"`) {
		t.Errorf("order id 501, used before the restart, was taken again: %v", r)
	}
}
