package order

import "crypto/rand"

const idAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NewID returns prefix + "_" + 22 random base62 characters (about 131 bits): unguessable.
func NewID(prefix string) string {
	b := make([]byte, 22)
	if _, err := rand.Read(b); err != nil {
		panic("order: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		// Redraw bytes ≥ 248 (= 4×62) so that every character is equally likely.
		for b[i] >= 248 {
			var one [1]byte
			if _, err := rand.Read(one[:]); err != nil {
				panic("order: crypto/rand failed: " + err.Error())
			}
			b[i] = one[0]
		}
		b[i] = idAlphabet[b[i]%62]
	}
	return prefix + "_" + string(b)
}
