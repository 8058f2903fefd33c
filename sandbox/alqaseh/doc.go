// Package alqaseh simulates Al Qaseh (alqaseh.com, Iraq) Payment API v2, the
// "egw" e-commerce gateway, offline: its API and its hosted card page, as an
// http.Handler mounted under Config.BasePath for Bawaba's sandbox mode. It
// follows shared/spec/alqaseh.md and the seed shared/seeds/004_b9815a50de4637a6.txt
// (docs.alqaseh.com/payment-api, "Version: 2.0"), and shares no code with the
// Al Qaseh connector (gateway/alqaseh): each checks the other.
//
// Sandbox credentials (the seed's test credentials; used when Config leaves
// them empty): HTTP Basic client id "public_test" (SandboxClientID) and client
// secret "Lr10yWWmm1dXLoI7VgXCrQVnlq13c1G0" (SandboxClientSecret). Payment
// tokens live 72 hours unless create says token_expiry_in_hour (1–720) or
// Config.TokenTTL changes the default.
//
// The real hosts are api-test.alqaseh.com/v1 and pay-test.alqaseh.com; both
// live here beneath BasePath, with their real paths (ARCHITECTURE.md "Sandbox
// and live"): the API's base URL is PublicURL + "/v1", the payment page's is
// PublicURL (so {PublicURL}/pay/{token}).
//
//   - POST /v1/egw/payments/create (spec §3): JSON amount (a JSON number,
//     > 0; IQD in whole dinars, USD with at most 2 decimals), currency (IQD or
//     USD), order_id (≤ 32 characters), description, redirect_url,
//     transaction_type (Retail|Authorization|Reversal|CompleteSales); optional
//     webhook_url, country (2 letters), email (≤ 80), custom_data (object),
//     nonce (1–64), p_sign (1–256, accepted unverified), token_expiry_in_hour
//     (1–720). Answers 200 {"payment_id","token"}; status prepared, or
//     duplicated when the order_id was used before.
//   - GET /v1/egw/payments/{payment_id} (spec §4): the context: payment_id,
//     order_id, amount, currency, description, transaction_type,
//     payment_status, approval_code, rc, rrn, country, merchant_email (the
//     create request's email), custom_data (null when absent), redirect_url,
//     webhook_url, created_at, updated_at (RFC 3339 UTC) and
//     payment_status_histories [{payment_id, payment_status, details,
//     created_at}].
//   - GET /v1/egw/payments/info/{token}: the same, by current token.
//   - POST /v1/egw/payments/process/{token} (PCI-DSS merchants):
//     {"CardNumber","Cvv","EXPMon","EXPYear"} (13–19 digits, 3–4 digits, MM,
//     YY or YYYY); answers the context after the card outcome (200 even when
//     declined) and notifies the webhook.
//   - POST /v1/egw/payments/retry {"payment_id","details"}: only from
//     expired, declined, failed or unknown; status retried, new payment_id and
//     new token, a fresh token lifetime; answers the context plus "token".
//   - POST /v1/egw/payments/revoke {"payment_id","details"}: only from
//     prepared or retried; status revoked and a new token; answers the context
//     plus "token".
//   - GET /v1/egw/payments/history: query limit (20; at most 100), offset (0),
//     order_by asc|desc (desc), order_field created_at|updated_at|amount|
//     order_id|payment_id|payment_status (created_at), and exact filters
//     amount, approval, currency, order_id, payment_id (current or former),
//     payment_status, rc, rrn, transaction_type; from and to (YYYY-MM-DD, "to"
//     inclusive, or RFC 3339) on created_at; language is validated (2 letters)
//     and ignored. Answers {"payments":[…],"total","limit","offset"}.
//   - GET /v1/egw/payments/history/download: the same query as CSV.
//   - GET and POST /pay/{token}: the hosted card page.
//
// Every API call needs HTTP Basic client_id:client_secret. Errors are
// {"err","error_code","reference_code"} with a fresh UUID reference_code that
// is also logged: 401 UNAUTHORIZED; 400 INVALID_REQUEST_BODY (not one JSON
// object); 400 VALIDATION_ERROR (err lists every "field: problem"); 404
// PAYMENT_NOT_FOUND (unknown payment_id or token, a replaced token); 409
// INVALID_PAYMENT_STATUS (retry, revoke or process outside their statuses);
// 404 ROUTE_NOT_FOUND (any other path or method).
//
// The hosted page (spec §8, §9): order, description, amount with the
// currency's decimals ("25,000 IQD", "12.50 USD"), the link's expiry; card
// number, expiry (MM-YYYY, MM/YY, MM/YYYY or MM-YY), CVV, card holder name;
// Pay and Cancel. Arabic (lang="ar" dir="rtl") or English (lang="en"
// dir="ltr"): a lang=ar|en query (or the form's hidden lang) wins, then the
// Accept-Language header (the higher q of ar and en), then Arabic; a link
// switches language. No script, no external asset, logical CSS properties
// only. A validation error re-renders (422) with the message in both
// languages and changes nothing; the CVV is never echoed.
//
// Outcomes (the seed documents only the success card; the others are the
// simulator's own):
//
//	5341432900077803, CVV 971, expiry 01-2027  succeeded  rc 00, approval (6 digits), rrn (12 digits)
//	5341432900077803, another CVV or expiry    declined   rc 05
//	4111111111111111 (any CVV, expiry)         declined   rc 05
//	4000000000000002                           failed     rc 96
//	4000000000000119                           unknown    rc 91
//	any other Luhn-valid card                  declined   rc 05
//	Cancel                                     revoked    rc, approval and rrn empty
//
// Card expiry dates are not compared with the clock. After Pay or Cancel the
// webhook is sent in the background and the browser gets 302 to
// redirect_url?payment_id=…&order_id=…&status=Success|Failed|Pending
// (succeeded → Success; unknown → Pending; every other → Failed), the URL's
// own query kept. A context that can no longer be paid shows its result
// (data-status) with a return link built the same way and is never charged
// again.
//
// Webhook (spec §6): POST to webhook_url, Content-Type application/json,
// fields in the seed's order: amount (number), currency, terminal_id
// (TerminalID, "90010001"), order_id, trtype (the transaction_type, e.g.
// "Retail"), rc, approval, rrn, p_sign, nonce (32 hex digits), timestamp
// (Way4 style UTC YYYYMMDDHHMMSS), payment_status (the API's lower-case
// status). There is no payment_id (the seed has none): find the payment by
// order_id and verify with GET /v1/egw/payments/{payment_id}. Sent after the
// page's Pay or Cancel and after process; not for create, duplicated, retry,
// revoke or expiry. Any 2xx acknowledges; otherwise the same body is resent
// after RetryBase (2s), doubling up to 5 minutes, until 24h after the first
// attempt or Close.
//
// Decisions on the spec's open points ([GUESS] and gaps):
//
//   - p_sign is PROVISIONAL and the simulator's own (Al Qaseh's formula is
//     not public): over amount, currency, terminal_id, order_id, trtype, rc,
//     approval, rrn, nonce, timestamp, payment_status (the values as sent),
//     each as its byte length followed by the value, or "-" when empty
//     (Way4 style), HMAC-SHA256 keyed with the client secret, upper-case hex.
//     Merchants must treat webhook and redirect as triggers and verify by GET.
//   - Reused order_id: a new context in status duplicated (200 with
//     payment_id and token; its page shows "duplicated"), not an error. A new
//     attempt for the same order goes through retry.
//   - Retry keeps one context: former payment_ids still resolve to it (GET
//     answers the current payment_id); retry or revoke with a former id is
//     409. Replaced tokens are 404 in the API; on the page they show the
//     context's status, or "replaced" while it can be paid with its new token.
//   - Expiry is applied lazily whenever a context is read (API, history,
//     page), dated at the token's expiry; the page says expired (HTTP 410).
//   - Cancel on the page revokes the payment and redirects with status=Failed.
//     The spec's only cancelled status is revoked (the gateway summary maps
//     it to cancelled) and the redirect of a cancellation is Failed (§7); what
//     payment_status a payer's cancel leaves is not documented, so we take the
//     one status that says "cancelled", not failed (which reads as an error).
//     Like a revoked context it cannot be retried: a new try creates a new
//     context.
//   - Currencies: IQD (whole dinars; "25000.0" accepted, 25000.5 refused) and
//     USD (2 decimals); no 250 IQD minimum. Create answers 200, not 201.
//   - HTTP statuses and error codes above are invented in the spec's shape.
//   - payment_id is a UUID; tokens are 43 URL-safe base64 characters.
//   - The legacy GET /payments/{id}/status is not served.
//
// Hooks for Playwright (data-testid): alqaseh-card, alqaseh-expiry,
// alqaseh-cvv, alqaseh-name, alqaseh-pay, alqaseh-cancel (form);
// alqaseh-order, alqaseh-amount (summary); alqaseh-errors (validation
// summary); alqaseh-test-cards (the test card note); lang-switch (language link, every page); alqaseh-result with
// data-status="succeeded|declined|failed|unknown|expired|revoked|duplicated|replaced"
// and alqaseh-return (result); alqaseh-not-found (unknown token).
//
// The client secret, the CVV and tokens are never written to logs; the
// secret never appears in pages or URLs.
package alqaseh
