package knet

import (
	"strings"
	"testing"
)

// The spec's vectors (§8): key 0123456789ABCDEF, IV = key.
var vectors = []struct{ name, plain, hex string }{
	{"K1", "abc", "39c480c277169080e26d1de692e2b21f"},
	{"K2", "0123456789abcdef", "b241d7578a3b5dfb6824d2eb09f1d6facb902ba36a0a4b384d81b13c5df4b0eb"},
	{"K3", "id=123456&password=123456pg&action=1&langid=USA&currencycode=414&amt=15.750&responseURL=https://merchant.example/knet/notify&errorURL=https://merchant.example/knet/error&trackid=ORD10001&udf1=&udf2=&udf3=&udf4=&udf5=",
		"9dea97cb750eca668118cbad1cdd93e2b4e62481393146fe3376b729b2c2693b0d3ca44019a1809645b0ec4c0bd2b6de6568e920e636cadee09c8887acbd360668a796bc51205a0b44c4909932ba4a154abf837728f266c5c48ca9da33c190640db4ce0b2e26282b0f4ad88fbaf2973ca9efb6b82b86b41121f3bbeb1b96cdb6ea78622cf09e42e09bd801aea7f619e2761fc923d04ab5668c05e76c468a440d4fc3a9d2b0ab012a5bde9a86c50f62c649e5562a57a67e159c359fe76334dd97e67075895ed8e30f4852400fa362a3ce6979bd1bd6f420052704e42382b4f4ed"},
	{"K4", "paymentid=8962225231041180&result=CAPTURED&auth=999554&avr=N&ref=411857974849&tranid=9929892231041180&postdate=0427&trackid=632186&udf1=&udf2=&udf3=&udf4=&udf5=&amt=20.550&authResponseCode=00",
		"beb801e147cf273b86626622ccb1056dc251115b31effb1dab32ecfc320f854a92bbd12d3df68f13e803df964021c31b52437e81febe0eb299d34e5dfbddeda5ae1da3ebf64580193e331e9d3da08fc6f707b50fa77e3c4ed126c31f2ee97eb07567b52a861a2cad839c2cf3d07a4fc25af81ef94d8f1d95a6feb65c7d6fa95205b611370438181dab2fc7417113a702252ecc21552cd7f82d500f405af3f5888a87a7bdb75eaeffde9ea2694e795bc7e86e04d1875da70456fcffd83e700d3c"},
}

func TestTrandataVectors(t *testing.T) {
	key := []byte(SandboxResourceKey)
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			got, err := encryptTrandata(key, v.plain)
			if err != nil || got != v.hex {
				t.Fatalf("encrypt = %q, %v; want %q", got, err, v.hex)
			}
			for _, in := range []string{v.hex, strings.ToUpper(v.hex)} {
				plain, err := decryptTrandata(key, in)
				if err != nil || plain != v.plain {
					t.Errorf("decrypt(%.16s…) = %q, %v; want %q", in, plain, err, v.plain)
				}
			}
		})
	}
}

func TestTrandataRejectsBadInput(t *testing.T) {
	key := []byte(SandboxResourceKey)
	k1 := vectors[0].hex
	for name, in := range map[string]string{
		"empty":           "",
		"not hex":         "zz" + k1[2:],
		"odd length":      k1[1:],
		"partial block":   k1[:30],
		"bad padding":     k1[:len(k1)-2] + "00",
		"wrong key block": "00000000000000000000000000000000",
	} {
		if plain, err := decryptTrandata(key, in); err == nil {
			t.Errorf("%s: decrypt = %q, want an error", name, plain)
		}
	}
}
