package alqaseh

// texts is one language's copy of the hosted payment page.
type texts struct {
	Brand, Gateway, Sandbox, LangName                   string
	Heading, Order, Description, Amount, ValidUntil     string
	Card, CardHint, Expiry, ExpiryHint, CVV, CVVHint    string
	Name, NameHint, Pay, Cancel, TestCards, ErrorsTitle string
	Return, Finished, Status                            string
	CardSucceeds, CardDeclined, CardFails, CardUnknown  string
	OtherCards, Comma                                   string
	NotFoundTitle, NotFoundBody                         string
	ResultTitle, ResultBody                             map[string]string // by page status
	ErrCard, ErrExpiry, ErrCVV, ErrName                 string
}

// statusReplaced is the page status of a stale token (replaced by retry or
// revoke) whose context can still be paid through its new token.
const statusReplaced = "replaced"

var catalog = map[string]*texts{
	"en": {
		Brand:         "Al Qaseh",
		Gateway:       "Secure card payment",
		Sandbox:       "Test environment (Al Qaseh sandbox): no real money is charged.",
		LangName:      "English",
		Heading:       "Pay by card",
		Order:         "Order",
		Description:   "Description",
		Amount:        "Amount",
		ValidUntil:    "Link valid until",
		Card:          "Card number",
		CardHint:      "13 to 19 digits, as printed on the card.",
		Expiry:        "Expiry date",
		ExpiryHint:    "MM-YYYY or MM/YY, for example 01-2027.",
		CVV:           "CVV",
		CVVHint:       "3 or 4 digits on the back of the card.",
		Name:          "Card holder name",
		NameHint:      "As printed on the card.",
		Pay:           "Pay",
		Cancel:        "Cancel",
		TestCards:     "Test cards:",
		CardSucceeds:  "succeeds",
		CardDeclined:  "is declined",
		CardFails:     "fails",
		CardUnknown:   "ends in an unknown status",
		OtherCards:    "Any other card, CVV or expiry is declined.",
		Comma:         ",",
		ErrorsTitle:   "Please correct the following:",
		Return:        "Return to the merchant",
		Finished:      "This payment is finished and cannot be paid again.",
		Status:        "Status",
		NotFoundTitle: "Payment not found",
		NotFoundBody:  "This payment link is not valid. Please return to the merchant and start again.",
		ResultTitle: map[string]string{
			statusSucceeded:  "Payment successful",
			statusDeclined:   "Payment declined",
			statusFailed:     "Payment failed",
			statusUnknown:    "Payment status unknown",
			statusExpired:    "Payment link expired",
			statusRevoked:    "Payment cancelled by the merchant",
			statusDuplicated: "Duplicate payment",
			statusReplaced:   "Payment link replaced",
		},
		ResultBody: map[string]string{
			statusSucceeded:  "Your card was charged. Thank you.",
			statusDeclined:   "Your bank declined the card. No money was taken.",
			statusFailed:     "The payment could not be completed. No money was taken.",
			statusUnknown:    "We could not confirm the result with your bank. The merchant will confirm the status.",
			statusExpired:    "This payment link has expired. No money was taken. Please return to the merchant to start again.",
			statusRevoked:    "The merchant cancelled this payment. No money was taken.",
			statusDuplicated: "This order was already submitted for payment, so this request was not processed.",
			statusReplaced:   "This payment link was replaced by a new one. Please return to the merchant to continue.",
		},
		ErrCard:   "Enter a valid card number (13 to 19 digits).",
		ErrExpiry: "Enter the expiry date as MM-YYYY or MM/YY.",
		ErrCVV:    "Enter the 3 or 4 digit CVV.",
		ErrName:   "Enter the card holder name.",
	},
	"ar": {
		Brand:         "Al Qaseh",
		Gateway:       "دفع آمن بالبطاقة",
		Sandbox:       "بيئة تجريبية (Al Qaseh sandbox): لن يتم خصم أي مبلغ حقيقي.",
		LangName:      "العربية",
		Heading:       "الدفع بالبطاقة",
		Order:         "رقم الطلب",
		Description:   "الوصف",
		Amount:        "المبلغ",
		ValidUntil:    "الرابط صالح حتى",
		Card:          "رقم البطاقة",
		CardHint:      "من 13 إلى 19 رقماً كما هو مطبوع على البطاقة.",
		Expiry:        "تاريخ الانتهاء",
		ExpiryHint:    "بالصيغة \u2066MM-YYYY\u2069 أو \u2066MM/YY\u2069، مثلاً \u206601-2027\u2069.",
		CVV:           "رمز التحقق (CVV)",
		CVVHint:       "3 أو 4 أرقام على ظهر البطاقة.",
		Name:          "اسم حامل البطاقة",
		NameHint:      "كما هو مطبوع على البطاقة.",
		Pay:           "ادفع",
		Cancel:        "إلغاء",
		TestCards:     "بطاقات تجريبية:",
		CardSucceeds:  "تنجح",
		CardDeclined:  "تُرفض",
		CardFails:     "تفشل",
		CardUnknown:   "تنتهي بحالة غير معروفة",
		OtherCards:    "تُرفض أي بطاقة أو رمز تحقق أو تاريخ انتهاء آخر.",
		Comma:         "،",
		ErrorsTitle:   "يرجى تصحيح ما يلي:",
		Return:        "العودة إلى المتجر",
		Finished:      "اكتملت عملية الدفع هذه ولا يمكن الدفع مرة أخرى.",
		Status:        "الحالة",
		NotFoundTitle: "لم يتم العثور على عملية الدفع",
		NotFoundBody:  "رابط الدفع هذا غير صالح. يرجى العودة إلى المتجر والبدء من جديد.",
		ResultTitle: map[string]string{
			statusSucceeded:  "تمت عملية الدفع بنجاح",
			statusDeclined:   "تم رفض عملية الدفع",
			statusFailed:     "فشلت عملية الدفع",
			statusUnknown:    "حالة الدفع غير معروفة",
			statusExpired:    "انتهت صلاحية رابط الدفع",
			statusRevoked:    "ألغى التاجر عملية الدفع",
			statusDuplicated: "عملية دفع مكررة",
			statusReplaced:   "تم استبدال رابط الدفع",
		},
		ResultBody: map[string]string{
			statusSucceeded:  "تم الخصم من بطاقتك. شكراً لك.",
			statusDeclined:   "رفض البنك البطاقة. لم يتم خصم أي مبلغ.",
			statusFailed:     "تعذر إتمام عملية الدفع. لم يتم خصم أي مبلغ.",
			statusUnknown:    "تعذر تأكيد النتيجة مع البنك. سيؤكد التاجر حالة الدفع.",
			statusExpired:    "انتهت صلاحية رابط الدفع هذا. لم يتم خصم أي مبلغ. يرجى العودة إلى المتجر للبدء من جديد.",
			statusRevoked:    "ألغى التاجر عملية الدفع هذه. لم يتم خصم أي مبلغ.",
			statusDuplicated: "سبق تقديم هذا الطلب للدفع، لذلك لم تتم معالجة هذا الطلب.",
			statusReplaced:   "تم استبدال رابط الدفع هذا برابط جديد. يرجى العودة إلى المتجر للمتابعة.",
		},
		ErrCard:   "أدخل رقم بطاقة صحيحاً (من 13 إلى 19 رقماً).",
		ErrExpiry: "أدخل تاريخ الانتهاء بالصيغة \u2066MM-YYYY\u2069 أو \u2066MM/YY\u2069.",
		ErrCVV:    "أدخل رمز التحقق المكوّن من 3 أو 4 أرقام.",
		ErrName:   "أدخل اسم حامل البطاقة.",
	},
}
