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
