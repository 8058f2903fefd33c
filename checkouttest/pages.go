package checkouttest

import (
	"fmt"
	"strings"

	"github.com/playwright-community/playwright-go"
)

// Outcome is what a page helper makes of a payment.
type Outcome int

// The outcomes. Status is what Bawaba's result page then shows.
const (
	// Paid: the test card or input that pays.
	Paid Outcome = iota + 1
	// Declined: one the bank refuses; the result page shows "failed".
	Declined
	// Cancelled: the shopper cancels at the gateway. The result page shows "cancelled", or
	// "failed" for Click, whose API has no cancel signal (reason not_completed).
	Cancelled
	// Pending: the payment stays undecided. Where the simulator has a pending input (Adyen's
	// and KNET direct's card 8888880000000003) the result page shows "pending" (and the
	// payment completes a few seconds later); elsewhere the helper leaves the gateway's page
	// unanswered, as a shopper who closes the tab, and returns at once.
	Pending
)

func (o Outcome) String() string {
	switch o {
	case Paid:
		return "paid"
	case Declined:
		return "declined"
	case Cancelled:
		return "cancelled"
	case Pending:
		return "pending"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Test inputs of the sandbox simulators (README: "Test cards and inputs per gateway").
const (
	KNETCard        = "8888880000000001" // KNET (Tap, Adyen, KNET direct, Click): expiry 09/2030 pays, another year declines
	KNETPendingCard = "8888880000000003" // Adyen: pending then paid by webhook; KNET direct: HOST TIMEOUT then paid
	KNETPIN         = "1234"

	KPayCard         = "4024007134786226" // K-Pay card, no 3-D Secure: paid
	KPayDeclinedCard = "4532741632025415" // K-Pay card: declined
	KPay3DSCard      = "5404888000072727" // K-Pay card with 3-D Secure: OTP 123456 pays, another fails
	KPayOTP          = "123456"
	KPayExpiry       = "12/30"
	KPayCVV          = "123"

	UnionPayCard         = "6210947764000027" // expiry 10/30, CVN 456, PIN 111111: paid
	UnionPayDeclinedCard = "6210947764000099" // an unlisted card: declined

	AlqasehCard         = "5341432900077803" // CVV 971, expiry 01-2027: paid
	AlqasehDeclinedCard = "4111111111111111" // declined
	AlqasehPendingCard  = "4000000000000119" // unknown at the bank: pending
	AlqasehCVV          = "971"
	AlqasehExpiry       = "01-2027"
)

// timeout for a gateway's page or our result page to show, in ms.
const timeout = 30000

func visible(l playwright.Locator) error {
	return l.WaitFor(playwright.LocatorWaitForOptions{State: playwright.WaitForSelectorStateVisible, Timeout: playwright.Float(timeout)})
}

func testid(p interface {
	Locator(string, ...playwright.PageLocatorOptions) playwright.Locator
}, id string) playwright.Locator {
	return p.Locator("[data-testid=" + id + "]")
}

// GoToGateway opens the checkout URL in lang ("ar", "en" or "" for the browser's), picks the
// method (knet, card, unionpay, alipay, thaiqr, wechat, click), continues and presses Pay. For a
// method whose gateway's button is embedded in our attempt page (cards and QR through K-Pay),
// Pay leads there: the PayWith… helper presses the K-Pay button.
func GoToGateway(page playwright.Page, checkoutURL, method, lang string) error {
	url := checkoutURL
	if lang != "" {
		url += "?lang=" + lang
	}
	if _, err := page.Goto(url); err != nil {
		return err
	}
	if err := testid(page, "method-"+method).Check(); err != nil {
		return fmt.Errorf("method %s: %w", method, err)
	}
	if err := testid(page, "continue").Click(); err != nil {
		return err
	}
	if err := testid(page, "pay").Click(); err != nil {
		return fmt.Errorf("confirm page: %w", err)
	}
	return nil
}

// WaitForStatus waits until our result page shows one of the statuses (data-status of
// [data-testid=order-status]) and returns the one it shows. The pending page reloads itself;
// the wait goes on across the reloads.
func WaitForStatus(page playwright.Page, statuses ...string) (string, error) {
	sel := make([]string, len(statuses))
	for i, st := range statuses {
		sel[i] = `[data-testid=order-status][data-status="` + st + `"]`
	}
	el := page.Locator(strings.Join(sel, ", "))
	if err := visible(el); err != nil {
		shown, _ := testid(page, "order-status").GetAttribute("data-status", playwright.LocatorGetAttributeOptions{Timeout: playwright.Float(1000)})
		return shown, fmt.Errorf("the result page shows %q, want one of %v: %w", shown, statuses, err)
	}
	return el.First().GetAttribute("data-status")
}

// finish waits for the result page an outcome leads to.
func finish(page playwright.Page, o Outcome, cancelledAs string) error {
	var err error
	switch o {
	case Paid:
		_, err = WaitForStatus(page, "paid")
	case Declined:
		_, err = WaitForStatus(page, "failed")
	case Cancelled:
		_, err = WaitForStatus(page, cancelledAs)
	case Pending:
		_, err = WaitForStatus(page, "pending")
	default:
		err = fmt.Errorf("unknown outcome %v", o)
	}
	return err
}

// PayWithKNET answers the simulated KNET card page that GoToGateway(…, "knet", …) led to —
// Tap's, Adyen's (CHECKOUT_KNET_GATEWAY=adyen) or KNET's own (=knet), recognised by the page —
// and waits for our result page. Pending: Adyen's and KNET direct's pending card; on Tap's page
// the helper leaves the page unanswered.
func PayWithKNET(page playwright.Page, o Outcome) error {
	tap, adyen := testid(page, "knet-card"), testid(page, "adyen-knet-card")
	if err := visible(tap.Or(adyen)); err != nil {
		return fmt.Errorf("no KNET page: %w", err)
	}
	prefix, bank := "knet", "knet1"
	if ok, _ := adyen.IsVisible(); ok {
		prefix, bank = "adyen-knet", "KNET1"
	}
	// KNET's own page (under /sandbox/knet/) has a confirmation step Tap's has not.
	direct := prefix == "knet" && strings.Contains(page.URL(), "/sandbox/knet/")
	if o == Pending && prefix == "knet" && !direct {
		return nil // Tap has no pending card: the shopper just leaves
	}
	return payKNETForm(page, prefix, bank, o, direct, "cancelled")
}

// payKNETForm answers a simulated KNET form whose testids start with prefix.
func payKNETForm(page playwright.Page, prefix, bank string, o Outcome, confirm bool, cancelledAs string) error {
	if o == Cancelled {
		if err := testid(page, prefix+"-cancel").Click(); err != nil {
			return err
		}
		return finish(page, o, cancelledAs)
	}
	card, year := KNETCard, "2030"
	switch o {
	case Declined:
		year = "2029"
	case Pending:
		card = KNETPendingCard
	}
	if err := SubmitKNETCard(page, prefix, bank, card, year); err != nil {
		return err
	}
	if confirm {
		if err := testid(page, "knet-confirm").Click(); err != nil {
			return err
		}
	}
	return finish(page, o, cancelledAs)
}

// SubmitKNETCard fills a simulated KNET card form and submits it: the testids start with
// prefix ("knet" on Tap's and KNET's own page, "adyen-knet", "click-knet"); bank is the option
// value ("knet1", "KNET1" on Adyen's page); expiry month 09 of year, PIN 1234.
func SubmitKNETCard(page playwright.Page, prefix, bank, card, year string) error {
	sel := func(id string) playwright.Locator { return testid(page, prefix+"-"+id) }
	if _, err := sel("bank").SelectOption(playwright.SelectOptionValues{Values: &[]string{bank}}); err != nil {
		return err
	}
	if err := sel("card").Fill(card); err != nil {
		return err
	}
	if _, err := sel("exp-month").SelectOption(playwright.SelectOptionValues{Values: &[]string{"09"}}); err != nil {
		return err
	}
	if _, err := sel("exp-year").SelectOption(playwright.SelectOptionValues{Values: &[]string{year}}); err != nil {
		return err
	}
	if err := sel("pin").Fill(KNETPIN); err != nil {
		return err
	}
	return sel("submit").Click()
}

// PayWithClick answers Click's pages (method click): Click's KNET, then its return link.
// A cancel comes back as "failed" (Click reports it as message=error). Pending leaves Click's
// page unanswered.
func PayWithClick(page playwright.Page, o Outcome) error {
	if err := visible(testid(page, "click-method-knet")); err != nil {
		return fmt.Errorf("no Click page: %w", err)
	}
	if o == Pending {
		return nil
	}
	if err := testid(page, "click-method-knet").Check(); err != nil {
		return err
	}
	if err := testid(page, "click-continue").Click(); err != nil {
		return err
	}
	if err := testid(page, "click-pay").Click(); err != nil {
		return err
	}
	if err := visible(testid(page, "click-knet-card")); err != nil {
		return err
	}
	if o == Paid {
		// Click's own result page sends the shopper back after 5 seconds; the link does it now.
		if err := SubmitKNETCard(page, "click-knet", "knet1", KNETCard, "2030"); err != nil {
			return err
		}
		ret := testid(page, "click-return")
		if err := visible(ret); err != nil {
			return err
		}
		if err := ret.Click(); err != nil {
			return err
		}
		return finish(page, o, "")
	}
	return payKNETForm(page, "click-knet", "knet1", o, false, "failed")
}

// PayWithAlqaseh answers Al Qaseh's card page (method card in IQD). Pending uses the card
// the bank leaves unknown.
func PayWithAlqaseh(page playwright.Page, o Outcome) error {
	if err := visible(testid(page, "alqaseh-card")); err != nil {
		return fmt.Errorf("no Al Qaseh page: %w", err)
	}
	if o == Cancelled {
		if err := testid(page, "alqaseh-cancel").Click(); err != nil {
			return err
		}
		return finish(page, o, "cancelled")
	}
	card := map[Outcome]string{Paid: AlqasehCard, Declined: AlqasehDeclinedCard, Pending: AlqasehPendingCard}[o]
	if err := SubmitAlqasehCard(page, card, AlqasehCVV); err != nil {
		return err
	}
	return finish(page, o, "")
}

// SubmitAlqasehCard fills Al Qaseh's card page (expiry 01-2027) and presses Pay.
func SubmitAlqasehCard(page playwright.Page, card, cvv string) error {
	for _, f := range [][2]string{{"alqaseh-card", card}, {"alqaseh-expiry", AlqasehExpiry}, {"alqaseh-cvv", cvv}, {"alqaseh-name", "Zainab Ali"}} {
		if err := testid(page, f[0]).Fill(f[1]); err != nil {
			return err
		}
	}
	return testid(page, "alqaseh-pay").Click()
}

// KPayFrame is the K-Payment form the K-Pay button opens in an iframe.
func KPayFrame(page playwright.Page) playwright.FrameLocator {
	return page.FrameLocator("[data-testid=kpay-frame]")
}

// OpenKPayForm presses the K-Pay button on our attempt page (after GoToGateway) and waits for
// its card form.
func OpenKPayForm(page playwright.Page) (playwright.FrameLocator, error) {
	if err := testid(page, "kpay-button").Click(); err != nil {
		return nil, err
	}
	f := KPayFrame(page)
	return f, visible(f.Locator("[data-testid=kpay-number]"))
}

// FillKPayCard fills the K-Payment card form in its iframe (not submitted).
func FillKPayCard(f playwright.FrameLocator, number string) error {
	for _, kv := range [][2]string{{"kpay-name", "Somchai Jaidee"}, {"kpay-number", number}, {"kpay-expiry", KPayExpiry}, {"kpay-cvv", KPayCVV}} {
		if err := f.Locator("[data-testid=" + kv[0] + "]").Fill(kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// PayWithKPayCard pays by card in the K-Payment form inside its iframe (method card in THB,
// on our attempt page after GoToGateway), without 3-D Secure. Cancelled is the 3-D Secure
// page's cancel (see PayWithKPay3DS): the card form itself has none. Pending leaves the form
// open and unsubmitted.
func PayWithKPayCard(page playwright.Page, o Outcome) error {
	if o == Cancelled {
		return PayWithKPay3DS(page, o)
	}
	f, err := OpenKPayForm(page)
	if err != nil || o == Pending {
		return err
	}
	card := KPayCard
	if o == Declined {
		card = KPayDeclinedCard
	}
	if err := FillKPayCard(f, card); err != nil {
		return err
	}
	if err := f.Locator("[data-testid=kpay-submit]").Click(); err != nil {
		return err
	}
	return finish(page, o, "")
}

// PayWithKPay3DS pays with the 3-D Secure card: Paid enters OTP 123456, Declined a wrong OTP
// ("failed"), Cancelled presses the 3-D Secure page's cancel ("cancelled"); Pending stops on
// the 3-D Secure page.
func PayWithKPay3DS(page playwright.Page, o Outcome) error {
	f, err := OpenKPayForm(page)
	if err != nil {
		return err
	}
	if err := FillKPayCard(f, KPay3DSCard); err != nil {
		return err
	}
	if err := f.Locator("[data-testid=kpay-submit]").Click(); err != nil {
		return err
	}
	if err := testid(page, "kpay-otp-request").Click(); err != nil {
		return err
	}
	switch o {
	case Pending:
		return nil
	case Cancelled:
		if err := testid(page, "kpay-otp-cancel").Click(); err != nil {
			return err
		}
		return finish(page, o, "cancelled")
	}
	otp := KPayOTP
	if o == Declined {
		otp = "000000"
	}
	if err := testid(page, "kpay-otp").Fill(otp); err != nil {
		return err
	}
	if err := testid(page, "kpay-otp-submit").Click(); err != nil {
		return err
	}
	return finish(page, o, "")
}

// PayWithQR pays a Thai QR or WeChat Pay code (methods thaiqr, wechat): it presses the K-Pay
// button on our attempt page, reads the QR id, and pays it in the sandbox's QR simulator in a
// new tab of the same browser context; the checkout page goes on by itself. Only Paid and
// Pending (the QR left unpaid) are possible: a QR code cannot be declined.
func PayWithQR(page playwright.Page, baseURL string, o Outcome) error {
	if o != Paid && o != Pending {
		return fmt.Errorf("a QR payment can only be paid or left pending, not %v", o)
	}
	if err := testid(page, "kpay-button").Click(); err != nil {
		return err
	}
	idEl := KPayFrame(page).Locator("[data-testid=kpay-qr-id]")
	if err := visible(idEl); err != nil {
		return err
	}
	if o == Pending {
		return nil
	}
	qr, err := idEl.TextContent()
	if err != nil {
		return err
	}
	sim, err := page.Context().NewPage()
	if err != nil {
		return err
	}
	defer sim.Close()
	if err := PayQRCode(sim, baseURL, qr); err != nil {
		return err
	}
	return finish(page, o, "")
}

// PayQRCode pays the QR id in the sandbox's K-Pay QR simulator, opened in page (another tab
// than the shopper's: the Merchant Portal's role).
func PayQRCode(page playwright.Page, baseURL, qr string) error {
	if _, err := page.Goto(baseURL + "/sandbox/kpay/qr-simulator"); err != nil {
		return err
	}
	if err := testid(page, "kpay-qrsim-id").Fill(qr); err != nil {
		return err
	}
	if err := testid(page, "kpay-qrsim-search").Click(); err != nil {
		return err
	}
	if err := testid(page, "kpay-qrsim-pay").Click(); err != nil {
		return err
	}
	return visible(testid(page, "kpay-qrsim-result"))
}

// PayWithUnionPay answers K-Pay's UnionPay page (method unionpay). Pending leaves the page
// unanswered.
func PayWithUnionPay(page playwright.Page, o Outcome) error {
	if err := visible(testid(page, "kpay-upi-card")); err != nil {
		return fmt.Errorf("no UnionPay page: %w", err)
	}
	switch o {
	case Pending:
		return nil
	case Cancelled:
		if err := testid(page, "kpay-upi-cancel").Click(); err != nil {
			return err
		}
		return finish(page, o, "cancelled")
	}
	card := UnionPayCard
	if o == Declined {
		card = UnionPayDeclinedCard
	}
	for _, kv := range [][2]string{{"kpay-upi-card", card}, {"kpay-upi-expiry", "10/30"}, {"kpay-upi-cvn", "456"}, {"kpay-upi-pin", "111111"}} {
		if err := testid(page, kv[0]).Fill(kv[1]); err != nil {
			return err
		}
	}
	if err := testid(page, "kpay-upi-submit").Click(); err != nil {
		return err
	}
	return finish(page, o, "")
}

// PayWithAlipay answers K-Pay's Alipay page (method alipay): Paid approves, Cancelled cancels;
// the simulator has no refusal, so Declined is an error; Pending leaves the page.
func PayWithAlipay(page playwright.Page, o Outcome) error {
	approve := testid(page, "kpay-alipay-approve")
	if err := visible(approve); err != nil {
		return fmt.Errorf("no Alipay page: %w", err)
	}
	switch o {
	case Pending:
		return nil
	case Paid:
		if err := approve.Click(); err != nil {
			return err
		}
		return finish(page, o, "")
	case Cancelled:
		if err := testid(page, "kpay-alipay-cancel").Click(); err != nil {
			return err
		}
		return finish(page, o, "cancelled")
	}
	return fmt.Errorf("the Alipay simulator cannot decline: use Paid, Cancelled or Pending, not %v", o)
}
