// Package click simulates Click (clickkw.com, "CLK"), the Kuwaiti K-Net and
// credit card aggregator, offline: its "gatedeveloper" API v1 and its hosted
// pages, as an http.Handler mounted under Config.BasePath for Bawaba's
// sandbox mode. It follows shared/spec/click.md, itself drawn from the seed
// shared/seeds/000_7c7fde10cf2cb5a0.txt, and shares no code with the Click
// connector (gateway/click): each checks the other.
//
// Sandbox credentials (the seed's examples, used when Config leaves them
// empty): developer user "Dev1" (SandboxDeveloperUser) and Bearer token
// "CIQC2Z5WUVTAKcBHISsOVMJIJE8PAbVe5" (SandboxToken). Store fees: K-Net
// 0.250 KWD, Credit Card 0.500 KWD. Sessions live 45 minutes.
//
// What it serves, beneath BasePath (CLK's real paths, spec §3):
//
//   - POST /api/developer/gatedeveloper/{developeruser}: Create Session.
//     No body. Answers {"apiVersion":1,"gatewayResponse":{"result":"SUCCESS",
//     "session_id","session_expire":{"date","timezone_type":3,
//     "timezone":"Asia/Kuwait"},"indicator_status","status":"No_status"}}.
//   - POST /api/developer/gatedeveloper/sessionupdate/{developeruser}[/ar|/en]:
//     Update Session with session_id, order_id, order_amout (sic),
//     return_url and the optional customer_* fields. Answers
//     {"apiVersion":1,"gatewayResponse":{"result":"SUCCESS","session_id",
//     "order_id","payment_url","status":"No_status"}}; payment_url opens
//     CLK's page.
//   - POST /api/developer/gatedeveloper/paymentstatus/{developeruser}:
//     Payment Status with session_id and order_id. Answers
//     {"Order_id":5,"Status":"success","Response":"success"} once paid.
//   - GET /gateway/{session_id}: CLK's page, "Payment To <merchant>", Track ID
//     (the order_id), amount, and the choice K-Net / Credit Card.
//   - GET /gateway/{session_id}/confirm?method=knet|card: "This Transaction
//     Will Be Paid Using K-Net|Credit Card" and Pay (POST to the same path).
//   - GET and POST /gateway/{session_id}/knet: KNET's page (Merchant: Click,
//     Website, Amount KD x.xxx; bank, card number, expiry, PIN; Submit,
//     Reset, Cancel).
//   - GET and POST /gateway/{session_id}/card: the Mastercard Hosted Checkout
//     step ("CLICK : x.xxx KWD"; card number, expiry MM YY, cardholder name,
//     security code, optional billing address; Pay, Cancel).
//   - GET /gateway/{session_id}/result: CLK's result page ("Successful
//     Payment", Payment ID, Transaction ID, Ref ID, Track ID, "This
//     Transaction Has Been Paid At … Using K-Net", "Please Wait! Until
//     Redirecting To Website.") that sends the browser back after 5 seconds
//     (CLK uses a meta refresh; here a script countdown with a "Stay on this
//     page" button, since a refresh nobody can stop fails WCAG 2.2.1 and axe;
//     without JavaScript the "Return" link is there) to
//     return_url?message=success&message_type=success&indicator_status=<the
//     Create Session indicator>, or after a failure to
//     return_url?message=error&message_type=wrong&indicator_status=ERROR<16 digits>.
//
// Every page is Arabic (lang="ar" dir="rtl") or English (lang="en"
// dir="ltr"): the language of Update Session's path, overridden by a
// ?lang=ar|en query (a hidden lang field on forms), with a link to the other
// language. No script, no external asset, only logical CSS properties.
//
// Outcomes. K-Net: card 8888880000000001 with expiry 09/2030 and any 4-digit
// PIN is paid; the same card with another expiry, or any other card, is
// declined; Cancel cancels. Both failures end the session: result page, then
// the error return. Credit Card (MPGS test conventions, the expiry picks the
// result): cards 5123450000000008, 5111111111111118, 4508750015741019 (3-digit
// security code) and 345678901234564 (American Express, 4 digits); expiry
// 01/39 is APPROVED and paid; 05/39 DECLINED, 04/27 EXPIRED_CARD, 08/28
// TIMED_OUT, 01/37 ACQUIRER_SYSTEM_ERROR, 02/37 UNSPECIFIED_FAILURE, 05/37
// UNKNOWN, any other expiry or any other (Luhn-valid) card DECLINED. A
// refused card is shown on the card page with its code and the session stays
// open, so the payer can retry, as Hosted Checkout does (seed §2.2.5.2);
// Cancel ends the session with the error return.
//
// Hooks for Playwright (data-testid): click-lang (language link, every
// page); click-method-knet, click-method-card, click-continue (method
// choice); click-track-id, click-amount (summary); click-method, click-pay,
// click-change-method (confirm page); click-knet-amount, click-knet-bank,
// click-knet-card, click-knet-exp-month, click-knet-exp-year, click-knet-pin,
// click-knet-submit, click-knet-reset, click-knet-cancel (K-Net step);
// click-card-amount, click-card-number, click-card-exp-month,
// click-card-exp-year, click-card-name, click-card-cvc, click-card-street1,
// click-card-street2, click-card-city, click-card-state,
// click-card-postcode, click-card-country, click-card-submit,
// click-card-cancel, click-card-declined (with data-code) (card step);
// click-errors (validation summary); click-result with
// data-status="paid|failed|expired" and data-reason="declined|cancelled|fee|expired",
// click-payment-id, click-transaction-id, click-ref-id, click-fee,
// click-return (result page); click-not-found (unknown session).
//
// Decisions on the spec's open points ([GUESS] and gaps, spec §9):
//
//   - Checks, in this order, on every call: POST (else 405 and
//     INVALID_REQUEST); an "Authorization: Bearer <token>" header and
//     "Content-Type: application/json" (the seed requires both on every call,
//     Create Session included) else INVALID_HEADER; the token (compared in
//     constant time) else INVALID_AUTH; the {developeruser} of the URL, which
//     must be the token's developer, else "Developer Not Supported" (-1);
//     then the account's DeveloperStatus (" Developer Not Accepted ",
//     " Developer Suspended").
//   - HTTP status codes (§9.3): unknown, so every application error is
//     HTTP 200 with the seed's body: a connector must read the body. The
//     bodies are valid JSON (the seed's trailing commas are a print
//     artefact), keep the seed's spaces (" ORDER Duplicate ") and types
//     ("status":"false", 0, -1; "apiVersion" 1 on success, "1" in errors).
//   - Update Session's response and how the browser reaches CLK (§9.1): a
//     JSON gatewayResponse with payment_url, <PublicURL>/gateway/<session_id>;
//     the session id is in the page URL, so pages send Referrer-Policy:
//     no-referrer. The indicator_status never appears on a page before the
//     success return.
//   - Update Session body: keys match case-insensitively (the seed's
//     "Order_amout", "Customer_name"); order_amout keeps its spelling, so
//     "order_amount" is missing; "return_url " (the sample's trailing space)
//     is not return_url. order_id is a positive int(11) (JSON number, or a
//     string of digits); order_amout a JSON number or string, > 0, at most
//     6 integer digits; return_url an absolute http(s) URL of at most 255
//     characters (the seed's scheme-less "Www.order.com/return" is refused);
//     customer_* and Customer_id are optional strings or numbers of at most
//     255 characters. Any of these wrong: INVALID_REQUEST. The path's /ar or
//     /en wins over a body "lang"; anything else is English.
//   - Amount precision (§9.4): decimal(8,2) is declared but KWD has 3
//     decimals; the simulator keeps fils exactly (6.125 stays 6.125, shown
//     "6.125 KWD") and never rounds. Only KWD exists; there is no currency field.
//   - Session rules: an unknown session_id (surrounding spaces trimmed, as
//     the seed prints them) is " INVALID SESSION"; past SessionTTL after
//     Create Session an unfinished session is " Session Expire" on Update
//     and Payment Status and "Session Expired" on the pages, which return
//     with the error parameters. Update Session may (re)set the order until
//     the shopper presses Pay; after that, or once finished, it is
//     " INVALID SESSION". order_id is unique per developer for ever: a second
//     Update Session naming a used order_id, even on the same session (a
//     retry), is " ORDER Duplicate ".
//   - Payment Status values (§9.2): Status/Response mirror the return's
//     message/message_type: "success"/"success" once paid, "error"/"wrong"
//     after any failure (declined, cancelled, below the fee: CLK does not
//     distinguish them), "No_status"/"No_status" before; " Session Expire"
//     for an expired unfinished session; " INVALID SESSION" when the
//     session is unknown or order_id is not its order. No K-Net ids are
//     returned: the seed shows them only on CLK's page.
//   - Store fee (seed §6.2.1, "depend on payment method"): checked when the
//     shopper presses Pay; an amount not greater than the method's fee fails
//     the session and the result page says the minimum, then returns with the
//     error parameters.
//   - The K-Net step skips KNET's separate confirmation page and receipt;
//     the Hosted Checkout's two screens (card, billing address) are one page.
//   - A finished session is only shown: a repeated Pay, Submit or card Pay is
//     redirected (303) to the result page and charges nothing twice.
//   - Notifications: CLK sends none (spec §6), so Config.HTTPClient and
//     Config.RetryBase are unused and Close has nothing to stop.
//   - Sessions stay in memory for the simulator's life.
//
// The token is never written to pages, URLs or logs; the indicator_status is
// never logged.
package click
