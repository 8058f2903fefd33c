package knet

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"errors"
	"unicode/utf8"
)

// maxTrandataHex bounds the hex trandata we agree to decrypt (KNET's notification is a few
// hundred characters).
const maxTrandataHex = 16 << 10

// errTrandata is the one error every decryption failure gives: a caller (and whoever watches
// our answers) must not learn whether the hex, the padding or the plain text was wrong.
var errTrandata = errors.New("knet: trandata does not decrypt under the terminal resource key")

// errKey is returned when the terminal resource key is not 16 bytes.
var errKey = errors.New("knet: the terminal resource key must be 16 bytes")

// encryptTrandata is spec §3.2: AES-128-CBC with key = IV = the 16 ASCII bytes of the terminal
// resource key, PKCS#7 padding to 16 bytes (always 1..16 pad bytes), lower-case hex.
func encryptTrandata(key []byte, plain string) (string, error) {
	block, err := newBlock(key)
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

// decryptTrandata reverses encryptTrandata. It accepts hex in either case (KNET's own samples
// are upper-case) and fails with errTrandata, and nothing more precise, when the hex is not
// whole blocks, the padding is not PKCS#7, or the plain text is not printable UTF-8 text
// (control characters mean a garbled block). The scheme has no MAC: these checks are the
// only integrity check there is.
func decryptTrandata(key []byte, hexText string) (string, error) {
	block, err := newBlock(key)
	if err != nil {
		return "", err
	}
	if len(hexText) == 0 || len(hexText) > maxTrandataHex || len(hexText)%(2*aes.BlockSize) != 0 {
		return "", errTrandata
	}
	buf, err := hex.DecodeString(hexText)
	if err != nil {
		return "", errTrandata
	}
	cipher.NewCBCDecrypter(block, key).CryptBlocks(buf, buf)
	n := int(buf[len(buf)-1])
	if n < 1 || n > aes.BlockSize || !bytes.Equal(buf[len(buf)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
		return "", errTrandata
	}
	plain := buf[:len(buf)-n]
	if !printable(plain) {
		return "", errTrandata
	}
	return string(plain), nil
}

func newBlock(key []byte) (cipher.Block, error) {
	if len(key) != aes.BlockSize {
		return nil, errKey
	}
	return aes.NewCipher(key)
}

// printable reports whether b is valid UTF-8 without control characters.
func printable(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, r := range string(b) {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
