package views

import "github.com/bawaba/checkout/i18n"

// AdminPage is what every merchant console page's layout needs.
type AdminPage struct {
	Lang      i18n.Lang
	Title     string
	Merchant  string
	User      string // the signed-in user's email; empty on the login page
	Nav       []AdminNav
	Active    string // the Nav ID to mark as current
	CSRF      string // the session's CSRF token, for every form
	SwitchURL string
	Sandbox   bool
	TZ        string // the time zone times are shown in
	CSS       string
	AdminCSS  string
	JS        string
}

// T translates in the page's language.
func (p AdminPage) T(key string, args ...string) string { return p.Lang.T(key, args...) }

// AdminNav is one navigation entry.
type AdminNav struct {
	ID    string
	Path  string
	Label string
}

// AdminLoginForm is the login form's state.
type AdminLoginForm struct {
	Email string
	Next  string
	Error string
}

// AdminKey is one API key row.
type AdminKey struct {
	ID, Name, Hint             string
	Created, LastUsed, Revoked string // formatted; empty: never
}

// AdminKeysForm is the key creation form's state; NewSecret is shown once after creating.
type AdminKeysForm struct {
	Name      string
	Error     string
	NewID     string
	NewSecret string
}

// AdminConfirmation is a confirmation step before a console action.
type AdminConfirmation struct {
	Question string
	Detail   string
	Action   string            // where the form POSTs
	Fields   map[string]string // hidden fields carried to the action
	Button   string
	Back     string
	Danger   bool
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
}

// AdminOrderFilter is the order list's filter as the form shows it.
type AdminOrderFilter struct {
	Status, Method, Gateway, Currency, From, To, Q string
	Review                                         bool
}

// AdminOrders is the order list page.
type AdminOrders struct {
	Filter                                  AdminOrderFilter
	Statuses, Methods, Gateways, Currencies []Option
	Rows                                    []AdminOrderRow
	Totals                                  []string // "3 orders · KD 18.000", one per currency
	NextURL, FirstURL, CSVURL               string
}

// AdminOrderRow is one order in the list.
type AdminOrderRow struct {
	ID, Reference, Amount, Status, StatusLabel string
	Method, Gateway, Customer, Created         string
	NeedsReview                                bool
}

// AdminOrderDetail is one order's page.
type AdminOrderDetail struct {
	ID, Reference, Amount, Status, StatusLabel, Description string
	NeedsReview                                             bool
	CheckoutURL                                             string
	Facts                                                   []Row
	Attempts                                                []AdminAttempt
	Timeline                                                []AdminEvent
	Refunds                                                 []AdminRefund
	Webhooks                                                []AdminWebhookLine
	CanCancel, CanRefund                                    bool
	Notice, Error                                           string
}

// AdminAttempt is one payment attempt with its gateway ids.
type AdminAttempt struct {
	ID, Method, Gateway, Status, StatusLabel, Created, Failure string
	IDs                                                        []Row
}

// AdminEvent is one line of an order's timeline.
type AdminEvent struct {
	When, Text, Detail string
}

// AdminRefund is one refund of an order.
type AdminRefund struct {
	ID, Amount, Status, StatusLabel, Kind, Reason, When, Failure string
}

// AdminWebhookLine is one webhook sent (or to be sent) for an order.
type AdminWebhookLine struct {
	ID, Type, State string
	Delivered       bool
	Tries           int
	LastStatus      int
}

// AdminRefundInput is the refund form's state.
type AdminRefundInput struct {
	OrderID, Amount, Reason, Error, Currency, Remaining, Paid string
	Scale                                                     int
}

// AdminWebhooks is the webhook deliveries page.
type AdminWebhooks struct {
	Failing           bool
	Events            []AdminWebhookEvent
	NextURL, FirstURL string
	Notice            string
}

// AdminWebhookEvent is one event sent (or to be sent) to the shop.
type AdminWebhookEvent struct {
	ID, OrderID, Type, URL, Created string
	State, StateClass               string
	Next                            string // when the next automatic try is due; empty: none
	Failing                         bool
	Tries                           []AdminDeliveryTry
}

// AdminDeliveryTry is one POST to the shop's endpoint.
type AdminDeliveryTry struct {
	At, Status, Latency, Error, Response string
	OK                                   bool
}

// AdminHome is the console's home page.
type AdminHome struct {
	Today, Week []string // "KD 12.000 · 3 orders", one per currency
	Statuses    []AdminStat
	Review      int
	ReviewLabel string
	Failing     []AdminFailing
	Charts      []AdminChart
}

// AdminStat is the count of orders in one status.
type AdminStat struct {
	Status, Label, Count, URL string
}

// AdminFailing is a webhook endpoint with undelivered events.
type AdminFailing struct {
	URL, Label string
}

// AdminChart is a bar chart of paid volume per day in one currency, drawn as SVG.
type AdminChart struct {
	Currency, Title, Max, First, Last string
	W, H, Base, Top                   int
	Bars                              []AdminBar
}

// AdminBar is one day's bar.
type AdminBar struct {
	X, Y, W, H int
	Label      string
}

// AdminSettingsForm is the settings form's state.
type AdminSettingsForm struct {
	Name, Logo, Brand, Lang, WebhookURL string
	Errors                              map[string]string // field → message
	SecretFixed                         bool              // set by CHECKOUT_WEBHOOK_SECRET
	PreviousUntil                       string            // the previous secret signs until then; empty: no overlap
	Overlaps                            []Option
}

// AdminSettingsExtra is what an action on the settings page shows once.
type AdminSettingsExtra struct {
	Notice                 string
	Secret, PreviousSecret string // revealed on demand
	TestResult, TestBody   string
	TestError              string
	TestStatus             int
	TestOK                 bool
}
