package click

// texts is one language's copy of CLK's pages, of the K-Net step and of the
// card step.
type texts struct {
	LangName, Sandbox, PoweredBy, Currency string

	// CLK's own pages (seed §4.2 screenshots).
	PaymentTo, TrackID, Amount, ChooseMethod, MethodKNET, MethodCard, Continue string
	WillBePaid, Pay, Terms, ChangeMethod, ErrorsTitle, ErrMethod               string

	// K-Net step (KNET's payment page, seed §2.1.3).
	KNETGateway, Billing, Merchant, Website, CardInfo, Bank, Choose string
	KNETCard, KNETCardHint, Expiry, Month, Year, PIN, PINHint       string
	Submit, Reset, Cancel, KNETTestCards                            string
	ErrBank, ErrKNETCard, ErrKNETExpiry, ErrPIN                     string

	// Card step (Mastercard Hosted Checkout, seed §2.2).
	CardHeading, CardNumber, CardNumberHint, ExpMonth, ExpYear, MonthHint, YearHint string
	Holder, CSC, CSCHint, BillingAddress, Street1, Street2, City, State             string
	Postcode, Country, Required, CardPay, CardCancel, PoweredByMC, CardTestCards    string
	CardDeclined, CardDeclinedAgain                                                 string
	ErrCardNumber, ErrCardExpiry, ErrHolder, ErrCSC                                 string

	// Result pages.
	Success, Failed, Expired, YourStatus, PaymentID, TransactionID, RefID, TotalAmount string
	PaidAt, Using, Wait, Return, Finished, Seconds, Stay                               string
	Reasons                                                                            map[string]string
	FeeBefore, FeeFor                                                                  string
	NotFoundTitle, NotFoundBody                                                        string
}

var catalog = map[string]*texts{
	"en": {
		LangName:  "English",
		Sandbox:   "Test environment (Click sandbox): no real money is charged.",
		PoweredBy: "Powered By Click",
		Currency:  "KWD",

		PaymentTo:    "Payment To",
		TrackID:      "Track ID",
		Amount:       "Amount",
		ChooseMethod: "Choose a payment method",
		MethodKNET:   "K-Net",
		MethodCard:   "Credit Card",
		Continue:     "Continue",
		WillBePaid:   "This Transaction Will Be Paid Using",
		Pay:          "Pay",
		Terms:        "By Clicking Pay You Are Agreeing To Our Terms And Conditions.",
		ChangeMethod: "Change payment method",
		ErrorsTitle:  "Please correct the following:",
		ErrMethod:    "Choose K-Net or Credit Card.",

		KNETGateway:   "KNET Payment Gateway",
		Billing:       "Billing Information",
		Merchant:      "Merchant",
		Website:       "Website",
		CardInfo:      "Card Information",
		Bank:          "Select Your Bank",
		Choose:        "Select…",
		KNETCard:      "Card Number",
		KNETCardHint:  "16 to 19 digits, as printed on your card.",
		Expiry:        "Expiration Date",
		Month:         "Month",
		Year:          "Year",
		PIN:           "PIN",
		PINHint:       "4 digits.",
		Submit:        "Submit",
		Reset:         "Reset",
		Cancel:        "Cancel",
		KNETTestCards: "Test card: 8888880000000001, expiry 09/2030, any 4-digit PIN. Any other card or expiry is declined.",
		ErrBank:       "Please select your bank.",
		ErrKNETCard:   "Enter a valid card number (16 to 19 digits).",
		ErrKNETExpiry: "Select the expiration month and year.",
		ErrPIN:        "Enter your 4-digit PIN.",

		CardHeading:       "Card details",
		CardNumber:        "Card number",
		CardNumberHint:    "As printed on the front of your card.",
		ExpMonth:          "Expiry month",
		ExpYear:           "Expiry year",
		MonthHint:         "MM",
		YearHint:          "YY",
		Holder:            "Cardholder name",
		CSC:               "Security code",
		CSCHint:           "3 digits on back of your card (4 on the front for American Express).",
		BillingAddress:    "Billing address (optional)",
		Street1:           "Street 1",
		Street2:           "Street 2",
		City:              "City",
		State:             "State / Province",
		Postcode:          "Postcode / Zipcode",
		Country:           "Country",
		Required:          "Fields marked * are required.",
		CardPay:           "Pay",
		CardCancel:        "Cancel",
		PoweredByMC:       "Powered By Mastercard",
		CardTestCards:     "Test cards: 5123450000000008, 5111111111111118, 4508750015741019 (any 3-digit security code), 345678901234564 (any 4 digits). Expiry 01/39 is approved; 05/39 declined, 04/27 expired card, 08/28 timed out, 01/37, 02/37 and 05/37 fail; any other card or expiry is declined.",
		CardDeclined:      "The payment was not approved:",
		CardDeclinedAgain: "No money was taken. Check the details or use another card, or cancel.",
		ErrCardNumber:     "Enter a valid card number.",
		ErrCardExpiry:     "Enter the expiry month (MM, 01 to 12) and year (YY).",
		ErrHolder:         "Enter the cardholder name.",
		ErrCSC:            "Enter the security code (3 digits, 4 for American Express).",

		Success:       "Successful Payment",
		Failed:        "Failed Payment",
		Expired:       "Session Expired",
		YourStatus:    "Your Payment Status",
		PaymentID:     "Payment ID",
		TransactionID: "Transaction ID",
		RefID:         "Ref ID",
		TotalAmount:   "Total Amount",
		PaidAt:        "This Transaction Has Been Paid At",
		Using:         "Using",
		Wait:          "Please Wait! Until Redirecting To Website.",
		Return:        "Return to the website now",
		Seconds:       "seconds",
		Stay:          "Stay on this page",
		Finished:      "This payment is finished and will not be charged again.",
		Reasons: map[string]string{
			reasonDeclined:  "Your bank did not approve the payment. No money was taken.",
			reasonCancelled: "You cancelled the payment. No money was taken.",
			reasonFee:       "The order amount is below the minimum for this payment method. No money was taken.",
			reasonExpired:   "This payment session has expired. No money was taken.",
		},
		FeeBefore:     "The order amount must be greater than",
		FeeFor:        "to pay with",
		NotFoundTitle: "INVALID SESSION",
		NotFoundBody:  "This payment link is not valid. Please return to the store and start again.",
	},
	"ar": {
		LangName:  "العربية",
		Sandbox:   "بيئة تجريبية (Click sandbox): لن يتم خصم أي مبلغ حقيقي.",
		PoweredBy: "بدعم من كليك",
		Currency:  "د.ك",

		PaymentTo:    "الدفع إلى",
		TrackID:      "رقم التتبع",
		Amount:       "المبلغ",
		ChooseMethod: "اختر طريقة الدفع",
		MethodKNET:   "كي نت",
		MethodCard:   "بطاقة ائتمان",
		Continue:     "متابعة",
		WillBePaid:   "سيتم دفع هذه العملية باستخدام",
		Pay:          "ادفع",
		Terms:        "بالضغط على ادفع فإنك توافق على الشروط والأحكام.",
		ChangeMethod: "تغيير طريقة الدفع",
		ErrorsTitle:  "يرجى تصحيح ما يلي:",
		ErrMethod:    "اختر كي نت أو بطاقة الائتمان.",

		KNETGateway:   "بوابة الدفع كي نت",
		Billing:       "معلومات الفاتورة",
		Merchant:      "التاجر",
		Website:       "الموقع",
		CardInfo:      "معلومات البطاقة",
		Bank:          "اختر البنك",
		Choose:        "اختر…",
		KNETCard:      "رقم البطاقة",
		KNETCardHint:  "من 16 إلى 19 رقماً كما هو مطبوع على البطاقة.",
		Expiry:        "تاريخ الانتهاء",
		Month:         "الشهر",
		Year:          "السنة",
		PIN:           "الرقم السري",
		PINHint:       "4 أرقام.",
		Submit:        "تأكيد",
		Reset:         "مسح",
		Cancel:        "إلغاء",
		KNETTestCards: "بطاقة تجريبية: 8888880000000001، تاريخ الانتهاء 09/2030، وأي رقم سري من 4 أرقام. تُرفض أي بطاقة أو تاريخ انتهاء آخر.",
		ErrBank:       "يرجى اختيار البنك.",
		ErrKNETCard:   "أدخل رقم بطاقة صحيحاً (من 16 إلى 19 رقماً).",
		ErrKNETExpiry: "اختر شهر وسنة انتهاء البطاقة.",
		ErrPIN:        "أدخل الرقم السري المكوّن من 4 أرقام.",

		CardHeading:       "بيانات البطاقة",
		CardNumber:        "رقم البطاقة",
		CardNumberHint:    "كما هو مطبوع على وجه البطاقة.",
		ExpMonth:          "شهر الانتهاء",
		ExpYear:           "سنة الانتهاء",
		MonthHint:         "MM",
		YearHint:          "YY",
		Holder:            "اسم حامل البطاقة",
		CSC:               "رمز الأمان",
		CSCHint:           "3 أرقام على ظهر البطاقة (4 على وجهها لبطاقات أمريكان إكسبريس).",
		BillingAddress:    "عنوان الفاتورة (اختياري)",
		Street1:           "الشارع 1",
		Street2:           "الشارع 2",
		City:              "المدينة",
		State:             "المحافظة / الولاية",
		Postcode:          "الرمز البريدي",
		Country:           "الدولة",
		Required:          "الحقول المعلّمة بـ * مطلوبة.",
		CardPay:           "ادفع",
		CardCancel:        "إلغاء",
		PoweredByMC:       "بدعم من ماستركارد",
		CardTestCards:     "بطاقات تجريبية: 5123450000000008 و5111111111111118 و4508750015741019 (أي رمز أمان من 3 أرقام) و345678901234564 (أي 4 أرقام). تاريخ الانتهاء 01/39 مقبول؛ 05/39 مرفوض، 04/27 بطاقة منتهية، 08/28 انتهاء المهلة، و01/37 و02/37 و05/37 تفشل؛ تُرفض أي بطاقة أو تاريخ آخر.",
		CardDeclined:      "لم تتم الموافقة على عملية الدفع:",
		CardDeclinedAgain: "لم يتم خصم أي مبلغ. تحقق من البيانات أو استخدم بطاقة أخرى، أو ألغِ العملية.",
		ErrCardNumber:     "أدخل رقم بطاقة صحيحاً.",
		ErrCardExpiry:     "أدخل شهر الانتهاء (MM من 01 إلى 12) والسنة (YY).",
		ErrHolder:         "أدخل اسم حامل البطاقة.",
		ErrCSC:            "أدخل رمز الأمان (3 أرقام، و4 لأمريكان إكسبريس).",

		Success:       "عملية دفع ناجحة",
		Failed:        "عملية دفع غير ناجحة",
		Expired:       "انتهت صلاحية الجلسة",
		YourStatus:    "حالة الدفع",
		PaymentID:     "رقم الدفع",
		TransactionID: "رقم العملية",
		RefID:         "الرقم المرجعي",
		TotalAmount:   "المبلغ الإجمالي",
		PaidAt:        "تم دفع هذه العملية في",
		Using:         "باستخدام",
		Wait:          "يرجى الانتظار! جارٍ التحويل إلى الموقع.",
		Return:        "العودة إلى الموقع الآن",
		Seconds:       "ثوانٍ",
		Stay:          "البقاء في هذه الصفحة",
		Finished:      "اكتملت عملية الدفع هذه ولن يتم الخصم مرة أخرى.",
		Reasons: map[string]string{
			reasonDeclined:  "لم يوافق البنك على عملية الدفع. لم يتم خصم أي مبلغ.",
			reasonCancelled: "لقد ألغيت عملية الدفع. لم يتم خصم أي مبلغ.",
			reasonFee:       "مبلغ الطلب أقل من الحد الأدنى لطريقة الدفع هذه. لم يتم خصم أي مبلغ.",
			reasonExpired:   "انتهت صلاحية جلسة الدفع هذه. لم يتم خصم أي مبلغ.",
		},
		FeeBefore:     "يجب أن يكون مبلغ الطلب أكبر من",
		FeeFor:        "للدفع باستخدام",
		NotFoundTitle: "جلسة غير صالحة",
		NotFoundBody:  "رابط الدفع هذا غير صالح. يرجى العودة إلى المتجر والبدء من جديد.",
	},
}
