package knet

import (
	"net/http"
	"strings"
	"testing"
)

func TestTranPipeErrors(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	e.pay(p, cardTest1, "09", "2030")
	e.merchant.next(t)
	track := p.get("trackid")
	auth := "<id>123456</id><password>123456pg</password>"
	tests := []struct{ name, body, code string }{
		{"not XML", "id=123456&password=123456pg", errInvalidInput},
		{"broken XML", auth + "<action>8</action><amt>6.000", errInvalidInput},
		{"no id", "<password>123456pg</password><action>8</action>", errMissingTranportal},
		{"wrong id", "<id>654321</id><password>123456pg</password><action>8</action>", errInvalidTranportal},
		{"no password", "<id>123456</id><action>8</action>", errInvalidPassword},
		{"wrong password", "<id>123456</id><password>123456PG</password><action>8</action>", errInvalidPassword},
		{"action 1", auth + "<action>1</action>", errInvalidAction},
		{"no action", auth, errInvalidAction},
		{"no transid", auth + "<action>8</action><amt>6.000</amt><trackid>" + track + "</trackid>", errMissingOriginal},
		{"no amt", auth + "<action>8</action><transid>" + track + "</transid><trackid>" + track + "</trackid><udf5>TrackID</udf5>", errMissingAmount},
		{"bad amt", inquiryXML("8", track, "6.0001", track, "TrackID"), errInvalidAmount},
		{"no trackid", auth + "<action>8</action><amt>6.000</amt><transid>" + track + "</transid><udf5>TrackID</udf5>", errInvalidTrackID},
		{"bad udf5", inquiryXML("8", track, "6.000", track, "Email"), "IPAY0100032"},
		{"unknown track id", inquiryXML("8", "NOPE", "6.000", "NOPE", "TrackID"), errNotAvailable},
		{"unknown tranid", inquiryXML("8", "1234567890123456", "6.000", track, ""), errNotAvailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.tranPipe(tt.body)
			if r["error_code_tag"] != tt.code || r["error_text"] != tt.code+" - "+codeText[tt.code][0] {
				t.Errorf("answer %q, want %s", r["_raw"], tt.code)
			}
		})
	}
	t.Run("param", func(t *testing.T) {
		status, body, _ := e.do(http.MethodPost, testBase+"/kpg/tranPipe.htm?param=other", strings.NewReader(inquiryXML("8", track, "6.000", track, "TrackID")), "application/xml")
		if status != http.StatusOK || !strings.Contains(body, "<error_code_tag>"+errUnableToProcess+"</error_code_tag>") {
			t.Errorf("status %d: %s", status, body)
		}
	})
	t.Run("GET", func(t *testing.T) {
		if status, _, _ := e.do(http.MethodGet, testBase+"/kpg/tranPipe.htm?param=tranInit", nil, ""); status != http.StatusMethodNotAllowed {
			t.Errorf("status %d", status)
		}
	})
}

func TestInquiryForms(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams().with("udf1", "a<b>'c'")
	pid, _, _, _ := e.pay(p, cardTest1, "09", "2030")
	e.merchant.next(t)
	track := p.get("trackid")
	for name, body := range map[string]string{
		"manual":          inquiryXML("8", track, "6.000", track, "TrackID"),
		"request wrapper": `<?xml version="1.0" encoding="UTF-8"?><request>` + inquiryXML("8", track, "6.000", track, "trackid") + `<currencycode>414</currencycode></request>`,
		"newlines":        strings.ReplaceAll(inquiryXML("8", pid, "6", track, "PaymentID"), "><", ">\n<"),
	} {
		t.Run(name, func(t *testing.T) {
			r := e.tranPipe(body)
			if r["result"] != resultCaptured || r["payid"] != pid || r["trackid"] != track || r["udf1"] != "a<b>'c'" {
				t.Errorf("answer %q", r["_raw"])
			}
		})
	}
	t.Run("amount mismatch", func(t *testing.T) {
		r := e.inquire(track, "6.001")
		if r["result"] != "FAILURE(SUSPECT)" || r["payid"] != "" {
			t.Errorf("answer %q", r["_raw"])
		}
	})
	t.Run("track id mismatch", func(t *testing.T) {
		r := e.tranPipe(inquiryXML("8", pid, "6.000", "OTHER", "PaymentID"))
		if r["result"] != "FAILURE(SUSPECT)" {
			t.Errorf("answer %q", r["_raw"])
		}
	})
	t.Run("still on the page", func(t *testing.T) {
		p2 := e.defaultParams()
		pid2 := e.start(p2)
		e.submit(pid2, cardTest1, "09", "2030")
		r := e.tranPipe(inquiryXML("8", pid2, "6.000", p2.get("trackid"), "PaymentID"))
		if r["error_code_tag"] != errNotAvailable {
			t.Errorf("answer %q", r["_raw"])
		}
	})
}

func TestRefund(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	pid, _, _, _ := e.pay(p, cardTest1, "09", "2030")
	n := e.merchant.next(t)
	track := p.get("trackid")

	r := e.tranPipe(inquiryXML("2", track, "2.000", track, "TrackID"))
	if r["result"] != resultCaptured || r["payid"] != pid || r["amt"] != "2.000" || len(r["tranid"]) != 16 ||
		r["tranid"] == n.fields.Get("tranid") || len(r["ref"]) != 12 {
		t.Errorf("partial refund: %q", r["_raw"])
	}
	if r := e.tranPipe(inquiryXML("2", n.fields.Get("tranid"), "4.001", track, "")); r["error_code_tag"] != errCreditExceeds {
		t.Errorf("over-refund: %q", r["_raw"])
	}
	if r := e.tranPipe(inquiryXML("2", pid, "4", track, "PaymentID")); r["result"] != resultCaptured || r["amt"] != "4.000" {
		t.Errorf("rest refund: %q", r["_raw"])
	}
	if r := e.tranPipe(inquiryXML("2", track, "0.001", track, "TrackID")); r["error_code_tag"] != errCreditExceeds {
		t.Errorf("refund beyond the total: %q", r["_raw"])
	}
	if r := e.tranPipe(inquiryXML("2", track, "1.000", "OTHER", "TrackID")); r["result"] != "FAILURE(SUSPECT)" {
		t.Errorf("refund with another trackid: %q", r["_raw"])
	}
	// The purchase itself stays CAPTURED for the inquiry.
	if r := e.inquire(track, "6.000"); r["result"] != resultCaptured {
		t.Errorf("inquiry after refunds: %q", r["_raw"])
	}

	t.Run("host timeout is refundable", func(t *testing.T) {
		p2 := e.defaultParams()
		e.pay(p2, cardHostTimeout, "09", "2030")
		e.merchant.next(t)
		if r := e.tranPipe(inquiryXML("2", p2.get("trackid"), "6.000", p2.get("trackid"), "TrackID")); r["result"] != resultCaptured {
			t.Errorf("answer %q", r["_raw"])
		}
	})
	t.Run("declined is not", func(t *testing.T) {
		p3 := e.defaultParams()
		e.pay(p3, cardTest1, "01", "2030")
		e.merchant.next(t)
		if r := e.tranPipe(inquiryXML("2", p3.get("trackid"), "1.000", p3.get("trackid"), "TrackID")); r["error_code_tag"] != errCaptureCheck {
			t.Errorf("answer %q", r["_raw"])
		}
	})
	t.Run("unknown", func(t *testing.T) {
		if r := e.tranPipe(inquiryXML("2", "NOPE", "1.000", "NOPE", "TrackID")); r["error_code_tag"] != errNotAvailable {
			t.Errorf("answer %q", r["_raw"])
		}
	})
}

func TestUnknownPath(t *testing.T) {
	e := newEnv(t, nil)
	if status, _, _ := e.do(http.MethodGet, testBase+"/kpg/other.htm", nil, ""); status != http.StatusNotFound {
		t.Errorf("status %d", status)
	}
	if status, _, _ := e.do(http.MethodPost, testBase+"/kpg/PaymentHTTP.htm?param=paymentInit", nil, ""); status != http.StatusMethodNotAllowed {
		t.Errorf("POST paymentInit: status %d", status)
	}
}
