// Package kpay simulates Kasikornbank's K-Payment Gateway (K-Pay) offline, as
// an http.Handler mounted under Config.BasePath, for Bawaba's sandbox mode. It
// follows shared/spec/kpay.md (§1–§6, §8, §9, §10.2, §11, §14) and shares no
// code with the K-Pay connector (gateway/kpay): each checks the other. The
// real paths sit beneath BasePath, so only the connector's base URL differs.
//
// # Configuration and sandbox credentials
//
// Config carries the common fields (BasePath, PublicURL, HTTPClient, Now,
// RetryBase, Logger) and the merchant's K-Pay settings. An empty credential
// takes the sandbox value:
//
//	PublicKey   pkey_test_20923L43S4RABbtwVoM1zsopFCYzyZnyMwFsn  (SandboxPublicKey: the spec's §2.1 sample)
//	SecretKey   skey_test_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR      (SandboxSecretKey: the spec's sample secret, test prefix)
//	MID         401001001001001                                 (SandboxMID: Full Payment MCC, §2.1)
//	DCCMID      451111111111001                                 (SandboxDCCMID: Full Payment DCC, §2.3)
//	SmartPayMID ""  => the MCC MID also takes SmartPay (the spec's 401… MIDs are "MCC/SmartPay")
//
// There is no separate QR MID: Thai QR needs none (§2.5); an Order's optional
// additional_data.mid must be one of the MIDs above.
//
//   - NotifyURL: the merchant's Notify URL, registered at KBank per merchant
//     (FAQ 4), e.g. {our base}/webhooks/kpay. Every webhook goes there.
//   - CallbackURL: the merchant's Callback URL, also per merchant (FAQ 5); the
//     spec has no per-charge callback field. "{charge_id}" and
//     "{reference_order}" in it are replaced (path-escaped) by the charge's
//     values, so one registered URL such as
//     "{our base}/return/kpay/{reference_order}" reaches a per-attempt route
//     when the connector uses the attempt id as reference_order. A Create
//     Charge "metadata":{"callback_url":"…"} (absolute http/https) overrides it
//     for that charge: a sandbox-only extension (metadata is a documented,
//     echoed, "reserved" hash). With neither, the hosted page shows the
//     result and no redirect happens.
//   - QRExpiry: an order's lifetime, expire_time_seconds (0 => 3600s, §4.7.1).
//   - SettlementDelay: when KBank's "next day" happens (0 => the first Bangkok
//     midnight after the event; > 0 => that long after it, for demos).
//   - OverlapNon3DS: see the test card table.
//
// # Routes (all beneath BasePath)
//
// REST API (§4), header x-api-key = SecretKey (compared in constant time):
//
//	POST   /card/v2/charge                            Create Charge (card: token|customer|register3D; unionpay; alipay)
//	GET    /card/v2/charge/{charge_id|reference_order|order_id}[/{yyyymmdd}]   Inquiry Transaction
//	POST   /card/v2/charge/{id}/void                  {"reason"}
//	POST   /card/v2/charge/{id}/settle                {"amount","type":"full|partial"}
//	POST   /card/v2/charge/{id}/refund                {"reason","amount","transaction_date"?}
//	POST   /card/v2/customer                          Create Customer {"email","name","mode":"token","token"?}
//	GET    /card/v2/customer/{id}                     Inquiry Customer
//	POST   /card/v2/customer/{id}  (and PATCH)        Update Customer {"email","name"?,"default_card"?}
//	DELETE /card/v2/customer/{id}                     Delete Customer
//	POST   /card/v2/customer/{id}/card                Add Card {"mode":"token","token"}
//	DELETE /card/v2/customer/{id}/card/{card_id}      Delete Card
//	POST   /qr/v2/order                               Create Order (source_type qr|wechat)
//	GET    /qr/v2/order/{id}                          Inquiry Order
//	GET    /qr/v2/qr/{charge_id|order_id}             Inquiry QR Transaction
//	POST   /qr/v2/qr/{charge_id}/void                 Void QR
//	POST   /qr/v2/qr/{qr_id}/cancel                   Cancel QR
//
// Embedded UI (§2), authenticated by the public key:
//
//	GET  /ui/v2/kpayment.min.js   the K-Pay script (text/javascript; readable, not minified)
//	GET  /ui/v2/kpayment.css      its style sheet (button and modal)
//	GET  /ui/v2/frame.js          the script of the K-Payment form inside the iframe
//	GET  /ui/v2/form?…            the K-Payment form (card, DCC offer, SmartPay term, or an order's QR)
//	POST /ui/v2/form?…            Pay / the DCC choice: issues the one-time token
//	POST /ui/v2/tokens            token API, x-api-key = PublicKey, JSON {"name","number","expiration_month",
//	                              "expiration_year","security_code","mid","savecard"?,"dcc_currency"?,"smartpay_id"?,"term"?}
//	GET  /ui/v2/qr-status?order_id=…&pkey=…   {"status":"pending|paid|expired|cancelled","charge_id","qr_id","expires_in"}
//
// Hosted pages reached through redirect_url, and the Merchant Portal's QR
// Simulator (§11.4):
//
//	GET/POST /3ds/{auth_test_…}        3-D Secure OTP page
//	GET/POST /unionpay/{redr_test_…}   TPN / UnionPay page
//	GET/POST /alipay/{redr_test_…}     Alipay page
//	GET/POST /qr-simulator[?qr_id=…]   QR Simulator
//
// The sandbox's test clock (not K-Pay's; see advanceClock):
//
//	POST /test/clock   advance=<Go duration>: what K-Pay does later happens now (a QR
//	                   expires, a charge or a refund settles) → {"now","advanced"}
//
// Anything else answers 404 {"object":"error","code":"not_found"}.
//
// # The K-Pay script
//
// kpayment.min.js finds its own <script> (document.currentScript) and reads
// data-apikey, -amount, -currency (default THB), -payment-methods
// (card|qr|wechat), -name, -mid, -order-id, -ref-number, -customer-id,
// -campaign-id, -smartpay-id (or -smartpayid, §14.7), -term, -plan-id,
// -ipan-mode, -product-type, -supplier-no, -model-no, -show-button and -lang
// (else the page's <html lang>; "ar…" is Arabic, anything else English). It
// links kpayment.css from its own origin and puts a <button type="button">
// "Pay Now" / "ادفع الآن" right after itself (none with
// data-show-button="false"). window.KPayment has show(), close() and
// onClose(fn); onClose callbacks run when the shopper closes the modal (close
// button, Escape on the page or inside the form) before finishing. The modal
// is a role="dialog" aria-modal overlay; the rest of the page is made inert,
// focus sentinels keep Tab inside, focus returns to the opener.
//
// The iframe loads {BasePath}/ui/v2/form with the attributes as query
// parameters plus lang and origin (the merchant page's origin). The form is
// plain HTML (no JavaScript needed); each POST re-validates the same query,
// so there is no server-side session. When a card is accepted the "done" page
// carries {"type":"kpay:token","fields":[[name,value],…]} and frame.js posts it
// to window.parent with targetOrigin = that origin. The script accepts a
// message only from its own origin and from its own iframe's window, only the
// §2.7 field names, adds them as hidden inputs to the enclosing <form> and
// submits it (HTMLFormElement.prototype.submit, so a field named "submit"
// cannot shadow it). Fields, exactly §2.7:
//
//	(a) MCC          token, mid, paymentMethods=card[, savecard=true]
//	(b) DCC          token, dcc_currency (THB or the card's), mid, paymentMethods=card[, savecard=true]
//	(c) SmartpayID   token, smartpayId, mid, term, paymentMethods=card[, savecard=true]
//	(d) Plan         token, mid, planid, ipanmode, producttype, supplierno, modelno, term, paymentMethods=card[, savecard=true]
//	(e) QR / WeChat  chargeId
//
// For qr/wechat the script polls /ui/v2/qr-status every 2s while the modal is
// open; once paid it reloads the iframe (success display), adds chargeId and
// submits 1.5s later; once expired or cancelled it reloads the iframe (which
// says so) and stops. The script never writes HTML or style attributes
// (createElement, textContent, classes only), so it works under the merchant
// page's CSP "script-src 'self' <origin>; style-src 'self' <origin>;
// frame-src 'self' <origin>; connect-src 'self' <origin>". The iframe pages
// carry their own CSP (script-src 'self', inline <style>, frame-ancestors =
// the given origin, else *); every other page has frame-ancestors 'none'.
//
// # Test cards and outcomes (§11)
//
// Card form: any Luhn-valid Visa (4…), Mastercard (51–55, 2221–2720) or JCB
// (3528–3589) number, a month/year not in the past, a 3-digit CVV and a name;
// UnionPay numbers are refused there ("Card type is not supported"). Expiry
// and CVV never change the outcome. The 3-D Secure rule (§14.50): a PAN listed
// only under 3-D Secure goes through 3-D Secure, one listed only under
// non-3-D Secure does not, one listed under both follows Config.OverlapNon3DS
// (default: 3-D Secure, as KBank recommends); any other card number goes
// through 3-D Secure and is approved (like 4242 4242 4242 4242 in the
// screenshots). register3D always goes through 3-D Secure.
//
//	PAN               brand       3DS   code  outcome (after OTP 123456 when 3DS)
//	5239620007270264  mastercard  yes   00    Authorized   (DCC MID: USD)
//	5404888000072727  mastercard  yes   00    Authorized
//	5404888005380836  mastercard  yes   00    Authorized
//	5411768003140872  mastercard  yes   00    Authorized
//	5411768003141953  mastercard  yes   00    Authorized
//	4417706600005830  visa        yes   00    Authorized   (DCC MID: JPY)
//	3564580000056476  jcb         yes   00    Authorized
//	5149504001969007  mastercard  yes   51    Declined 51 Insufficient Funds
//	2221000604647064  mastercard  both  01    Declined 01 Refer to Card Issuer
//	5596886582263266  mastercard  both  05    Declined 05 Do Not Honor
//	5265434283867885  mastercard  both  51    Declined 51 Insufficient Funds
//	5431289719925031  mastercard  no    00    Authorized
//	5565694828631115  mastercard  no    00    Authorized
//	4024007134786226  visa        no    00    Authorized
//	4485169016314923  visa        no    00    Authorized
//	3536353014086177  jcb         no    00    Authorized
//	4877300371267473  visa        no    01    Declined 01
//	3540000981507917  jcb         no    01    Declined 01
//	4532741632025415  visa        no    05    Declined 05
//	3539074482135968  jcb         no    05    Declined 05
//	4147602662715373  visa        no    51    Declined 51
//	3528730936342392  jcb         no    51    Declined 51
//	5363314260912204  mastercard  no    500   Reversed 500 Timeout
//	4024007121398514  visa        no    500   Reversed 500 Timeout
//	3532598050794027  jcb         no    500   Reversed 500 Timeout
//	5372074248113841  mastercard  no    00    Authorized   (DCC MID: USD)
//	4205203648166408  visa        no    00    Authorized   (DCC MID: JPY)
//	any other         —           yes   00    Authorized
//
// 3-D Secure page: "Request OTP" shows a reference; OTP 123456 applies the
// card's code (register3D: Authorized, then Voided automatically, §7.2); any
// other 6-digit OTP, or Cancel, is Pre-Authorized + fail, failure_code 50
// "Failed Authentication" (§8.1); a malformed OTP only re-renders the page.
// Declines carry failure_code = the response code and failure_message from §9.1.
//
// UnionPay page (§11.3), PIN 111111 for all:
//
//	6210947764000027  TPN  CVN2 456  10/30
//	9100009764000010  TPN  CVN2 123  03/25
//	9100008764000025  TPN  CVN2 123  03/25
//	9100009764000015  TPN  CVN2 123  03/25
//	6250947000000014  UPI  CVN2 123  12/33  SMS 111111 or 123456 (the split cell read as PC or mobile)
//	6250946000000016  UPI  CVN2 123  12/33  SMS 111111 or 123456
//
// The listed card with its expiry, CVN2, PIN (and SMS code for UPI) is
// Authorized; an unlisted card is Declined 14, a wrong expiry 54, CVN2 N7,
// PIN 55, SMS code 50; Cancel is Declined 17. Badly formatted fields (and a
// UPI card without SMS code) re-render the page and change nothing. The card
// expiry is compared with the table, never with today.
//
// Alipay page: Approve payment is Authorized; Cancel is Declined 17.
//
// QR Simulator: any open QR id, paying app K PLUS (default) or another bank's;
// Pay creates chrg_… Authorized/success linked to the order (source
// {id: the QR id, object "qr", brand "ThaiQR" or "WeChat"}) and sends the QR
// webhook. A paid, expired or cancelled QR is refused with the §9.2 message
// (EMQRP, EMQRE, EMQRC).
//
// # Webhooks and checksum (§5, §6)
//
// POST JSON to NotifyURL: the §5.2 card schema for cards (3-D Secure and also
// non-3-D Secure charges, §14.20) and UnionPay (§5.1), §5.3 for QR/WeChat
// ("object":"qr" as in both seed samples), §5.4 for Alipay. checksum =
// lowercase hex SHA-256(id + amount with 4 decimals + currency + status +
// transaction_state + SecretKey), the normative formula, tested against the
// §6.2 worked example. failure_code/failure_message are "" (never null) on
// success, so the Java sample's variant (§6.3) agrees; on failure they carry
// the code. The body is fixed when the event happens; anything but a 2xx is
// retried after RetryBase, doubling, capped at 5 minutes, for 24 hours; Close
// stops retries. Void, settle, refund, expiry and cancel send no webhook.
// Browser callbacks: 303 to the Callback URL with objectId, status=true|false
// and, for cards, token and saveCard (§3.1 step 18; UnionPay/Alipay: objectId
// and status only). status=true iff Authorized+success (register3D:
// Voided+success). The webhook is sent after the browser has been answered.
//
// # Decisions on the spec's open points
//
//   - Errors: {"object":"error","code","message"} with 401 for
//     authentication_failure, 404 for unknown ids (charge_id_not_exist,
//     invalid_order_id, customer_invalid, card_invalid, no_transaction_found,
//     qr_expired/qr_cancelled on an unpaid order), 400 otherwise (§14.49).
//     Payment outcomes are not errors: a declined charge is a 200 Charge object
//     with status "fail". Malformed JSON is bad_request "Invalid JSON. (EMBR)";
//     a bad enum or length is invalid_parameter; a duplicate reference_order
//     (charges, and orders separately) is duplicate_request (§10.2). A header
//     written "x-api-key : …" (space before the colon, as in the samples) is
//     rejected by Go's HTTP server before the simulator sees it.
//   - Amounts: exact decimal text from a JSON number or string, at most 10
//     integer digits and 2 significant decimals (Decimal(12,2)); "6.120" is
//     6.12, "12.345" is amount_invalid, as are 0, negatives and exponents.
//     Zero-decimal currencies (JPY, KRW, VND) with a fraction:
//     float_not_support. Responses write the currency's decimals capped at 2
//     ("200.50", JPY "1000"); Decimal(14,4) fields write 4. Pages show the
//     currency's ISO decimals (THB 2, KWD 3, JPY 0). 36 currencies are
//     accepted (the spec names none, §14.48); DCC, SmartPay, UnionPay,
//     Alipay, QR and WeChat are THB only.
//   - Tokens: tokn_test_…, single use (used_token), valid 15 minutes
//     (token_invalid after). A token is bound to its MID, to its DCC choice and
//     to its SmartPay ID / plan / term (token_conflict when Create Charge
//     differs). Refused requests do not spend it. Create Customer / Add Card
//     take the token once its charge was authorised (card_not_verified before,
//     used_token the second time).
//   - DCC: on the DCC MID a foreign test card (USD/JPY) gets the offer after
//     Pay: rate 33.560 THB/USD (the screenshot) or 0.2390 THB/JPY [GUESS], the
//     converted amount rounded half-up; "Pay … THB" or "Pay … USD"
//     (kpay-dcc-thb / kpay-dcc-foreign). A Thai card posts dcc_currency=THB.
//     Create Charge needs dcc_data.dcc_currency on the DCC MID, THB or the
//     card's currency; a foreign choice fills dcc_data.
//   - SmartPay: the form offers 3, 4, 6, 10 months plus data-term [GUESS];
//     SmartpayID and Installment Plan are exclusive (smartpay_invalid). Refunds
//     follow §9.3.6: IPAN 01 never (internal_permission_denied), IPAN 02
//     partial only, and no SmartPay charge takes a second partial refund
//     (partial_refund_is_not_allowed); otherwise SmartPay refunds like any
//     card, so payment_type_not_support is never used (§14.29).
//   - register3D (any case): amount exactly 1.00 THB (amount_invalid), foreign
//     (DCC) cards refused (foreign_card_not_supported); callback_type is
//     validated (web|mobile) and has no effect. register_3d_mode_not_allow is
//     never used.
//   - Lifecycle (§8.4): Authorized → void → Voided (also from Captured: not
//     yet settled); Authorized → settle (full = the charged amount, partial ≤
//     it) → Captured → Settled at the cut-off; an Authorized charge left alone
//     is settled in full at the cut-off [GUESS: the seed does not say]; refund
//     only from Settled, Partial Refund or Refund Sent, never more than the
//     settled amount minus refunds, → Refund Sent → at the cut-off Refunded or
//     Partial Refund. Alipay is not refundable (refund_not_allowed); UnionPay
//     is. The cut-off (the spec's "next day") is the next Bangkok midnight, or
//     Config.SettlementDelay. settlement_info carries both settle_amount and
//     settlement_amount; MDR 2.5% + 7% VAT matches the §4.2 sample.
//   - Dates: created is 17 digits, Bangkok time with milliseconds.
//     transaction_date must be the creation day (invalid_parameter otherwise)
//     and is needed after 180 days; after 366 days Inquiry answers
//     charge_id_not_exist and Refund refund_transaction_is_not_owed.
//   - Hosted pages expire 30 minutes after Create Charge [GUESS], checked
//     lazily when the charge is read: 3-D Secure becomes Pre-Authorized + fail
//     (50), UnionPay/Alipay Reversed + fail (500); no webhook.
//   - UnionPay/Alipay charges: Initialize + success, redirect_url, source
//     {id: redr_test_…, object "redirect", brand "UnionPay"|"Alipay"}; UnionPay
//     adds card_masking once paid. additional_data.mid is optional for both.
//   - QR: the QR id (qr_test_…) is made when the K-Pay form first shows the
//     order, and lives as long as the order (expire_time_seconds from Create
//     Order). Create Order echoes its source_type (not the sample's "card").
//     data-amount must equal the order's amount. Inquiry QR of an unpaid order:
//     404 no_transaction_found (qr_expired / qr_cancelled once it cannot be
//     paid). Void QR: only Thai QR paid with K PLUS, on the Bangkok day it was
//     paid, before settlement; a refused void answers the charge unchanged with
//     status fail, failure_code qr_void and the §9.2 message (EMQRV, EMQRVOD,
//     EMQRVOTCH); a void sets "Voided", not the sample's "VOID". Cancel QR on a
//     paid/cancelled/expired QR answers status fail with qr_paid /
//     qr_cancelled / qr_expired.
//   - Customers: Create answers cards with object + card_masking, the other
//     calls with number (§14.32); Delete Card answers the card (§14.33);
//     "expired" is the end of the card's expiry month. mode "customer" charges
//     follow the card's 3-D Secure rule.
//   - The card endpoints do not see QR charges and vice versa. livemode is
//     false; ids are <prefix>_test_<35 hex>.
//   - Languages: every page is English (ltr) or Arabic (rtl): ?lang= first,
//     then the language the K-Pay form was shown in (carried by the token to
//     the 3-D Secure page), then Accept-Language, else English. Thai is not
//     offered. Validation messages show both languages.
//   - Secrets: the secret key is never on a page, in a URL or in a log;
//     a wrong data-apikey is not echoed. Card numbers are never logged.
//
// # Hooks (data-testid)
//
// Merchant page (the script): kpay-button, kpay-frame (the iframe, title
// "K-Payment"), kpay-close.
//
// K-Payment form (inside kpay-frame): kpay-name, kpay-number, kpay-expiry,
// kpay-cvv, kpay-remember, kpay-submit, kpay-term (SmartPay), kpay-saved-{card
// id} and kpay-saved-new (data-customer-id), kpay-dcc-offer, kpay-dcc-rate,
// kpay-dcc-thb, kpay-dcc-foreign, kpay-amount, kpay-errors, kpay-done,
// kpay-token, kpay-frame-error, lang-switch; QR: kpay-qr
// (data-status="pending|paid|expired|cancelled"), kpay-qr-id,
// kpay-qr-countdown, kpay-qrsim-link, kpay-charge-id.
//
// 3-D Secure: kpay-otp-request, kpay-otp-sent, kpay-otp, kpay-otp-submit,
// kpay-otp-cancel. UnionPay: kpay-upi-card, kpay-upi-expiry, kpay-upi-cvn,
// kpay-upi-pin, kpay-upi-sms, kpay-upi-submit, kpay-upi-cancel. Alipay:
// kpay-alipay-approve, kpay-alipay-cancel. Finished pages: kpay-3ds-result,
// kpay-upi-result, kpay-alipay-result (data-status="success|fail",
// data-state=transaction_state), kpay-return, kpay-amount; unknown page:
// kpay-page-error. QR Simulator: kpay-qrsim-id, kpay-qrsim-app,
// kpay-qrsim-pay, kpay-qrsim-search, kpay-qrsim-details (data-status),
// kpay-qrsim-open, kpay-qrsim-use-{qr id}, kpay-qrsim-result
// (data-status="paid"), kpay-qrsim-charge. Every page: lang-switch,
// kpay-errors on validation errors.
//
// # Driving it with Playwright
//
//   - Card: on the checkout page click kpay-button; then
//     f := page.FrameLocator("[data-testid=kpay-frame]"); fill f's kpay-name,
//     kpay-number (e.g. 4024007134786226), kpay-expiry ("12/30"), kpay-cvv
//     ("123"), optionally check kpay-remember, click kpay-submit. The script
//     submits the checkout's form by itself: wait for the navigation. A
//     non-3-D Secure card is final in the connector's Create Charge.
//   - 3-D Secure: use e.g. 4417706600005830; after the checkout redirects the
//     top page to /sandbox/kpay/3ds/…, click kpay-otp-request (optional), fill
//     kpay-otp with 123456, click kpay-otp-submit; the browser lands on the
//     Callback URL. "654321" fails the authentication.
//   - DCC (data-mid = the DCC MID): card 5239620007270264, kpay-submit, then
//     in the same frame kpay-dcc-foreign (pay USD) or kpay-dcc-thb.
//   - SmartPay: select kpay-term in the frame before kpay-submit.
//   - Thai QR / WeChat: click kpay-button; read f's kpay-qr-id; in a second
//     page open {BasePath}/qr-simulator, fill kpay-qrsim-id, click
//     kpay-qrsim-pay (wait for kpay-qrsim-result); within ~2s the first page
//     shows the success display and the checkout form is submitted with
//     chargeId (~1.5s later). Or follow kpay-qrsim-link, or the
//     kpay-qrsim-use-{qr id} link on the simulator page.
//   - UnionPay: on /sandbox/kpay/unionpay/… fill kpay-upi-card
//     6210947764000027, kpay-upi-expiry 10/30, kpay-upi-cvn 456, kpay-upi-pin
//     111111, click kpay-upi-submit (UPI cards also kpay-upi-sms 111111).
//   - Alipay: click kpay-alipay-approve (or kpay-alipay-cancel).
//   - Close: kpay-close or Escape (on the page or inside the frame) closes the
//     modal and runs the KPayment.onClose callbacks.
//   - Expiry: start the app with an injected clock, or a small QRExpiry; the
//     frame's kpay-qr turns data-status="expired" at the next status poll.
package kpay
