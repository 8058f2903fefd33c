package kpay

import (
	"net/http"
	"time"
)

// maxClockStep bounds one move of the test clock.
const maxClockStep = 400 * 24 * time.Hour

// advanceClock is POST /test/clock with advance=<Go duration, e.g. 1h or 90s> (a form or query
// value): it moves the simulator's clock forward, so that what K-Pay does later happens now —
// a QR code expires, a hosted page lapses, KBank's "next day" settles a charge or a refund.
// It is the sandbox's own control, not K-Pay's (the simulator only exists in sandbox): tests
// and QA suites synchronise on it instead of sleeping. Nothing moves by itself: the new time
// shows at the next read of each object (an inquiry, the QR's status, a page), as every
// change of this simulator does. The answer is {"now": RFC 3339, "advanced": total}; a
// duration that does not parse, is not positive or exceeds 400 days is a 400.
//
// Decision: forward only. Moving back would let a settled charge be "unsettled" by the
// clock, which K-Pay never does.
func (s *Simulator) advanceClock(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	d, err := time.ParseDuration(r.FormValue("advance"))
	if err != nil || d <= 0 || d > maxClockStep {
		writeJSON(w, http.StatusBadRequest, map[string]string{
			"object": "error", "code": "invalid_advance",
			"message": "advance must be a positive Go duration up to 400 days, e.g. 1h or 90s",
		})
		return
	}
	s.mu.Lock() // the state file keeps the advance (Unlock saves)
	total := time.Duration(s.skew.Add(int64(d)))
	now := s.now()
	s.mu.Unlock()
	s.log.Info("kpay sandbox: test clock advanced", "by", d, "advanced", total, "now", now)
	writeJSON(w, http.StatusOK, map[string]string{"now": now.Format(time.RFC3339Nano), "advanced": total.String()})
}
