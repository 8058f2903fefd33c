// Package tap simulates Tap Payments' Charges and Refunds API v2 for KNET
// (source src_kw.knet) offline, as an http.Handler mounted under
// Config.BasePath, for Bawaba's sandbox mode. It follows shared/spec/tap.md
// and shares no code with the Tap connector (gateway/tap): each checks the
// other.
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
//   - POST /v2/refunds (spec §1, §5): Bearer secret key; body {charge_id,
//     amount, currency, reason, description, reference{merchant}, metadata,
//     post{url}}. Refunds a CAPTURED charge at once and answers 200 with
//     {id "re_…", object "refund", api_version "V2", live_mode false, amount
//     (JSON number, as for charges), charge_id, created (epoch ms string),
//     currency, status "REFUNDED", reference {merchant (echoed), gateway (15
//     digits)}, response {code "000", message "Refunded"}, metadata,
//     description, reason, post {attempt, status, url} when post.url was
//     given}, in the field order of Tap's refund sample. Honours
//     Idempotency-Key.
//   - GET /v2/refunds/{id}: the same refund object, 404 for an unknown id,
//     400 for an id not matching ^re_[A-Za-z0-9]{1,64}$.
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
// Refund decisions:
//
//   - reason is required (Tap's docs: "Refund amount, currency, reason and
//     original Charge ID are required"); any non-blank text is accepted, not
//     only duplicate|fraudulent|requested_by_customer, since Tap's own
//     examples and plugin send free text.
//   - Validation, 400 in Tap's error shape: first the body alone, every error
//     listed (1100 body, 1125 metadata, 1130 charge_id, 1140 amount: > 0, at
//     most the currency's decimals (3 for KWD, BHD, OMR, JOD, IQD, LYD, TND,
//     else 2), a JSON number or string parsed exactly, 1141 currency not a
//     3-letter code, 1142 reason, 1113 post.url); then against the charge:
//     1249 "Charge not found", 1143 charge not CAPTURED (an expired INITIATED
//     charge is ABANDONED first) and 1144 currency not the charge's (both
//     listed together), then 1145 when the refunds would exceed the charge
//     amount (the description says what is left, "4.500 KWD"). Sums are in
//     integer fils, never float. GET errors: 1131 bad id, 1250 not found
//     (404). All these codes but 1249 are invented.
//   - Every refund is REFUNDED / 000 at once; Tap's other refund statuses
//     (PENDING 100, IN_PROGRESS 200, …) are never emitted.
//   - The charge is kept as it was, even fully refunded: status CAPTURED,
//     amount, response and activities unchanged (Tap refunds are separate
//     objects). A fully refunded charge refuses more refunds with 1145.
//   - Idempotency-Key: a repeated key returns the refund created first,
//     whatever the new body says, and refunds nothing more, even once the
//     charge is fully refunded. Refund keys and charge keys are separate. A
//     refused request does not bind its key.
//   - No redirect object: a refund involves no browser.
//   - Webhook: when post.url is given the refund JSON is POSTed there with the
//     charge machinery (WebhookFirst, retries, post.attempt/status). Tap
//     documents no signature for refunds; the simulator sends a hashstring
//     header with the charge formula (spec §6) over the refund's fields:
//     x_id refund id, x_amount with the currency's decimals ("0.500"),
//     x_currency, x_gateway_reference reference.gateway, x_payment_reference
//     "" (a refund has none), x_status "REFUNDED", x_created the refund's
//     created. As for charges, receivers should re-fetch (GET
//     /v2/refunds/{id}) rather than trust it.
//
// The secret key is never written to pages, URLs or logs.
package tap
