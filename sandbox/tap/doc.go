// Package tap simulates Tap Payments' Charges API v2 for KNET (source
// src_kw.knet) offline, as an http.Handler mounted under Config.BasePath, for
// Bawaba's sandbox mode. It follows shared/spec/tap.md and shares no code with
// the Tap connector (gateway/tap): each checks the other.
//
// What it serves, beneath BasePath:
//
//   - POST /v2/charges (spec §1, §2, §3, §9.1): Bearer secret key; validates
//     like Tap (KWD only, amount > 0 with at most 3 decimals, given as a JSON
//     number or a string and never held in a float, source src_kw.knet,
//     absolute http(s) redirect.url, customer with first_name, email or
//     phone); answers the INITIATED charge whose transaction.url opens the
//     hosted page. Honours the lang_code (ar|en) and Idempotency-Key headers.
//   - GET /v2/charges/{id} (spec §1, §4, §9.4): the same object, 404 for an
//     unknown id, 400 for an id not matching ^(chg|auth)_[A-Za-z0-9]{1,64}$.
//   - GET and POST /knet/pay?chg=… (spec §8, §9.2, §9.3): a page looking like
//     KNET's, Arabic (rtl) or English (ltr), without script or external
//     assets. Cards 8888880000000001 and 8888880000000002 with expiry 09/2030
//     (year "2030" or "30") and any 4-digit PIN are CAPTURED. After Submit or
//     Cancel the charge JSON is POSTed to post.url with the hashstring header
//     (spec §6) and the browser gets a 303 to redirect.url with tap_id added.
//
// Hooks for Playwright: data-testid knet-bank, knet-card, knet-exp-month,
// knet-exp-year, knet-pin, knet-submit, knet-cancel on the form;
// knet-amount, knet-errors (validation summary), lang-switch;
// knet-result with data-status="CAPTURED|DECLINED|CANCELLED|ABANDONED" and
// knet-return on a finished charge; knet-page-error for an unknown chg.
//
// Decisions on the spec's open points ([GUESS] and gaps):
//
//   - Expiry: a charge still INITIATED 30 minutes after transaction.created
//     is ABANDONED (response 301 "Abandoned"), applied lazily when the charge
//     is read (GET, the page, an Idempotency-Key replay); the activity is
//     dated at the expiry instant and no webhook is sent for it.
//   - KNET "NOT CAPTURED" (a test card with another expiry, or any other card
//     number) is DECLINED with response 507 "Declined, Card Issuer" and
//     gateway.response 05 "NOT CAPTURED"; never FAILED. Cancel is CANCELLED,
//     response 302 "Canceled", gateway.response.message "CANCELED". The bank
//     choice must be made but does not change the outcome.
//   - Ids and references: reference.track (tck_…) and reference.payment
//     (19 digits) exist from creation; reference.gateway (15 digits, KNET's
//     PaymentID) is set by every KNET outcome; reference.acquirer (12 digits)
//     and transaction.authorization_id (letter + 5 digits) on capture only.
//   - amount is a JSON number without trailing zeros, as in the seed (0.500 →
//     0.5, 6.000 → 6); the webhook signs it with KWD's 3 decimals ("0.500").
//   - "method" is the HTTP method that produced the body: POST for create and
//     for the webhook, GET for retrieve.
//   - Idempotency-Key: a repeated key returns the charge created first,
//     whatever the new body says (keys are global: there is one secret key).
//   - Webhook: header hashstring only (the seed's "hash" header has no known
//     formula). post.attempt counts attempts including the one carrying it;
//     post.status goes PENDING → SUCCESS on a 2xx, or FAILED when retries stop
//     24h after the first attempt. redirect.status stays PENDING.
//   - Browser: 303 See Other after Submit and after Cancel (the form is a POST).
//   - Error codes: 2104 "Invalid API Key" is Tap's; 1249 "Charge not found"
//     reuses Tap's "Charges not found" code; the 400 codes (1100–1130) are
//     invented in Tap's style, and every validation error is listed at once.
//   - Amounts: at most 15 integer digits; no sign, no exponent.
//
// The secret key is never written to pages, URLs or logs.
package tap
