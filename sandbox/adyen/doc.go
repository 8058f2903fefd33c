// Package adyen simulates Adyen's Checkout API v71 for KNET, with Standard
// webhooks signed by HMAC, offline, as an http.Handler mounted under
// Config.BasePath for Bawaba's sandbox mode. It follows shared/spec/adyen.md
// (and seed 002, Adyen's "KNET for API only" page) and shares no code with
// the Adyen connector (gateway/adyen): each checks the other.
//
// # Routes (beneath BasePath, Adyen's real paths)
//
//   - POST /v71/paymentMethods (spec §3, §9): {"paymentMethods":[{"name":
//     "KNET","type":"knet"}]} when countryCode is KW and the amount, if given,
//     is in KWD; otherwise an empty list.
//   - POST /v71/payments (spec §4, §9): knet only, KWD only, amount.value a
//     JSON integer in minor units (1.500 KWD = 1500), reference (≤ 80),
//     absolute http(s) returnUrl. Answers resultCode "RedirectShopper",
//     pspReference (16 characters, A–Z and 0–9), merchantReference and
//     action {paymentMethodType:"knet", method, url, type:"redirect"}.
//   - POST /v71/payments/details (spec §5): {"details":{"redirectResult":…}}
//     with the URL-decoded value; redeemable once. Answers resultCode,
//     pspReference, merchantReference, amount, paymentMethod.type and, for
//     Refused and Error, refusalReason and refusalReasonCode.
//   - POST /v71/payments/{pspReference}/refunds: 201 {status:"received",
//     paymentPspReference, pspReference, reference, amount, merchantAccount},
//     then a REFUND webhook (success "false" when the payment is not
//     authorised, the currency differs, or refunds would exceed the amount).
//     A refund whose value's last three digits are 013 (1.013 KWD) is accepted
//     (REFUND "true") and, PendingDelay later, fails: REFUND_FAILED with
//     success "true", reason "Refund failed at the acquirer", the same
//     pspReference, and the amount refundable again.
//   - POST /v71/payments/{pspReference}/cancels: 201 {status:"received", …},
//     then a CANCELLATION webhook: success "true" for an offer still on the
//     page (the page then shows it cancelled and cannot pay) or an authorised
//     payment with no refund; "false" otherwise.
//   - GET /hpp/knet?redirectData=…[&lang=ar|en] and POST /hpp/knet: the KNET
//     page the redirect leads to (a look-alike of KNET's page, in Arabic rtl
//     or English ltr from shopperLocale — ar, ar-KW, ar_KW → Arabic — with a
//     lang override and a language link). No script, no external assets.
//
// Every API route needs the X-API-Key header (Basic auth is not simulated).
// All API routes honour the Idempotency-Key header.
//
// # Sandbox credentials (Config values the server wires)
//
//	APIKey          "AQE_bawaba_sandbox_adyen_api_key_0001"
//	MerchantAccount "BawabaSandboxECOM"
//	HMACKey         "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
//	WebhookURL      <checkout base URL>/webhooks/adyen
//
// The spec gives no Adyen test credentials; the HMAC key is Adyen's published
// example key (vector A1 of spec §7). The API key and the HMAC key are never
// written to pages, URLs or logs.
//
// # Test cards (spec §8: Adyen's KNET uses Tap's KNET test cards)
//
// Choose any bank ("Knet Test Card [KNET1]" is the test bank; the choice does
// not change the outcome) and any 4-digit PIN (e.g. 1234).
//
//	card              expiry     /payments/details          webhook(s)
//	8888880000000001  09/2030    Authorised                 AUTHORISATION true
//	8888880000000002  09/2030    Authorised                 AUTHORISATION true
//	8888880000000003  09/2030    Pending                    AUTHORISATION true, PendingDelay (5s) later
//	8888880000000004  09/2030    Pending                    AUTHORISATION false "Refused", PendingDelay later
//	8888880000000005  09/2030    Error "Acquirer Error" (4) AUTHORISATION false "Acquirer Error"
//	any of the above  other      Refused "Refused" (2)      AUTHORISATION false "Refused"
//	any other card    any        Refused "Refused" (2)      AUTHORISATION false "Refused"
//	Cancel button     —          Cancelled                  AUTHORISATION false "Shopper Cancelled"
//	left on the page  30 min     Error "Offer Closed"       OFFER_CLOSED true
//
// 0001 and 0002 with 09/2030 (approved) and another expiry (refused) are
// Tap's KNET test data (tap.md §8: 09/30 CAPTURED, 05/21 NOT CAPTURED);
// 0003, 0004 and 0005 are the simulator's own.
//
// # Hooks for Playwright
//
// On the form: data-testid adyen-knet-bank, adyen-knet-card,
// adyen-knet-exp-month, adyen-knet-exp-year, adyen-knet-pin,
// adyen-knet-submit, adyen-knet-cancel; also adyen-knet-amount,
// adyen-knet-errors (validation summary) and lang-switch. A finished payment
// shows adyen-knet-result with data-status="Authorised|Refused|Error|
// Cancelled|Pending|Expired" and adyen-knet-return (the way back to the
// merchant); an unknown redirectData shows adyen-knet-page-error. Form field
// names: redirectData, lang, bank, card_number, exp_month (01–12), exp_year
// (4 digits), pin, action=submit|cancel.
//
// # Webhooks (spec §6, §7)
//
// Each event is POSTed to WebhookURL as its own batch {"live":"false",
// "notificationItems":[{"NotificationRequestItem":{…}}]} with
// additionalData.hmacSignature = base64(HMAC-SHA256(hex-decoded HMACKey,
// pspReference:originalReference:merchantAccountCode:merchantReference:
// value:currency:eventCode:success)). paymentMethod is "knet"; eventDate has
// a numeric offset; originalReference is "" except for REFUND and
// CANCELLATION (the payment's pspReference; their own pspReference is new);
// operations ["CANCEL","REFUND"] on a successful AUTHORISATION; reason holds
// the refusal reason of a failed one. A delivery counts only when the answer
// is 2xx and its body is "[accepted]"; otherwise it is retried after
// RetryBase (2s), doubling up to 5 minutes, until 24h after the first attempt
// (by Config.Now). WebhookDelay is waited before each first attempt. The
// browser is answered before the webhook is sent, so either may reach the
// merchant first. Events are independent and may arrive out of order.
//
// # Decisions on the spec's open points
//
//   - Redirect method: GET by default, as in the spec's sample (action.url =
//     PublicURL + "/hpp/knet?redirectData=…"). A request with
//     redirectToIssuerMethod "POST" gets method "POST", url PublicURL +
//     "/hpp/knet" and data {"redirectData": …} (spec §4: post data to url).
//     The way back is a 303 to returnUrl with redirectResult appended (the
//     URL's query and fragment kept); with redirectFromIssuerMethod "POST"
//     the page instead shows a form that POSTs redirectResult to returnUrl
//     (a button: no script).
//   - redirectResult is opaque standard base64 (with '!', '+', '/', '='), so
//     a merchant must URL-decode it before /payments/details (seed: "the
//     URL-decoded redirectResult"). It is a snapshot of the moment the shopper
//     left the page: a Pending card redeems as Pending even after its final
//     webhook. Redeeming twice, or an unknown value, is 422 "14_018"
//     "Invalid payload provided".
//   - Expiry: a payment still on the page 30 minutes after /payments (Tap's
//     KNET expiry, tap.md §3) is closed: OFFER_CLOSED success "true", once,
//     sent by a 1-second sweeper or on the next access, by Config.Now. The
//     page then answers 410 and cannot pay; its return link redeems as Error
//     "Offer Closed".
//   - pspReference is returned by /payments already (Adyen's samples show
//     only action and resultCode).
//   - Idempotency-Key: per path; a repeat with the same body replays the
//     stored answer (and echoes the header); another body is 422 "704"
//     "request already processed or in progress". Only successful answers
//     are stored, so a key whose request failed may be used again.
//   - shopperName, shopperEmail and telephoneNumber (the KNET page's fields)
//     are accepted and not required; unknown request fields are ignored.
//   - Errors are {status, errorCode, message, errorType}. 401 "000"
//     "HTTP Status Response - Unauthorized" security (verbatim from Adyen);
//     403 "901" "Invalid Merchant Account" security; 400 "000" "Unable to
//     parse message." for malformed JSON or wrong JSON types; 422 "100" no
//     amount; 422 "137" amount.value not a positive JSON integer; 422 "138"
//     currency not three capital letters; 422 "130" no reference; 422
//     "14_002" "Required field '…' is not provided." for merchantAccount,
//     paymentMethod.type, returnUrl, details; 422 "702" for a field with a
//     bad value (reference > 80, returnUrl, redirect…IssuerMethod); 422
//     "905_1" "Could not find an acquirer account for the provided txvariant
//     (…), currency (…), and action (AUTH)." configuration for a method other
//     than knet or a currency other than KWD; 422 "167" for refunds/cancels
//     of an unknown pspReference; 404 "000" "Not Found" for other paths.
//     Codes 000 (both messages), 100, 14_002 and 905_1 were seen in Adyen's
//     docs or issues; the others are Adyen's published codes used as closely
//     as could be checked, or plausible choices in Adyen's style.
//   - Refusal reasons use Adyen's names and codes: "Refused" (2), "Acquirer
//     Error" (4), "Shopper Cancelled" (16, webhook reason only; details say
//     just Cancelled). A shopper's Cancel is an AUTHORISATION with success
//     "false", as the seed's webhook table has no other event for it.
//   - Refund and cancel outcomes are asynchronous as in Adyen: the API says
//     "received"; the webhook says whether it worked. Refund failure reasons
//     ("Payment is not authorised", "Currency mismatch", "Insufficient
//     balance on payment") and "Transaction cannot be cancelled" are guesses.
//   - REFUND_FAILED: Adyen sends it when a refund it accepted is returned later
//     by the scheme; its specs give no test trigger, so the 013 amount and the
//     reason text are our decision, to let a shop see that path end to end.
//   - Webhook acceptance requires the body "[accepted]" (the historical rule
//     in spec §6, which current 2xx-only receivers also satisfy when they
//     send it); retries last 24h rather than Adyen's 30 days. No Basic auth
//     is sent (optional in Adyen, not configured here).
//   - An HMACKey that is not hex is logged (without its value) and the
//     webhooks then carry an empty hmacSignature.
package adyen
