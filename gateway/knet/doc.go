// Package knet is the connector for KNET's own payment gateway, direct, with the Tranportal
// "RAW" method (the merchant builds and encrypts the request itself; KPAY/FSS iPay platform).
// It takes the method "knet" in KWD only and implements gateway.Gateway, gateway.Acknowledger,
// gateway.Refunder and gateway.RefundInquirer under the name "knet".
//
// It follows the research spec shared/spec/knet.md:
//   - §1 endpoints: the shopper is redirected (GET) to {BaseURL}/PaymentHTTP.htm?param=paymentInit
//     &trandata=…&tranportalId=…&responseURL=…&errorURL=… (§3.3); inquiries and refunds are
//     root-less XML POSTed (Content-Type application/xml) to {BaseURL}/tranPipe.htm?param=tranInit.
//   - §2–3 the payment request: the plain-text string id, password, action=1, langid,
//     currencycode=414, amt, responseURL, errorURL, trackid, udf1…udf5, in the PHP kit's order,
//     values not URL-encoded; trandata = lower-case hex of AES-128-CBC with key = IV = the 16
//     ASCII bytes of the terminal resource key, PKCS#7 padding (§3.2; the K1–K4 vectors of §8
//     are in the tests).
//   - §4 the notification KNET's server POSTs to responseURL, and the errorURL's plain query.
//   - §5 result values and error codes; §6 the inquiry (action 8) and the refund (action 2).
//
// Flow. Start only builds the redirect: KNET's payment id is unknown until the notification,
// so Started.PaymentID is empty and State is {"trackid": …}. responseURL is Attempt.WebhookURL
// (our /webhooks/knet: KNET's server posts the notification there) and errorURL is
// Attempt.ReturnURL (our /return/knet/{attempt}). The receipt page is ours, named in the
// notification's answer, so the browser never brings a result of its own except on errorURL.
//
// Decisions taken where the spec is a [GUESS] or ambiguous:
//
//   - Track id. It is our attempt id without "att_" (22 base62 characters): alphanumeric, within
//     KNET's 40, new for every attempt, and a notification maps back to the attempt as "att_" +
//     trackid (AttemptRef.AttemptID). Start refuses an attempt id of another shape
//     (gateway.ErrRejected). Result.OurReference is "att_" + the track id KNET echoed (in the
//     notification, or in the inquiry's answer), and the inquiry's answer must echo our track id
//     when it echoes one (else gateway.ErrUnavailable).
//   - langid. "AR" for the locale "ar", "USA" otherwise: the kit says "always USA or AR" and the
//     manual's table says AR; "ARA" only comes from older integrations, so it is not used.
//   - amt is money.Amount.String() for KWD: exactly three decimals ("15.750"), refused above
//     KNET's 10 characters. currencycode is always 414.
//   - UDFs. udf1 = our order id, udf2 = the merchant's reference, both reduced to letters,
//     digits, '_', '-' and '.' (KNET refuses '@', '/' and the kit's special characters) and cut
//     to 255; udf3 stays empty on purpose (an 8-digit udf3 turns on KFAST saved cards), udf4 and
//     udf5 are empty. They are informative only (KNET's reports); nothing trusts their echo.
//   - URLs. responseURL/errorURL must be absolute http(s) URLs without query, fragment, '&', '=',
//     spaces, at most 255 characters (the plain text carries them unencoded); http is allowed
//     for the sandbox, KNET itself requires HTTPS in live. In the redirect URL the clear
//     tranportalId, responseURL and errorURL are query-escaped (a server reads the same values).
//     The hex trandata is lower-case like the PHP kit's bin2hex; decryption accepts either case.
//   - Credentials. The Tranportal password is only inside trandata and the tranPipe XML; the
//     resource key never leaves the process. An id or password holding '&', '=', '<', '>' or
//     white space, or a resource key that is not 16 bytes, is refused at Start (ErrRejected)
//     without being echoed. KNET answers are redacted of both secrets before they go into an
//     error or Result.Raw.
//   - Notification integrity (§4, §8). trandata has no MAC. Our integrity check is: hex of whole
//     blocks, valid PKCS#7 padding, printable UTF-8 plain text, a form-encoded string (parsed
//     with url.ParseQuery, so NOT+CAPTURED reads "NOT CAPTURED") with a well-formed trackid,
//     a result or an Error, and an amt that parses as KWD. Any failure is gateway.ErrSignature
//     with one generic message (no padding oracle, no plain text in errors); a plain trackid
//     next to trandata that contradicts it is ErrSignature too. A body that is not
//     form-encoded, or has no trandata and no well-formed plain trackid, is
//     gateway.ErrBadRequest. Plain fields next to a valid trandata are ignored.
//   - Notification without trandata (error cases, §4.1: plain Error, ErrorText, paymentid,
//     trackid, amt). It is unauthenticated, so it is only a trigger: the trackid names the
//     attempt and the inquiry decides. Its amt is used only as the inquiry's amt, never as the
//     reported amount.
//   - Confirmation. Every notification and every browser return is confirmed by an inquiry
//     (action 8) by our track id: transid = trackid, udf5 = "TrackID", amt = the amount (the
//     notification's amt in Webhook, the attempt's in Return and Inquire); no <currencycode>, no
//     wrapping root, as in the manual's sample. The inquiry's verdict is what is reported. The
//     unverified message (notification result, errorURL Error) may only refine a failure the
//     inquiry confirmed: a generic FAILURE/NOT CAPTURED becomes cancelled (CANCELED or
//     IPAY0100048) or expired (IPAY0100042), or takes the message's failure reason (risk, …).
//     It never turns anything into paid and never overrides a paid, pending or unknown verdict.
//   - Unconfirmed notification. When the inquiry fails (KNET unreachable, refused, an answer for
//     another track id, or a paymentid different from the encrypted notification's), Webhook
//     still returns one notification for the attempt with Status unknown, the track id and the
//     reason in GatewayMessage, and nothing else from the message (no payment id, no amount):
//     the attempt waits for the reconciler, and the acknowledgement keeps the transaction.
//   - Amount. Result.Amount is the inquiry's amt when it reports one; in Webhook, else the
//     decrypted notification's amt (which was also the inquiry's amt); else the zero Amount.
//     So if KNET's inquiry omits amt (the manual's sample shows <amt></amt>) a CAPTURED found
//     only by Return or Inquire is reported without an amount, and the order service treats it
//     as a mismatch for review rather than paying the order on our own figure.
//   - Acknowledgement (§4 points 2–4). Answer: 200 text/plain, exactly "REDIRECT=" + our result
//     page for the attempt, no newline, whenever the notification was read and the order service
//     knows the attempt — also when it is unconfirmed or could not be recorded (the reconciler
//     settles it by inquiry; auto-voiding would lose a real payment). When the notification
//     could not be decrypted or read (ErrSignature → 401, ErrBadRequest → 400) or names an
//     attempt the service does not know (resultURL(id) is our home page → 404), there is
//     deliberately no REDIRECT= line: KNET then auto-voids the transaction, so no money is taken
//     for something we cannot verify or attach to an order; the shopper sees KNET's error page
//     rather than our home page. A verified payment whose amount the order service finds wrong
//     is kept (REDIRECT=) and flagged for review by the service; the connector cannot see it.
//     A success for an order that can no longer be paid (cancelled, expired, or paid through
//     another attempt) is refused by the order service (gateway.Refuser, ErrRefused → 409, no
//     REDIRECT= line): KNET voids it, so a closed order never takes money twice or late.
//   - Status mapping (§5, gateways-summary.md §2). An error code is read first, then the result.
//     Results: CAPTURED and the inquiry's SUCCESS → paid; NOT CAPTURED, NOT APPROVED, FAILURE →
//     failed/declined; DENIED BY RISK, SUSPECTED, FAILURE(SUSPECT) → failed/risk; CANCELED (and
//     CANCELLED) → cancelled; HOST TIMEOUT → unknown (the reconciler asks again); APPROVED →
//     authorized (action 4 only, never sent); VOIDED → voided; anything else → unknown, never
//     paid. Error codes about the transaction: IPAY0100048 → cancelled, IPAY0100042 → expired,
//     IPAY0100045 → failed/risk, IPAY0100158 → unknown, IPAY0100040 (in progress) → pending,
//     IPAY0100249 and IPAY0200014 (our notification endpoint failed, KNET auto-voids) →
//     failed/gateway_error; other codes in an unverified message → failed/gateway_error. In an
//     inquiry answer, codes that say our request is wrong (credentials, terminal key, action,
//     currency, amount, track id, UDFs, trandata: IPAY0100001/003/005/006/007/013/015/020/
//     022–032/050/051/176) are errors wrapping gateway.ErrRejected; any other unlisted code
//     (such as KNET not finding the transaction yet) is pending: KNET has no result, nothing is
//     decided, and the reconciler asks again until the order expires. In particular a Return
//     whose errorURL says IPAY0100048 while the inquiry finds nothing stays pending.
//   - Inquiry answer format. The root-less XML is read by wrapping it in a synthetic root (an
//     XML declaration is dropped first; a wrapped answer reads the same); leaf tags by
//     lower-cased name, payid or paymentid, error_code_tag/error_text, and the FSS form
//     "<result>!ERROR!-CODE-text</result>". An answer without result or error is unreadable
//     (ErrUnavailable). postdate (MMDD, no year) stays in Raw only; Result.At is not set.
//     GatewayCode is the error code, else authRespCode/authResponseCode; GatewayMessage the
//     result or the error text. Raw of a notification is "notification: <plain text>\ninquiry:
//     <answer>".
//   - Return. A trackid in the errorURL query that is not the attempt's is gateway.ErrBadRequest
//     with no call to KNET; paymentid and ErrorText of the query are ignored.
//   - Refund (action 2, §6): same XML with the refund amount (positive KWD, at most the attempt's
//     amount, partial refunds allowed), identified by our track id. CAPTURED → Status refunded
//     (PaymentID = TransactionID = the refund's own tranid, which names it at KNET; Reference,
//     AuthCode as answered); another result → Status failed;
//     an error code → gateway.ErrRejected; a host timeout → gateway.ErrUnavailable telling to
//     check KNET's portal before retrying (the refund may have been made).
//   - Refund inquiry (gateway.RefundInquirer, decided on purpose). §6's inquiry (action 8)
//     names a transaction by tranid, track id, payment id or ref, and a refund is a transaction
//     with its own tranid: InquireRefund asks with transid = the refund's tranid, udf5
//     "TransID", trackid = our track id, amt = the refund's amount. CAPTURED → refunded; a
//     failure → failed; FAILURE(SUSPECT) or an answer about another transaction → an error
//     (nothing recorded); anything else (not found yet, host timeout) → pending. A refund whose
//     answer was lost before we stored its tranid cannot be found: it shares the purchase's
//     track id and payment id, KNET has no lookup by our reference, and action 2 has no
//     idempotency, so it is never sent again either. It stays pending with its amount reserved
//     (an error wrapping gateway.ErrRefundNoLookup: the order service flags the order for
//     review) for a person to settle from KNET's portal. The connector is therefore never
//     "sure it was not made" (no ErrRefundNotFound).
//   - Errors. Network errors, HTTP 408, 429, 5xx and unreadable answers wrap
//     gateway.ErrUnavailable; other non-2xx answers wrap gateway.ErrRejected.
package knet
