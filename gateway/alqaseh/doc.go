// Package alqaseh is the connector for card payments through Al Qaseh (Iraq), Payment API v2
// (the "egw" e-commerce gateway), with Al Qaseh's hosted payment page. It implements
// gateway.Gateway under the name "alqaseh", and gateway.Closer.
//
// It follows the research spec shared/spec/alqaseh.md and its seed
// (shared/seeds/004_b9815a50de4637a6.txt):
//   - §1 hosts and HTTP Basic authentication (client_id:client_secret); LiveBaseURL,
//     TestBaseURL, LivePaymentPageURL and TestPaymentPageURL name the real hosts.
//   - §2 endpoints: POST /egw/payments/create, GET /egw/payments/{payment_id} (the
//     server-to-server truth), POST /egw/payments/retry and /egw/payments/revoke with the
//     seed's guards, GET /egw/payments/history (for webhooks), and the error body
//     {"err","error_code","reference_code"}.
//   - §3 the create request; the shopper goes to {payment page}/pay/{token}.
//   - §4–5 the payment's fields and the nine statuses of the seed.
//   - §6 the webhook (a trigger only: p_sign cannot be verified) and §7 the redirect back
//     (a trigger only: unsigned).
//
// Decisions taken where the spec is a [GUESS], a gap, or ambiguous:
//
//   - Amounts. money keeps IQD at its ISO scale (3), but Al Qaseh takes IQD in whole dinars
//     (public clients round to an integer): an IQD amount is sent as an integer JSON number
//     ("amount":1500), and an IQD amount with a non-zero fraction is refused with
//     gateway.ErrRejected before any call, never rounded. Other configured currencies (USD)
//     are sent with their ISO decimals ("amount":12.50). The literal comes from the exact
//     decimal, never a float. Al Qaseh's answer (a number or a string) is read exactly with
//     math/big into a money.Amount at the ISO scale (1500 → IQD 1500.000); when it cannot be
//     represented (unknown currency, too many decimals, absent) Result.Amount stays the zero
//     Amount, which the order service treats as a mismatch for a paid result. The 250 IQD
//     minimum one public client enforces is not enforced here: Al Qaseh's own refusal comes
//     back as ErrRejected.
//   - order_id. Al Qaseh stores order_id as varchar(32) and answers a reused one with the
//     status duplicated. The attempt id (att_ + 22 base62 characters = 26) is unique per try
//     and is sent as it is; an id that is longer than 32 characters or uses other characters
//     would be sent as "h_" + the first 30 hex digits of its SHA-256. The order_id a payment
//     context holds is kept in State["order_id"]. Result.OurReference is the attempt id when
//     the payment's order_id is the one its context holds, and the order_id Al Qaseh echoed
//     otherwise (so the order service flags the mismatch).
//   - Token lifetime. token_expiry_in_hour is the hours left until Attempt.ExpiresAt,
//     rounded up (the shopper keeps all the time the order allows), within 1–720; it is
//     omitted (Al Qaseh's default) when the order has no expiry, and an order already past
//     its expiry is refused. Because hours are coarse the page may outlive the order by less
//     than an hour: Close revokes the context when the order expires or is cancelled.
//   - Other create fields. transaction_type is always "Retail" (a sale). The description is
//     the attempt's (white space collapsed), or "Order <merchant reference or order id>", cut
//     to 250 characters (Al Qaseh's limit is not public). email is sent when it has at most 80
//     characters. Not sent: country, custom_data, language (the hosted page's language cannot
//     be chosen through the documented API, so Attempt.Locale is unused), nonce and p_sign
//     (the request MAC's formula is not public), and the API-Key/X-Merchant-ID headers one
//     package adds.
//   - The create answer. HTTP 200 and 201 are both accepted; the payment may also come inside
//     a "data" object. payment_id must match ^[A-Za-z0-9_-]{1,128}$ and the token
//     ^[A-Za-z0-9_.~+=-]{1,1000}$ before either goes into a URL (path-escaped); otherwise
//     ErrUnavailable. The shopper is redirected (ActionRedirect) to
//     {PaymentPageURL}/{token}, or to PaymentPageURL with "{token}" replaced. When the answer
//     already carries a non-pending payment_status (duplicated), Start reports it as
//     Started.Result with ActionWait.
//   - Retry. When Attempt.Prior is set and has a payment id, its payment is read first; it is
//     retried (POST /egw/payments/retry with {"payment_id": prior, "details": "retry as
//     <attempt id>"}) only when its status is one the seed allows a retry from (expired,
//     declined, failed, unknown), its order_id is the prior's, and its amount and currency
//     are this attempt's. The new payment_id and token are used like a created context's;
//     State["order_id"] stays the prior's order_id (retry takes no order_id) and
//     State["retried_from"] names the prior payment. When anything fails (the read, the
//     guards, Al Qaseh's refusal, an unreachable Al Qaseh, an answer without a new payment id
//     or a usable token) a context is created instead; a retried context whose token we
//     cannot use is revoked first (best effort). Two consequences of reusing the context,
//     which we accept: the retried context keeps the prior's redirect_url, so the browser
//     comes back to the prior attempt's return URL, where Return refuses it (payment_id is
//     not the prior's) and the shopper's result page checks the pending attempt through
//     Inquire; and its token lifetime is the prior's (the same order, the same expiry).
//   - Return. Only a trigger: payment_id must be present and equal to the attempt's payment
//     id (else ErrBadRequest, with no call), then the payment is read with GET. The query's
//     order_id and status (Success/Failed/Pending) are ignored.
//   - Status mapping (payment_status compared case-insensitively): prepared and retried →
//     pending; succeeded → paid (authorized when transaction_type is "Authorization", [GUESS]
//     of the summary; we only create Retail); failed → failed (reason gateway_error);
//     declined → failed (reason declined); duplicated → failed (reason gateway_error);
//     expired → expired; revoked → cancelled (reason cancelled: the spec's one cancel status,
//     which is also what the payer's Cancel on the payment page leaves, since the redirect's
//     Failed is said for cancellations too (§7) and is ignored); unknown, the redirect's
//     capitalised words (Success, Pending, …) and anything else → unknown, which is never
//     paid and is asked again. When the payment carries an ISO 8583 response code rc (the
//     Way4 vocabulary of §6), a failure's reason is refined: 51/61/65 insufficient, 33/54
//     card_expired, 34/41/43/59/62/63 risk, 68/91/96 timeout, 05/14/55/57 declined.
//   - Result fields. PaymentID payment_id; AuthCode approval_code (or approval); Reference
//     rrn; GatewayCode payment_status as sent; GatewayMessage "rc=… transaction_type=…";
//     At updated_at when it is RFC 3339 (Al Qaseh's timestamps are not documented); Raw the
//     payment's JSON with the client secret redacted should it ever appear.
//   - Webhook. p_sign's formula is not public, so nothing can be verified and ErrSignature
//     is never returned; a p_sign is not even required, since anyone could write one. The
//     body is read as a JSON object, or else as a form (the content type is a [GUESS]).
//     order_id must look like an order_id we send (^[A-Za-z0-9_-]{1,32}$), else ErrBadRequest
//     with no call. The webhook carries no payment_id in the seed: the payments of that
//     order_id are listed with GET /egw/payments/history?order_id=…&limit=10&offset=0&
//     order_by=desc&order_field=created_at (the answer's shape is not public: a top-level
//     array, or the first array under data/payments/items/results/records/history/rows/
//     content, one level deep, is read), and each listed payment is read with GET, which
//     alone decides the result; a payment_id in the body, should Al Qaseh send one, is read
//     directly instead. A payment whose order_id is not the webhook's is not reported (or,
//     named by payment_id, makes the request a bad one); one still pending is not reported
//     (nothing new); an order_id or payment_id Al Qaseh does not know is ErrBadRequest.
//     Each notification is keyed by Ref.PaymentID only, and its OurReference is empty: after
//     a retry one order_id (the prior attempt's id) covers two payment contexts, so mapping
//     order_id to an attempt id would hand the new payment's result to the prior attempt;
//     the payment id, which the order service stores from Start, is unambiguous, and the
//     result was read from Al Qaseh by that id with our credentials. p_sign, nonce,
//     timestamp, rc and payment_status as received are kept in GatewayMessage ("webhook:
//     …"), and Raw is {"webhook": <the body as received, or a JSON string when it is not
//     JSON>, "payment": <the payment read back>}, so the MAC can be checked later once Al
//     Qaseh publishes its formula. A webhook never causes a state-changing call at Al Qaseh.
//     The answer is the default 200 "ok" (Al Qaseh's expected answer is not documented).
//   - Close. The payment is read; it is revoked (POST /egw/payments/revoke, "details":
//     "order closed") only from prepared or retried, the statuses the seed allows; any other
//     status is final and Close returns nil without a call. When Al Qaseh refuses the revoke
//     and a second read shows the payment final meanwhile, Close returns nil too. Without a
//     payment id there is nothing to close.
//   - Inquire without a payment id (Start never got an answer) reports unknown.
//   - Errors. Every failure is an *Error wrapping gateway.ErrRejected (4xx, including 401/403
//     for bad credentials and 404; an answer we refuse to use) or gateway.ErrUnavailable
//     (network errors, 3xx — redirects are never followed — 408, 429, 5xx, unreadable
//     answers), carrying Al Qaseh's err/error_code/reference_code (also the error/message/
//     errorCode fallbacks public clients read) and a Reason for the shopper page: timeout for
//     timeouts, 408 and 504, gateway_error otherwise. The client secret is never logged, and
//     is redacted from anything Al Qaseh might echo into an error or Raw.
//   - Not implemented: refunds, reversals and captures (Al Qaseh's refund/reversal API is not
//     documented), the PCI-DSS process endpoint and GET /egw/payments/info/{token}.
package alqaseh
