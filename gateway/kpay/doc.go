// Package kpay is the connector for Kasikornbank's K-Payment Gateway (KPGW), under the name
// "kpay": cards through the embedded K-Pay button (Full MCC, Full DCC, SmartPay installments),
// Thai QR and WeChat Pay through an Order and the K-Pay QR button, UnionPay and Alipay through
// a redirect. It implements gateway.Gateway, Embedder, OfflineStarter, Acknowledger, Refunder,
// RefundInquirer, Voider and Capturer.
//
// It follows shared/spec/kpay.md (the English specification of seed 003):
//   - §1.4 hosts: the script is {UIBaseURL}/ui/v2/kpayment.min.js, the REST API lives under
//     APIBaseURL; every call carries the secret key as "x-api-key" (§4.0, §14.45).
//   - §2.1–§2.4 the card button's data-* attributes per card mode; §2.5 the QR/WeChat button;
//     §2.7 the fields the button posts back (they reach Continue); §2.8 which
//     Create Charge fields each card variant needs.
//   - §3.1–§3.6 the flows (3-D Secure, non-3-D Secure, QR/WeChat, UnionPay, Alipay) and the
//     (transaction_state, status) expected at each step.
//   - §4.1 Create Charge, §4.2 Inquiry Transaction, §4.3 Void, §4.4 Settle, §4.5 Refund,
//     §4.7.1 Create Order, §4.8.1 Inquiry QR, §4.8.2 Void QR.
//   - §5 and §6 the WebHook Notify API and its checksum; §8 states; §9 failure and error codes;
//     §10.1 the client notes (lenient decoding, case-insensitive post fields); §11 test data.
//
// Decisions taken where the spec is ambiguous, incomplete or silent (§14 numbers in brackets):
//
//   - One embed path. The spec puts the K-Pay button on the merchant's checkout page, inside a
//     form posting to the merchant (§2.1); it does not say when the merchant's own payment
//     record is made. Every K-Pay button (card, Thai QR, WeChat Pay) is shown the same way:
//     Pay on our confirm page starts the attempt (Start), Start answers gateway.ActionEmbed,
//     and our attempt page (/pay/{id}/attempt/{attempt}) wraps the button in our form, which
//     posts to that same URL. What the button adds (the card token and its §2.7 fields, or the
//     paid QR's chargeId) reaches Continue (gateway.Embedder). For cards Start calls nothing
//     (StartsOffline: the order service creates the attempt, with its button, in one
//     transaction) and Continue makes the charge; for QR and WeChat Pay Start creates the
//     Order (a call) and Continue only inquires. The order service makes sure Continue runs
//     once per attempt (a double submit never charges twice). A charge answered with an error
//     wrapping gateway.ErrRejected (K-Pay said no) fails the attempt; any other error (no
//     answer, a 5xx, an unreadable one) leaves it pending for the reconciler, which finds the
//     charge by our reference_order (Inquiry Transaction, §4.2), or none. Considered and rejected: keeping
//     the card button on the confirm page before any attempt exists (two embed paths, a
//     "draft" attempt for the button, and a token post that both creates and charges).
//   - Configuration. Config.CardMode picks one card button: "full" (MID), "dcc" (DCCMID),
//     "smartpay_id" (MID + SmartPayID + Terms) or "installment_plan" (MID + Plan + Terms).
//     A SmartPay merchant puts its SmartPay MID in MID [14]. An empty UIBaseURL is KBank's
//     live or dev host by Config.Live; an empty APIBaseURL is UIBaseURL when that is set (the
//     simulator serves both under /sandbox/kpay), else KBank's live or dev API host.
//   - Card button (Start, no API call). Attributes, in the seed samples' order: data-apikey,
//     data-amount (the currency's decimals: "74.00", JPY "1500"), data-currency (not for DCC,
//     whose table has none: DCC is priced in THB and card is supported in THB only then),
//     data-payment-methods "card", data-name (ShopName cut to 15 characters at a word boundary, omitted when
//     empty), data-mid (DCCMID in DCC mode), then for SmartpayID both spellings
//     data-smartpay-id and data-smartpayid [7], for the Installment Plan data-plan-id,
//     data-ipan-mode, data-product-type, data-supplier-no, data-model-no, and data-term only
//     when exactly one term is configured (the attribute is a single integer [12]; with
//     several, KPGW's form offers the plan's terms and Start checks the posted one). Not sent:
//     data-customer-id and data-campaign-id (no saved cards, no BIN campaign; their condition
//     is unstated [15]), data-show-button (the default button is used), and a language
//     attribute (the spec has none; the page's <html lang> carries it). The CSP origins
//     (ScriptOrigins, FrameOrigins) are the UI host's origin. Card currencies with more than
//     two decimals are never supported: K-Pay amounts are Decimal(12,2).
//   - Token post (Continue, card). Field names are matched case-insensitively (smartpayId /
//     smartpayid, savecard / saveCard [8]); two different values for one name are refused.
//     Refused with gateway.ErrBadRequest before any call, so nothing is charged: no token, a
//     malformed token, a mid that is not MID or DCCMID, paymentMethods other than "card", a
//     savecard that is not a boolean, a malformed dcc_currency, a smartpayId other than ours,
//     a term that is missing (unless one term is configured), not 1–99 or not in Terms, and
//     Installment Plan values that differ from Config.Plan. Create Charge is then built from
//     our configuration, not from the browser: source_type "card", mode "token",
//     additional_data.mid = the posted (verified) MID, dcc_data.dcc_currency when posted,
//     additional_data.smartpay_id + term (a JSON integer, as typed [12]) for SmartpayID, the
//     smartpay object (payment_term as a string) for the Installment Plan, and savecard (a
//     boolean) only when posted. No Customer object is created afterwards (we keep no
//     shopper accounts), so "Remember card" has no later use here.
//   - reference_order is our attempt id without its underscore ("att_3hT…" → "att3hT…"): 25
//     letters and digits, within String(50), unique because the attempt id is, and turned back
//     into the attempt id for webhooks and Result.OurReference. An attempt id that cannot make
//     one is refused (gateway.ErrRejected). ref_1 carries our order id and ref_2 the merchant's
//     reference (informative). description is the order's, else "Order <reference>".
//   - Callback URL [18]. The spec has no per-charge field for it: the Callback URL is given to
//     KBank at application time and changed in the Merchant Portal. Our per-attempt return URL
//     is sent anyway in Create Charge's metadata (the reserved free-form hash) as
//     {"callback_url": ReturnURL} (informative). The merchant registers ONE Callback URL with
//     KBank: <base URL>/return/kpay. Its objectId (the charge id) locates the attempt
//     (LocateReturn, gateway.ReturnLocator); Return then inquires. callback_type is not sent
//     (default "web").
//   - Start's answer. A pending charge (Pre-Authorized or Initialize with success) must carry
//     an absolute redirect_url → Action Redirect; without one it is gateway.ErrUnavailable.
//     Anything else is final at once (non-3-D Secure approval or decline, an immediate
//     refusal) → Action Wait with the mapped Result. UnionPay sends additional_data.mid (its
//     sample does), Alipay does not.
//   - QR and WeChat Pay. Create Order (source_type "qr" or "wechat"), then Action Embed with
//     data-apikey, data-amount, data-payment-methods, data-order-id and data-name; no data-mid
//     (not required for QR) and no data-ref-number (its relation to reference_order is
//     unstated [16]). The script posts chargeId to our attempt page, whence Continue.
//     PaymentID is the order id (so results of QR charges carry the order id as PaymentID and
//     the charge id as TransactionID). State "qr_expires_at" is the earlier of now +
//     expire_time_seconds (default 3600; " 3600" is read too [36]) and the order's expiry.
//     Before payment Inquiry QR's answer is unknown [21]: a 404, the error codes
//     charge_id_not_exist / no_transaction_found / invalid_order_id, the order object itself,
//     or a charge without a state all mean "not paid yet" → pending, and expired once that
//     deadline is two minutes past. failure_code qr_expired → expired, qr_cancelled →
//     cancelled. Closer is not implemented: Cancel QR needs a qr_id no API returns before
//     payment [39].
//   - Return is only a trigger. For cards, UnionPay and Alipay the Callback URL's objectId, if
//     present, must be the attempt's charge id (else ErrBadRequest, no call) [17]; status,
//     token and saveCard are ignored; the charge is read with Inquiry Transaction. For QR and
//     WeChat (Continue, and Return should a chargeId ever be posted there) the posted chargeId
//     is ignored: the attempt's own order is read with Inquiry QR by order id [19]; when that
//     inquiry fails, Continue answers no Result rather than an error (which would fail a QR
//     that may be paid): the webhook and the reconciler tell later.
//   - Inquire before the card's charge (the shopper has not submitted the K-Pay form yet):
//     no PaymentID, so reference_order finds nothing → pending, expired two minutes after the
//     order's expiry, as for any charge Start never made.
//   - Inquire reads cards, UnionPay and Alipay by charge id, or by reference_order when Start
//     never learnt the charge id (no charge yet → pending, expired after the order's expiry);
//     QR and WeChat by order id. transaction_date is not sent on inquiries [26].
//   - Status mapping (§3.6, §8, FAQ 7: success is Authorized and success together):
//     Authorized+success → paid; Authorized+pending → pending; Authorized+fail (how a failed
//     void or settle answers) or no status → unknown; Captured, Settled → paid (a failed
//     refund answers Settled); Pre-Authorized or Initialize + success/Pending → pending, +
//     fail/Failed → failed [22]; Declined → failed;
//     but a failed Pre-Authorized/Initialize or a Declined charge whose failure_code is 17
//     ("Customer Cancellation", §9.1: the only cancel signal K-Payment has for cards,
//     UnionPay and Alipay; the QR's is qr_cancelled) → cancelled (reason cancelled), so a
//     Cancel on the 3-D Secure, UnionPay or Alipay page reads as a cancel, not a failure; Reversed → failed (timeout by code 500
//     [52], else gateway error); Voided and the sample's VOID [38] → voided; Refunded →
//     refunded; Refund Sent → refunded unless refund_info shows an amount left, then paid;
//     Partial Refund → paid (the order service keeps the refunds); anything else → unknown.
//     Statuses are compared case-insensitively, states ignoring case, spaces and hyphens.
//     Authorized counts as paid, as K-Pay defines success; whether KPGW settles by itself is
//     unstated (§4.4), and Capture (Settle) is there for merchants who settle by hand.
//   - Failure reasons from failure_code (§9.1 codes come from a generic list [53]): 51, 61, 65
//     insufficient; 33, 54 card_expired; 17 cancelled; 68, 91, 500 timeout; 03, 12, 13, 19,
//     22, 30, 90, 92, 96, 600 and API codes such as token_invalid, used_token, mid_and_tid_not_exist
//     gateway_error; 01, 02, 04–07, 14, 15, 34–37, 41, 43, 50, 57, 59, 62, 63, N7, card_error
//     declined (fraud and pick-up codes are not shown to the shopper as such); others keep the
//     state's default (declined, or gateway_error for Reversed).
//   - Amounts are written as JSON number literals with the currency's decimals ("200.50"),
//     never through a float, and read exactly (number or string [§10.1]) with math/big into a
//     money.Amount; a value with more decimals than the currency leaves the zero Amount, which
//     the order service treats as a mismatch. created ("YYYYMMDDHHmmSS" + optional
//     milliseconds [24]) is read as Thailand time (UTC+7).
//   - livemode [46]: KBank's own sandbox samples say true, so only a live connector checks it
//     (an object with "livemode": false is refused with ErrBadRequest).
//   - Webhook checksum [3][4][5]. The checksum is the lowercase hex SHA-256 of id + amount
//     with exactly four decimals (from the exact text of the JSON number or string, rounded
//     half away from zero like Java's %.4f) + currency + status + transaction_state + the
//     secret key. Also accepted, as §6.3 recommends: the same with failure_code before the key
//     when it is not empty, and the Java sample's variant where every null (failure_code,
//     amount…) is the text "null". The received checksum is lower-cased and compared in
//     constant time against every candidate; an empty secret key verifies nothing. A body
//     that is not a JSON object is ErrBadRequest; a missing or wrong checksum ErrSignature,
//     and nothing is called.
//   - Webhook confirmation. A verified notification is always confirmed by inquiry: Inquiry QR
//     by charge id for the QR/WeChat notification (recognized by order_id, or object or
//     source.object "qr" [40]), Inquiry Transaction for card, UnionPay (card schema presumed
//     [20]) and Alipay. The inquiry is what is reported; if it fails the webhook fails
//     (ErrUnavailable) so that KBank may retry and the reconciler asks later. The reference
//     is AttemptID from the inquired reference_order and PaymentID (charge id, or order id for
//     QR). Non-final notifications (Pre-Authorized) simply map to pending.
//   - Acknowledge answers 200 with no body (§5). Unlike the Java sample, which answers 200
//     even on errors [6], a failed notification gets the handler's own status (401 bad
//     checksum, 400 malformed, 503 inquiry down).
//   - Refund [27][28][29][30]. The charge is read first. Not settled (Authorized+success): the
//     whole amount is voided (Result voided, Kind "void" at the order service); a partial
//     refund is refused with ErrRejected — KPGW refunds only settled charges, and settling a
//     part instead would capture without being asked. Captured (settlement under way):
//     ErrRejected, retry once Settled. Settled, Partial Refund, Refund Sent: what remains is
//     the settled amount (settle_amount or settlement_amount, at most the charge) less every
//     refund_info entry without an error_code (its refund_amount, else settle_amount, else
//     orig_amount); more than that is refused before any call. The refund sends reason
//     "Refund requested by merchant", the amount, and transaction_date = the charge's created
//     date (needed past 180 days; always sent when known). Success is Refund Sent, Refunded or
//     Partial Refund with success → Result refunded, PaymentID = refund_id. SmartPay and
//     convenience-fee restrictions are left to KPGW, whose refusal is ErrRejected. QR and
//     WeChat have no refund API: only a void of the whole amount while still Authorized
//     (K PLUS-paid, same day), anything else is ErrRejected. UnionPay and Alipay go through
//     the charge API like cards; KPGW decides.
//   - Refund inquiry (gateway.RefundInquirer, InquireRefund). KPGW's Refund takes no
//     reference of ours and no idempotency key, so a refund is never sent twice; its Inquiry
//     (§4.2) lists the charge's refunds in refund_info (refund_id, amount, error_code). A
//     refund whose refund_id we hold is that entry; one whose answer was lost is the first
//     entry of the same amount that none of our other refunds of the payment holds
//     (RefundQuery.Claimed) — equal amounts are interchangeable money, so which twin takes
//     which entry does not matter. An entry with an error_code is a refused refund (failed);
//     a voided charge answers a refund of the whole amount as voided; no matching entry is
//     gateway.ErrRefundNotFound (the refund never reached KPGW: the order service fails it
//     after a grace period and the amount is free again), except a refund_id KPGW gave us
//     that its Inquiry does not list yet (pending). QR charges are read with Inquiry QR.
//   - Void sends reason "Cancelled by merchant" (QR: Void QR, no body). Capture is Settle with
//     type "full" when the amount is the charge's, else "partial"; never more than charged;
//     not for QR. Their failures (Authorized + fail) are ErrRejected.
//   - Errors [49]. HTTP codes are undocumented: an error object
//     {"object":"error","code","message"} (even with 2xx) or another 4xx wraps
//     gateway.ErrRejected with the code and message; network errors, 408, 429, 5xx and
//     unreadable answers wrap gateway.ErrUnavailable. Ids are checked (chrg_…, order_…/ordr_…
//     [35]) before they go into a URL path. The secret key is never in a page, URL, error or
//     Raw (it is redacted should KPGW ever echo it).
//   - Not implemented, being unspecified or unused here: Customer API and Remember card
//     follow-ups, register3D, Order-based card charges, Inline UI, Webview, Pay PLUS [47].
package kpay
