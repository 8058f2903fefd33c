package knet

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
)

// trandata encryption (spec §3.2): AES-128-CBC with the 16-byte Terminal
// Resource Key as both key and IV, PKCS#5/#7 padding (always 1..16 bytes),
// hex-encoded. KNET writes upper-case hex; both cases are read.

var errTrandata = errors.New("knet: bad trandata")

// encryptTrandata returns lower-case hex of the encrypted plain text.
func encryptTrandata(key []byte, plain string) (string, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	n := aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, len(plain)+n)
	copy(buf, plain)
	for i := len(plain); i < len(buf); i++ {
		buf[i] = byte(n)
	}
	cipher.NewCBCEncrypter(block, key).CryptBlocks(buf, buf)
	return hex.EncodeToString(buf), nil
}

// decryptTrandata reverses encryptTrandata; hex may be in either case.
func decryptTrandata(key []byte, data string) (string, error) {
	ct, err := hex.DecodeString(data)
	if err != nil || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return "", errTrandata
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return "", err
	}
	cipher.NewCBCDecrypter(block, key).CryptBlocks(ct, ct)
	n := int(ct[len(ct)-1])
	if n < 1 || n > aes.BlockSize {
		return "", errTrandata
	}
	for _, b := range ct[len(ct)-n:] {
		if int(b) != n {
			return "", errTrandata
		}
	}
	return string(ct[:len(ct)-n]), nil
}
