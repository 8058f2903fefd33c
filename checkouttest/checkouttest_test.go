package checkouttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt_1","type":"order.paid"}`)
	sign := func(secret string, ts int64, b []byte) string {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write([]byte(strconv.FormatInt(ts, 10) + "."))
		mac.Write(b)
		return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + hex.EncodeToString(mac.Sum(nil))
	}
	for _, tc := range []struct {
		name, header string
		body         []byte
		want         bool
	}{
		{"signed now", sign("s3", now.Unix(), body), body, true},
		{"4 minutes old", sign("s3", now.Add(-4*time.Minute).Unix(), body), body, true},
		{"6 minutes old", sign("s3", now.Add(-6*time.Minute).Unix(), body), body, false},
		{"another secret", sign("s4", now.Unix(), body), body, false},
		{"body changed", sign("s3", now.Unix(), body), append([]byte(" "), body...), false},
		{"empty", "", body, false},
	} {
		if got := Verify("s3", tc.header, tc.body, now); got != tc.want {
			t.Errorf("%s: Verify = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The README's table of test inputs names the inputs the kit types.
func TestREADMEListsTheKitsInputs(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, v := range []string{KNETCard, KNETPendingCard, KPayCard, KPayDeclinedCard, KPay3DSCard, KPayOTP,
		UnionPayCard, UnionPayDeclinedCard, AlqasehCard, AlqasehDeclinedCard, AlqasehPendingCard, AlqasehCVV, AlqasehExpiry} {
		if !strings.Contains(readme, "`"+v+"`") {
			t.Errorf("README.md does not list %s", v)
		}
	}
}
