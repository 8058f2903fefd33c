// Package tap is the connector for KNET payments through Tap Payments' Charges API v2
// (source "src_kw.knet", currency KWD only). It implements gateway.Gateway under the name "tap",
// and gateway.Refunder.
//
// It follows the research spec shared/spec/tap.md:
//   - §1 endpoints and authentication: POST {BaseURL}/v2/charges to create a charge,
//     GET {BaseURL}/v2/charges/{id} as the authoritative status check, Bearer secret key,
//     charge ids validated with ^(chg|auth)_[A-Za-z0-9]{1,64}$ before they go into a URL,
//     Tap's error body {"errors":[{code,description}]}; POST {BaseURL}/v2/refunds to refund.
//   - §2–3 the create-charge request and response (redirect the shopper to transaction.url).
//   - §4–5 the charge object and its status strings / response codes, mapped to the normalized
//     statuses of gateways-summary.md §2; §5's refund response codes for refunds.
//   - §6 the webhook "hashstring" header (HMAC-SHA256 of the canonical x_id…x_created string,
//     keyed with the secret API key), verified in constant time and then never trusted alone:
//     the charge is always re-fetched with GET.
//   - §7 the browser return: tap_id must be the attempt's charge id; the query is only a
//     trigger (tap_status is ignored) and the charge is re-fetched.
//
// Decisions taken where the spec is a [GUESS] or ambiguous:
//
//   - References. The attempt id (att_…) is the per-try reference: it is sent both as
//     reference.transaction and reference.order, and reference.transaction is read back as
//     Result.OurReference (the order service compares it with the attempt). The merchant's
//     reference and our order id go to metadata.udf1 and metadata.udf2 (echoed, informative).
//   - Customer. Tap requires a customer: Attempt.Customer.Name is split on white space into
//     first_name (first word) and last_name (the rest); an empty name is sent as first_name
//     "Customer". Phone: formatting characters are dropped; a number written +965…/00965…
//     is split into country_code "965" and the rest; a bare number starting with 965 is split
//     only when it has 11 digits (965 + an 8-digit Kuwaiti number), because an 8-digit local
//     Kuwaiti number may itself start with 965; anything else is sent as country_code "965"
//     with all its digits (KNET customers are Kuwaiti; we keep no country-code table). An
//     empty phone is not sent.
//   - Amounts. The request amount is a JSON number literal written with exactly the
//     currency's decimals (6.000), from money.Amount.String(), never through float64. The
//     charge's amount (a JSON number such as 0.5) is read exactly with json.Number and
//     math/big into a money.Amount; when it cannot be represented (unknown currency, more
//     decimals than the currency has, absurd size) Result.Amount stays the zero Amount, which
//     the order service treats as a mismatch for a paid result.
//   - Amount in the webhook hash (§6). The amount is first formatted to the currency's
//     decimals (KWD 0.500); as the spec's documented fallback the raw JSON literal (0.5) is
//     also accepted. Either way the charge is re-fetched before anything is believed.
//     The header is lower-cased before the constant-time comparison; the "hash" header, whose
//     formula is unknown, is ignored.
//   - Status strings. CAPTURED→paid, AUTHORIZED→authorized, INITIATED and IN_PROGRESS→pending,
//     ABANDONED and EXPIRED (code 304, string [GUESS])→expired, CANCELLED (and the spelling
//     CANCELED)→cancelled, DECLINED/FAILED/RESTRICTED→failed, VOID→voided; TIMEDOUT, UNKNOWN,
//     DEFERRED (code 303, string [GUESS]) and anything unlisted→unknown: the reconciler asks
//     again, and it is never paid. Failure reasons come from response.code (Tap's
//     charge-response-codes table cited in §1/§5): 505 insufficient funds, 406/407 expiry,
//     508 issuer no reply (timeout), 514 and every RESTRICTED charge risk, 402/511/513
//     gateway error, everything else (including KNET's generic "NOT CAPTURED") declined.
//   - live_mode. A charge whose live_mode differs from Config.Live is refused with an error
//     wrapping gateway.ErrBadRequest, so that a test charge can never pay a live order nor
//     the reverse. A charge without live_mode is accepted (the charge was read with our own
//     key, which selects the mode).
//   - Idempotency-Key. The attempt id is sent as Idempotency-Key on charge creation; Tap does
//     not document honouring it, so it is best-effort only (every attempt is a fresh id).
//   - Refunds (Refund). Refused with gateway.ErrRejected before any call when the attempt's
//     PaymentID is not a charge id (^chg_[A-Za-z0-9]{1,64}$: an auth_ id is never refunded),
//     the attempt id is empty, or the amount is not positive, not in the charge's currency
//     (Attempt.Amount's) or more than the charge. The body is {charge_id, amount, currency,
//     reason, reference{merchant}, metadata}: amount the JSON number literal with the
//     currency's decimals (2.500), reason the fixed "requested_by_customer" (Tap's sample
//     value; the merchant's own reason stays in our refund record), reference.merchant the
//     attempt id, metadata udf1/udf2 the merchant's reference and order id as on the charge.
//     post.url is NOT sent: Webhook handles charge objects only (a refund object, re_…, has
//     no documented hashstring and would be refused as a malformed charge id), and the
//     synchronous answer is what we act on. Idempotency-Key is attempt id + ":refund:" + the
//     order service's refund id (gateway.RefundID(ctx)), one per refund we mean to make: asking
//     again about the same refund (the refund reconciler, after a timeout, a 5xx or a crash)
//     replays Tap's answer for it instead of refunding twice, and a second, legitimate refund
//     of the same amount has its own id and so its own key. Without a refund id in ctx the key
//     ends in 32 fresh random hex digits (never derived from the amount, which would merge two
//     legitimate refunds). Decision: Tap documents Idempotency-Key for charges only; we rely on
//     it for refunds too (the sandbox honours it) and say so here.
//     The answer is read by status string and response code (§5); when both are present
//     they must agree, otherwise the outcome counts as unknown. REFUNDED/000 → Result
//     refunded with PaymentID (and TransactionID) = the refund id, OurReference =
//     reference.merchant, Amount = the echoed amount; a REFUNDED answer without a refund id,
//     for another charge_id, or echoing another amount or currency is an error wrapping
//     ErrUnavailable instead. CANCELLED (CANCELED) 301, FAILED 401–403, DECLINED 501–504,
//     RESTRICTED 601–602 → Result failed, nil error, GatewayMessage "Tap refund STATUS code
//     message", Reason cancelled / gateway_error / declined / risk. PENDING 100 and
//     IN_PROGRESS 200 → an error wrapping ErrUnavailable saying the refund is pending at Tap
//     (beside it a Result with no Status and PaymentID = the refund id, also for TIMEDOUT,
//     UNKNOWN and disagreeing answers, so that the order service stores the id and the refund
//     reconciler asks about it by GET): the order service keeps such a refund pending, its
//     amount reserved, and we never claim money went back when it has not.
//     TIMEDOUT 701, UNKNOWN 801, anything unlisted, an unreadable 2xx answer, network errors,
//     408/429/5xx → ErrUnavailable, also with the "check Tap's dashboard" warning, since
//     Tap may have made the refund. 4xx (and a 2xx carrying only Tap's errors body) →
//     ErrRejected with Tap's code and description.
//   - Refund inquiry (gateway.RefundInquirer, InquireRefund): GET {BaseURL}/v2/refunds/{id}
//     by the refund id Tap answered (Tap's refund object; the spec's table lists only the
//     POST, the sandbox serves the GET as Tap's refunds docs do). REFUNDED/000 of the same
//     charge and amount → refunded; CANCELLED/FAILED/DECLINED/RESTRICTED → failed; PENDING,
//     IN_PROGRESS, TIMEDOUT, UNKNOWN → pending (asked again later); 404 →
//     gateway.ErrRefundNotFound. Without a refund id (the POST's answer was lost) Tap has no
//     lookup by our reference: ErrRefundNotFound, and since the connector is a
//     gateway.RefundReplayer the order service replays Refund with the same refund id, whose
//     Idempotency-Key returns the refund Tap made or makes it exactly once.
//   - Errors. Tap's 4xx answers wrap gateway.ErrRejected with Tap's code and description;
//     network errors, 408, 429 and 5xx, and answers we cannot read, wrap
//     gateway.ErrUnavailable. The secret key is never logged and never put in an error.
package tap
