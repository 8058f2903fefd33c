// Package knet simulates KNET's own payment gateway (the FSS "KPG", RAW /
// Tranportal method) offline, as an http.Handler mounted under
// Config.BasePath, for Bawaba's sandbox mode. It follows shared/spec/knet.md
// (§3 request and trandata, §4 notification, §5 results and IPAY codes, §6
// inquiry and refund, §7 test environment, §9 simulator notes) and shares no
// code with the KNET connector: each checks the other.
//
// Routes, beneath BasePath (KNET's real paths):
//
//   - GET /kpg/PaymentHTTP.htm?param=paymentInit&trandata=…&tranportalId=…
//     &responseURL=…&errorURL=… — decrypts trandata (AES-128-CBC, IV = key,
//     PKCS#7, hex in either case), validates it and answers 302 to the payment
//     page /kpg/paymentpage.htm?PaymentID=<18 digits>.
//   - GET /kpg/paymentpage.htm?PaymentID=…[&lang=ar|en] — KNET's page as on
//     the seed's screenshots: Billing Information (merchant, website, amount
//     "KD 6.000"), Card Information (bank list with "Knet Test Card [KNET1]",
//     card number, expiry month and year, PIN), Submit / Reset / Cancel; then
//     the confirmation (masked card, expiry, PIN ****) with Confirm / Back /
//     Cancel. Arabic (rtl) for langid AR/ARA, English (ltr) for USA/EN/ENG;
//     ?lang= overrides; no script, inline CSS with logical properties only.
//   - POST /kpg/paymentpage.htm — the page's buttons (field "action":
//     submit, cancel, confirm, back).
//   - POST /kpg/tranPipe.htm?param=tranInit — root-less XML, id and password
//     in clear: action 8 inquiry, action 2 refund.
//
// Sandbox terminal (the made-up values of the spec's vectors K1–K4, so they
// work as they are): Tranportal ID "123456", password "123456pg", Terminal
// Resource Key "0123456789ABCDEF" (SandboxTranportalID, …Password,
// …ResourceKey; used when the Config fields are empty).
//
// Test cards, any bank, any 4-digit PIN:
//
//   - 8888880000000001, 8888880000000002 with MagicExpiry (default 09/2030):
//     CAPTURED; with any other expiry: NOT CAPTURED (spec §7).
//   - 8888880000000003, any expiry: HOST TIMEOUT; the issuer approves it late:
//     inquiries answer HOST TIMEOUT for Config.HostTimeoutSettle (default 5s)
//     after the outcome, then CAPTURED (so a merchant's reconciler settles it).
//   - 8888880000000004, any expiry: DENIED BY RISK.
//   - any other 16–19 digit number: NOT CAPTURED.
//   - Cancel (card page or confirmation): CANCELED.
//
// Hooks for Playwright (data-testid): card page knet-bank, knet-card,
// knet-exp-month, knet-exp-year, knet-pin, knet-submit, knet-reset,
// knet-cancel, knet-errors (validation summary); confirmation knet-confirm,
// knet-back, knet-cancel, knet-confirm-details; every payment page
// knet-amount and lang-switch; after a failed handshake knet-void
// (data-status = the result, data-code = IPAY0100249 or IPAY0200014) with
// knet-return (link to errorURL); a finished payment knet-result
// (data-status = CAPTURED, NOT CAPTURED, CANCELED, HOST TIMEOUT or DENIED BY
// RISK) with knet-return (the receipt URL); knet-busy while the handshake
// runs; knet-error (data-code) for requests KNET refuses on its own page.
//
// Decisions on the spec's open points ([GUESS] and gaps):
//
//   - Magic expiry: the manual v1.4 says 09/2021, aggregators today 09/30;
//     the default is 09/2030 and Config.MagicExpiry changes it.
//   - Special outcomes use card numbers (…0003, …0004), not magic PINs, so a
//     Playwright suite picks an outcome the same way for all of them.
//   - One card-number field (16–19 digits, spaces and dashes ignored), not
//     KNET's prefix list + 10 digits; the bank choice is required but does not
//     change the outcome. Years 2018–2040 (and MagicExpiry's year).
//   - langid: USA, EN, ENG => English; AR, ARA => Arabic (any case); else
//     IPAY0100026.
//   - paymentInit errors: before trandata is decrypted and its errorURL is
//     valid, KNET's error page (400) — never a redirect to an unauthenticated
//     URL; after, 302 to errorURL?Error=…&ErrorText=…&paymentid=&trackid=…
//     &amt=…&udf1..udf5 with ErrorText "IPAY0100114 - Duplicate Record".
//     Order: 038 param, 007, 005, 006, 050 key, 176 decrypt, 013 not text,
//     001/002 errorURL, 005/006 inner id, 015 password, 033 action 4 / 020
//     other actions, 003/004 responseURL, 021/022 currency, 023/024 amount,
//     026 langid, 027 trackid, 028–032 udf1–5, 114 duplicate trackid (any
//     earlier paymentInit, whatever became of it). The clear responseURL and
//     errorURL after trandata are ignored: the encrypted ones rule.
//   - URLs: absolute, no query, no fragment, ≤255 characters; http is
//     accepted besides https because the sandbox runs on loopback. Values in
//     the plain text are not URL-decoded (KNET does not): an encoded URL is
//     IPAY0100004. Amount: 1 to 3 decimals or none, >0, ≤10 characters, always
//     echoed with 3. Track ID: ≤40 printable ASCII, none of - = [ ] / ? . &,
//     no space. UDFs: ≤255, no control characters, no @ or /; udf5 starting
//     "ptlf" ≤50.
//   - Notification (spec §4): POST application/x-www-form-urlencoded with
//     only trandata=<UPPER-CASE hex>; decrypted fields in the manual's order
//     paymentid, result, auth, avr=N, ref, tranid, postdate (MMDD, Kuwait
//     time), trackid, udf1–5, amt[, authResponseCode]. auth only on CAPTURED;
//     authResponseCode 00 on CAPTURED, 05 on NOT CAPTURED, absent otherwise;
//     CANCELED exactly as the manual's sample (empty auth, ref, tranid,
//     postdate).
//   - Handshake: one attempt within NotifyTimeout. Accepted: HTTP 200 whose
//     first line is REDIRECT=<absolute http(s) URL> and whose other lines are
//     blank (CRLF and a BOM tolerated); the browser then gets 302 to it. Any
//     other answer is IPAY0200014, no answer in time or no connection
//     IPAY0100249: the transaction is auto-voided and the shopper sees KNET's
//     error page (knet-void). KNET does not retry, so Config.RetryBase is
//     unused (kept for the common Config shape).
//   - Cancel goes through the notification as result CANCELED (manual §5),
//     not as IPAY0100048 to errorURL.
//   - Session time limit: 15 minutes from paymentInit (SessionTimeout),
//     applied lazily with the injected clock; then the page, any button and
//     any reload send the browser to errorURL with IPAY0100042; no
//     notification.
//   - Inquiry (action 8): transid chosen by udf5 — empty, TransID or
//     TransactionID: tranid; TrackID; PaymentID; RefID or SeqNum: ref (any
//     case; other values IPAY0100032); amt and trackid must match, else
//     FAILURE(SUSPECT). Results: CAPTURED (with the auth code and
//     authRespCode 00) for a capture and for HOST TIMEOUT; FAILURE(NOT
//     CAPTURED), FAILURE(DENIED BY RISK), FAILURE(CANCELED) for the others;
//     FAILURE(NOT CAPTURED) once auto-voided; the result is visible from the
//     moment the notification is sent, so the merchant may inquire inside its
//     handler. Not found, or still on the page: IPAY0100263; expired:
//     IPAY0100042. Missing transid IPAY0100232, amt 023/024, trackid 027.
//   - XML: root-less elements, also accepted inside <request>…</request> and
//     after an XML declaration; answers are root-less in the manual's order
//     (result, payid, trackid, udf1–5, ref, auth, avr, postdate, tranid, amt,
//     authRespCode), errors <error_code_tag> and <error_text>, always HTTP 200,
//     text/xml. Wrong id 005/006, password 015, action 020, bad XML 177, param
//     038.
//   - Refund (action 2): full or partial, repeatable up to the captured amount
//     (IPAY0100137 beyond), only for a capture not voided (IPAY0100136);
//     success is CAPTURED with a new tranid, ref and auth; an inquiry of the
//     purchase still answers CAPTURED. The simulator keeps every refund: an
//     inquiry (action 8) by the refund's own tranid (udf5 empty, TransID or
//     TransactionID, spec §6's default) answers the refund's fields with
//     CAPTURED, FAILURE(SUSPECT) when trackid or amt are not the refund's.
//     [DECIDED: §6 names the inquiry's identifiers of a transaction, and a
//     refund is a transaction with its own tranid.]
//   - A finished payment's page (any reload or button) shows "already
//     processed" (IPAY0100047) with a link to the receipt and never charges
//     again; while the handshake runs, the page answers 409 with IPAY0100040.
//
// The password and the resource key are never written to pages, URLs or
// logs; trandata is not logged either.
package knet
