// Command verify checks a Bawaba webhook: the Bawaba-Signature header over the exact body.
//
//	BAWABA_WEBHOOK_SECRET=… go run ./examples/webhooks '<Bawaba-Signature value>' < body.json
//
// It exits 0 and prints "valid" when the signature verifies, else 1 and "invalid". Copy
// Verify into your shop; the other languages are beside it (verify.php, verify.js, verify.py).
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Tolerance is how far the signature's timestamp may be from now: older deliveries are refused
// so that a captured one cannot be replayed later.
const Tolerance = 5 * time.Minute

// Verify reports whether header ("t=<unix seconds>,v1=<hex>") signs body with secret:
// v1 = hex(HMAC-SHA256(secret, "<t>.<body>")), compared in constant time, t within Tolerance.
// While the merchant rotates the secret the header carries one v1 per secret: any may match.
func Verify(secret, header string, body []byte, now time.Time) bool {
	var t string
	var v1s []string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			t = v
		case "v1":
			v1s = append(v1s, v)
		}
	}
	ts, err := strconv.ParseInt(t, 10, 64)
	if err != nil || len(v1s) == 0 || now.Sub(time.Unix(ts, 0)).Abs() > Tolerance {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "."))
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	ok := false
	for _, v1 := range v1s {
		ok = hmac.Equal([]byte(want), []byte(v1)) || ok
	}
	return ok
}

func main() {
	body, err := io.ReadAll(os.Stdin)
	if err != nil || len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: BAWABA_WEBHOOK_SECRET=… verify '<Bawaba-Signature>' < body")
		os.Exit(2)
	}
	if !Verify(os.Getenv("BAWABA_WEBHOOK_SECRET"), os.Args[1], body, time.Now()) {
		fmt.Println("invalid")
		os.Exit(1)
	}
	fmt.Println("valid")
}
