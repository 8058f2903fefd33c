package i18n_test

import (
	"testing"

	"github.com/bawaba/checkout/i18n"
)

// FuzzAcceptLanguage reads any Accept-Language header: the choice is always Arabic or English,
// and adding a member that cannot win (a language refused with q=0, an unsupported one, or one
// whose q is not a valid qvalue of RFC 9110 §12.4.2) never changes it.
func FuzzAcceptLanguage(f *testing.F) {
	for _, h := range []string{
		"ar-KW,ar;q=0.9,en-US;q=0.8,en;q=0.7", "en;q=0.2, ar;q=0.8", "*;q=0.9, ar;q=0.1", ",,;q=,ar;q=0.3",
		"ar;q=0, en;q=0.1", " ar ; q=0.7 , en ; q=0.6 ", "en", "fr;q=1, ar;level=1;q=0.5", "",
	} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := i18n.Choose("", "", "", h)
		if got != i18n.AR && got != i18n.EN {
			t.Fatalf("%q → %q", h, got)
		}
		for _, extra := range []string{"ar;q=0", "en;q=0.000", "fr", "xx-ar;q=1", "ar;q=2", "ar;q=inf", "ar;q=NaN",
			"en;q=1e0", "ar;q=-1", "ar;q=0x1", "en;q=1.5", "ar;q="} {
			if again := i18n.Choose("", "", "", h+","+extra); again != got {
				t.Fatalf("%q → %q, but with %q added → %q", h, got, extra, again)
			}
		}
	})
}
