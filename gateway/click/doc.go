// Package click is the connector for Click (clickkw.com), the Kuwaiti KNET / credit-card
// aggregator, through its "gatedeveloper" API v1 (seed "CLICK Version 1.0 Jan 2019"). It
// implements gateway.Gateway under the name "click" for the method "click" in KWD only.
//
// It follows the research spec shared/spec/click.md, written from the seed alone:
//   - §2 authentication: every call is a POST with Content-Type application/json and
//     "Authorization: Bearer <token>"; the developer user is a path segment. Config.BaseURL is
//     the host ("https://clickkw.com", or the sandbox's "http://127.0.0.1:PORT/sandbox/click")
//     and the real paths "/api/developer/gatedeveloper/…" are appended.
//   - §3.1 Create Session: POST …/gatedeveloper/{developeruser} without a body; session_id and
//     indicator_status are kept, session_expire (Kuwait time) is read.
//   - §3.2 Update Session: POST …/gatedeveloper/sessionupdate/{developeruser}/{ar|en} with
//     session_id, order_id, order_amout (sic), return_url and the optional customer fields.
//   - §3.3 the browser return (message, message_type, indicator_status), a trigger only.
//   - §3.4 Payment Status: POST …/gatedeveloper/paymentstatus/{developeruser} with session_id and
//     order_id (the seed's example URL, which omits "paymentstatus/", is taken as a typo).
//   - §4 statuses and §5 the error catalog; §6: no signatures and no webhook.
//
// Decisions taken where the spec is a [GUESS], a gap or ambiguous:
//
//   - Order id. Click's order_id is an int(11) that must be unique per store ("ORDER Duplicate"):
//     Attempt.Seq is sent, so every attempt (also a retry of the same order) has its own. A Seq
//     outside 1…2147483647 is refused before any call. The attempt id and the merchant's
//     reference go to customer_comment ("INV-1001 / att_…") for Click's panel.
//   - Amount. The seed declares order_amout decimal(8,2) although KWD has 3 decimals and Click's
//     own pages show "KD 6.000". An amount is sent as a JSON number with exactly 2 decimals
//     ("6.00", from money.Amount.String(), never a float); an amount whose third decimal is not 0
//     (6.125) or that is above 999999.99 is refused at Start with gateway.ErrRejected, because
//     Click would store (and charge) it rounded. The sent literal is kept in State.
//   - Amount reported. Payment Status documents no amount. When it carries one anyway
//     (order_amout, order_amount or amount; a plain decimal with at most 3 decimals) that amount
//     is reported, an unreadable one as the zero Amount (a mismatch for a paid result). When it
//     carries none, Result.Amount is the amount we sent in Update Session for this very session
//     (from State): Click binds it to the session server-to-server, under our token, and the
//     browser never carries it, so it is what Click charged unless Click lies. This departs from
//     "the zero Amount when the gateway reported none", which would make every Click payment a
//     mismatch; without the amount in State the zero Amount is reported.
//   - Reference. Payment Status echoes Order_id (read case-insensitively, number or string).
//     When it equals the order_id we sent, Result.OurReference is the attempt id and TrackID is
//     the order id (Click's "Track ID" is the order id); when it differs the answer is an error
//     wrapping gateway.ErrUnavailable and nothing changes; when it is absent OurReference stays
//     empty. Result.PaymentID is Click's session_id (also Started.PaymentID).
//   - Payment page. How the browser reaches Click's page after Update Session is not documented.
//     In order: a 3xx answer's Location; a payment_url (or url, redirect_url) in the JSON answer,
//     top level or inside gatewayResponse; Config.PayPageURL with "{session_id}" replaced; else
//     Start fails with gateway.ErrUnavailable. Relative URLs are resolved against the API URL;
//     only absolute http(s) URLs without user info are used. Redirects are never followed
//     (the configured client is copied, not changed). The Action is always a Redirect.
//   - Language. The path form /ar or /en is always sent ("ar" for Locale "ar", otherwise "en");
//     the sample's "lang" body key is not sent.
//   - Customer. customer_name and customer_email are sent trimmed, customer_phone as its digits
//     only (a string: the table says varchar), each cut to 255 bytes on a rune boundary; empty
//     ones are left out. customer_address, customer_civilid and Customer_id are not sent.
//   - Indicator. Click generates indicator_status per session, i.e. per attempt; it is kept in
//     State and never put in errors, URLs or Raw. A success return (message=success and
//     message_type=success) must carry exactly it, compared in constant time; otherwise the
//     return fails with gateway.ErrBadRequest before any call, so nothing changes.
//   - Return. A success return with the right indicator is confirmed by Payment Status: paid only
//     when Click says so; pending (No_status: Click not caught up) becomes unknown; anything else
//     is what Payment Status says. An error return (message=error, any message_type; the
//     indicator is Click's ERROR… value and cannot be checked) is also confirmed by Payment
//     Status: paid, expired, failed or cancelled there win; otherwise it is failed with
//     gateway.ReasonNotCompleted, or cancelled when message_type is cancel/cancelled/canceled
//     (not in the seed). Cancels: the spec has NO cancel signal. A Cancel on CLK's KNET or card
//     page comes back as error/wrong, exactly like a decline or Click's "amount below the
//     store's fees" error, and Payment Status documents only "success". So a cancel at Click
//     cannot be told apart and is failed with reason not_completed, whose words ("cancelled or
//     declined on the payment page, no money taken") are true of all three, rather than
//     declined (which would blame the bank for the shopper's own cancel) or cancelled (which
//     would call a decline a cancel). Any other return (no message, success with another message_type, a parameter
//     given twice with different values) is gateway.ErrBadRequest. If Payment Status cannot be
//     reached the return fails (nothing changes) and the reconciler asks later.
//   - Payment Status mapping. Status "success" (any case) is paid when Response is absent or
//     also "success", else unknown. "No_status" is pending, or expired (reason timeout) once the
//     session_expire kept in State is more than 15 minutes past. The undocumented
//     error/wrong/failed/failure/fail are failed (not_completed), declined failed (declined),
//     cancel/cancelled/canceled
//     cancelled, expired/expire expired; the body {"message":" Session Expire","status":0} is
//     expired (reason timeout, as the brief asks: a late success after it can only come through a
//     success return, which is then flagged by the order service); anything else is unknown.
//     GatewayCode is Status, GatewayMessage Response, Raw the answer's exact bytes.
//   - Lenient JSON. The seed prints trailing commas and a bare `"Status": success`; an answer
//     that does not parse is retried after dropping trailing commas and quoting bare words.
//     Keys match case-insensitively; values may be strings or numbers; strings are trimmed
//     (the seed pads session ids and messages with spaces).
//   - Errors. HTTP codes are undocumented, so a documented error body is recognized whatever the
//     status (message trimmed and compared case-insensitively) and becomes an *Error wrapping:
//     gateway.ErrRejected with reason gateway_error for INVALID_AUTH, INVALID_HEADER,
//     INVALID_REQUEST, Developer Not Supported / Not Accepted / Suspended, ORDER Duplicate and
//     INVALID SESSION (and for unknown errors with Click's status 0/-1/"false");
//     gateway.ErrUnavailable with reason timeout for Session Expire (a new attempt gets a new
//     session). Otherwise network errors, 3xx (except Update Session's), 408, 429 and 5xx wrap
//     gateway.ErrUnavailable and other non-2xx gateway.ErrRejected. errors.As gives the *Error
//     with Click's code and the reason. The token is never logged nor put in an error.
//   - Webhook. Click sends no notifications: Webhook always fails with gateway.ErrBadRequest.
//     No refund, void, capture or close API is documented, so none is implemented.
package click
