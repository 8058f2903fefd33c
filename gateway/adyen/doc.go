// Package adyen is the connector for KNET payments through Adyen's Checkout API v71
// (API-only integration, payment method "knet", currency KWD only) and Adyen's Standard
// webhooks. It implements gateway.Gateway under the name "adyen", and gateway.Acknowledger
// and gateway.Refunder.
//
// It follows the research spec shared/spec/adyen.md and its seed
// shared/seeds/002_f2e80ca6116827fe.txt (Adyen's "KNET for API only" page):
//   - §1 endpoints and authentication: POST {BaseURL}/paymentMethods, {BaseURL}/payments,
//     {BaseURL}/payments/details and {BaseURL}/payments/{pspReference}/refunds, where BaseURL
//     includes the version (".../v71"); X-API-Key; JSON bodies; Adyen's error body {status,
//     errorCode, message, errorType}.
//   - §2 amounts in minor units: KWD × 1000 through money.Amount.Minor(), read back with
//     money.FromMinor. Never a float.
//   - §3 /paymentMethods: KNET is offered for KW/KWD (checked before every /payments, cached).
//   - §4 the /payments request for KNET and its redirect action (CheckoutRedirectAction).
//   - §5 and the seed's table: the browser's redirectResult redeemed with /payments/details,
//     and the resultCode mapping.
//   - §6 and the seed's webhook table: Standard webhook batches (notificationItems[]
//     .NotificationRequestItem), acknowledged with "[accepted]".
//   - §7 the HMAC of each item, verified in constant time (tests: the official vectors A1,
//     A2, A5, A6, A7 of the spec's table, plus the two Java-library vectors the spec cites
//     in its subtleties, labelled A3 and A4 in the tests since the table skips those numbers).
//
// Decisions taken where the spec is a [GUESS] or leaves a choice:
//
//   - Reference. The attempt id (att_…, at most 80 characters) is the /payments reference,
//     so webhooks' merchantReference is our attempt id. No merchantOrderReference or metadata
//     is sent: the spec does not list them.
//   - KNET availability. Before POST /payments, Start asks POST /paymentMethods with
//     merchantAccount, countryCode "KW", amount (the attempt's, KWD minor units),
//     shopperLocale (as for /payments; not in §3's sample, but a standard /paymentMethods
//     field) and channel "Web", and goes on only when paymentMethods[] holds an entry whose
//     type is exactly "knet" (storedPaymentMethods are not looked at). Otherwise Start returns
//     an error wrapping gateway.ErrRejected ("KNET is not enabled on this Adyen merchant
//     account") and makes no /payments call. The attempt is validated first, so an invalid
//     attempt makes no call at all. No Idempotency-Key (the call changes nothing).
//     Errors: network, 408, 429, 5xx and an answer that is not a JSON object with a
//     paymentMethods array (absent or null reads as empty, hence "not enabled") →
//     gateway.ErrUnavailable; other 4xx → gateway.ErrRejected, as for every call.
//   - Availability cache. A positive answer is cached per merchant account for 10 minutes
//     from the time the answer arrived (Gateway.knet, a mutex-guarded map; the clock is the
//     unexported Gateway.now, time.Now from New, replaced by tests). An entry is valid while
//     0 ≤ now − answer < 10 min, so a clock set back re-asks. A negative answer and errors are
//     never cached, so enabling KNET in the Customer Area is seen at the next attempt, while
//     disabling it is seen within 10 minutes (/payments then fails as Adyen answers it). The
//     cache is not shared between Gateway values and is lost on restart; concurrent Starts
//     that all miss may each ask (no single-flight: the answer is idempotent). The amount is
//     not part of the key: Adyen's KNET has no per-amount availability in the spec.
//   - Request fields. paymentMethod.type "knet", amount, reference, returnUrl (the attempt's
//     ReturnURL; Adyen appends redirectResult), merchantAccount, countryCode "KW", channel
//     "Web", shopperLocale "ar-KW" for Arabic and "en-US" otherwise ([GUESS] in §4).
//     shopperEmail and telephoneNumber (a leading '+' and the digits) when the customer has
//     them; shopperName only when the name has at least two words (first word → firstName,
//     the rest → lastName), since Adyen wants both and we do not invent one.
//   - Idempotency-Key. The attempt id on /payments ([GUESS] in §1: best effort; each attempt
//     is a fresh id anyway). None on /payments/details (redeeming is naturally idempotent at
//     Adyen) nor on refunds: Refund has no refund id, and a key per attempt would wrongly
//     merge two equal partial refunds.
//   - Action. Only type "redirect" is followed: method GET (or none) → ActionRedirect to
//     action.url; POST → ActionPostForm to action.url with one field per action.data entry,
//     in the order Adyen sent them. The url must be absolute http(s), and the method GET,
//     POST or none (else ErrUnavailable); any other action type is ErrRejected (KNET never
//     asks for one). A /payments answer
//     without an action is final at once (Refused, Error, Cancelled, Authorised) or pending
//     (Received, Pending): it is reported in Started.Result with ActionWait. PaymentID is
//     the pspReference when Adyen gives one.
//   - State. "resultCode" (and "refusalReason" when final at once) from /payments, and
//     action.paymentData when an older-style answer carries one; it is then sent back with
//     /payments/details. v71 needs only redirectResult (spec §5), so State is otherwise
//     informative.
//   - resultCode mapping (seed table). Authorised → paid: KNET is captured at once, there is
//     no separate capture. Cancelled → cancelled (reason cancelled). Error → failed
//     (gateway_error). Refused → failed, reason read from refusalReason's text (see below),
//     declined by default. Pending and Received → pending: the AUTHORISATION webhook settles
//     them. Anything else (RedirectShopper, PartiallyAuthorised, new codes) → unknown: never
//     paid, asked again.
//   - Authorised without an amount. The order service treats a paid result without a
//     matching amount as a mismatch, so an Authorised answer that reports no amount is
//     returned as pending ("waiting for the AUTHORISATION webhook"), whose signed item always
//     carries the amount. With an amount, it is returned as reported and the order service
//     compares it.
//   - Return. redirectResult (GET query or POST form, merged by the caller) must be
//     non-empty and at most 64 KiB, else ErrBadRequest without any call. Adyen answering
//     400/422 to /payments/details (forged, tampered with or already redeemed) is
//     ErrBadRequest. An answer whose merchantReference is not the attempt id, or whose
//     pspReference is not the attempt's payment id (when both are known), is about another
//     payment: ErrBadRequest, nothing applied. merchantReference is returned as OurReference.
//   - Inquire. The Checkout API has no "get payment" (spec §3, §5). Inquire never calls
//     Adyen: it returns pending with a GatewayMessage saying the AUTHORISATION/OFFER_CLOSED
//     webhook settles the payment, except when State holds a final resultCode from /payments
//     (Refused, Error, Cancelled), which it reports again. So the reconciler never fails or
//     pays an Adyen attempt on its own; the attempt ends by webhook (or by the order's own
//     expiry in the order service).
//   - Refusal reasons. Adyen's refusal texts ([GUESS]: from Adyen's public list of refusal
//     reasons, not in the spec) are read case-insensitively: "Not enough balance" /
//     "insufficient" → insufficient, "Expired Card" → card_expired, "fraud"/"risk" → risk,
//     "Issuer Unavailable"/"timeout" → timeout, "cancel" → cancelled, "error" (e.g.
//     "Acquirer Error") → gateway_error, anything else → declined. A failed AUTHORISATION
//     whose reason reads as a cancel ("Shopper Cancelled") is status cancelled, not failed, so
//     it agrees with the Cancelled resultCode of the browser's return whichever comes first.
//   - Webhook verification. The body is parsed first (malformed → ErrBadRequest); then every
//     item's additionalData.hmacSignature must equal base64(HMAC-SHA256(hex_decode(HMACKey),
//     pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:
//     eventCode:success)), compared with hmac.Equal. The values are the strings exactly as
//     received (no escaping, no sorting); amount.value is its JSON literal as received. An
//     item without amount is accepted when signed with empty value and currency (Adyen's
//     Java library) or value "0" (its Go library). Any item failing, a missing signature,
//     or no valid hex key configured → ErrSignature for the whole batch: nothing is applied.
//     The optional Basic auth of the endpoint is not used.
//   - Live. After verification, a batch whose "live" field ("true"/"false", any case)
//     differs from Config.Live, or holds anything else, is ErrBadRequest (acknowledged, never
//     applied): a test notification can never pay a live order nor the reverse. A batch
//     without the field is accepted. The field is not covered by the HMAC, but the test and
//     live HMAC keys differ.
//   - Merchant account. Items whose merchantAccountCode is not Config.MerchantAccount are
//     ignored (a company-level webhook may carry several accounts).
//   - Webhook mapping (seed table, gateways-summary §2). AUTHORISATION success "true" → paid;
//     "false" → failed, reason from `reason` as above. OFFER_CLOSED "true" → expired.
//     CANCELLATION "true" → voided. REFUND "true" → refunded, REFUND "false" and
//     REFUND_FAILED (any success) → failed, each with Notification.Refund = {RefundID: the
//     merchantReference (our refund id for our refunds), GatewayRef: the refund's own
//     pspReference}: the order service settles the refund it names, or, when it names none of
//     ours (a refund made in the Customer Area), applies a refunded one to the attempt. Any
//     other event, and OFFER_CLOSED/CANCELLATION with success "false", give no notification
//     (a failed cancellation must be looked at in the Customer Area). Ref.AttemptID is the
//     merchantReference (our attempt id for payments); Ref.PaymentID
//     is the pspReference for AUTHORISATION and OFFER_CLOSED, the originalReference (the
//     payment) for CANCELLATION and REFUND, whose own pspReference goes to TransactionID.
//     Result.Amount comes from amount.value (minor units) and amount.currency; OurReference
//     is the merchantReference for AUTHORISATION and OFFER_CLOSED only; At is eventDate;
//     Raw is the item's own JSON (it holds no secret of ours). Batches are read item by
//     item, in order; duplicates are fine, the order service is idempotent.
//   - Acknowledge. 200 text/plain "[accepted]" when the batch was applied or can never be
//     (err nil, or ErrBadRequest: retrying would not help); 401 on ErrSignature, so that
//     Adyen retries (up to 30 days) once the HMAC key is fixed. Any other error (the order
//     service failing to store a verified result) is answered 503, so that Adyen retries:
//     there is no inquiry API to recover a lost webhook. This departs from "200 unless
//     ErrSignature" on purpose.
//   - Refund. POST /payments/{pspReference}/refunds with merchantAccount, amount and
//     reference = our refund id (gateway.RefundID; the attempt id without one), so that its
//     REFUND notification names the refund even when we never stored its pspReference (a crash
//     after the call). Modifications are asynchronous (§6): "received" is reported as pending
//     with PaymentID = the refund's pspReference, and the REFUND / REFUND_FAILED notification
//     is the answer. Any other status, or "received" without a pspReference, is ErrUnavailable.
//   - Refund inquiry, decided on purpose: the spec has no way to ask Adyen about a payment or
//     a modification (no GET by pspReference, §3 of gateways-summary), so the connector is no
//     gateway.RefundInquirer nor RefundReplayer (Idempotency-Key support is a [GUESS] in §1:
//     we never resend a refund on it). A pending Adyen refund waits for its notification,
//     which Adyen retries for 30 days until we answer 2xx; a notification we cannot store is
//     answered 503 (see Acknowledge), so it comes back.
//   - Errors. 4xx answers wrap gateway.ErrRejected with Adyen's errorCode, message and
//     errorType; network errors, 408, 429, 5xx and answers we cannot read wrap
//     gateway.ErrUnavailable. The API key and the HMAC key are never logged nor put in an
//     error, a URL or Raw; should Adyen echo one, it is redacted.
package adyen
