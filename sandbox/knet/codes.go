package knet

// KNET's IPAY error codes used here, with the manual's English text (spec §5,
// manual §10) and an Arabic rendering for the shopper's pages.
const (
	errMissingErrorURL    = "IPAY0100001"
	errInvalidErrorURL    = "IPAY0100002"
	errMissingResponseURL = "IPAY0100003"
	errInvalidResponseURL = "IPAY0100004"
	errMissingTranportal  = "IPAY0100005"
	errInvalidTranportal  = "IPAY0100006"
	errMissingTrandata    = "IPAY0100007"
	errInvalidTrandata    = "IPAY0100013"
	errInvalidPassword    = "IPAY0100015"
	errInvalidAction      = "IPAY0100020"
	errMissingCurrency    = "IPAY0100021"
	errInvalidCurrency    = "IPAY0100022"
	errMissingAmount      = "IPAY0100023"
	errInvalidAmount      = "IPAY0100024"
	errInvalidLanguage    = "IPAY0100026"
	errInvalidTrackID     = "IPAY0100027"
	errActionNotEnabled   = "IPAY0100033"
	errMissingPaymentID   = "IPAY0100037"
	errUnableToProcess    = "IPAY0100038"
	errInvalidPaymentID   = "IPAY0100039"
	errInProgress         = "IPAY0100040"
	errTimeLimit          = "IPAY0100042"
	errOrderStatus        = "IPAY0100047"
	errInvalidTerminalKey = "IPAY0100050"
	errMissingPIN         = "IPAY0100087"
	errDuplicate          = "IPAY0100114"
	errCaptureCheck       = "IPAY0100136"
	errCreditExceeds      = "IPAY0100137"
	errDecrypt            = "IPAY0100176"
	errInvalidInput       = "IPAY0100177"
	errMissingCard        = "IPAY0100219"
	errInvalidCard        = "IPAY0100220"
	errMissingExpYear     = "IPAY0100225"
	errInvalidExpYear     = "IPAY0100226"
	errMissingExpMonth    = "IPAY0100227"
	errInvalidExpMonth    = "IPAY0100228"
	errMissingOriginal    = "IPAY0100232"
	errResponseURLDown    = "IPAY0100249"
	errNotAvailable       = "IPAY0100263"
	errMerchantResponse   = "IPAY0200014"
)

var codeText = map[string][2]string{ // code => {English, Arabic}
	errMissingErrorURL:    {"Missing error URL", "عنوان صفحة الخطأ مفقود"},
	errInvalidErrorURL:    {"Invalid error URL", "عنوان صفحة الخطأ غير صالح"},
	errMissingResponseURL: {"Missing response URL", "عنوان صفحة الاستجابة مفقود"},
	errInvalidResponseURL: {"Invalid response URL", "عنوان صفحة الاستجابة غير صالح"},
	errMissingTranportal:  {"Missing tranportal ID", "رقم البوابة (Tranportal ID) مفقود"},
	errInvalidTranportal:  {"Invalid tranportal ID", "رقم البوابة (Tranportal ID) غير صالح"},
	errMissingTrandata:    {"Missing transaction data", "بيانات العملية مفقودة"},
	errInvalidTrandata:    {"Invalid transaction data", "بيانات العملية غير صالحة"},
	errInvalidPassword:    {"Invalid tranportal password", "كلمة مرور البوابة غير صالحة"},
	errInvalidAction:      {"Invalid action type", "نوع العملية غير صالح"},
	errMissingCurrency:    {"Missing currency", "العملة مفقودة"},
	errInvalidCurrency:    {"Invalid currency", "العملة غير صالحة"},
	errMissingAmount:      {"Missing amount", "المبلغ مفقود"},
	errInvalidAmount:      {"Invalid amount", "المبلغ غير صالح"},
	errInvalidLanguage:    {"Invalid language ID", "رمز اللغة غير صالح"},
	errInvalidTrackID:     {"Invalid track id", "رقم التتبع غير صالح"},
	"IPAY0100028":         {"Invalid user defined field1", "الحقل الإضافي 1 غير صالح"},
	"IPAY0100029":         {"Invalid user defined field2", "الحقل الإضافي 2 غير صالح"},
	"IPAY0100030":         {"Invalid user defined field3", "الحقل الإضافي 3 غير صالح"},
	"IPAY0100031":         {"Invalid user defined field4", "الحقل الإضافي 4 غير صالح"},
	"IPAY0100032":         {"Invalid user defined field5", "الحقل الإضافي 5 غير صالح"},
	errActionNotEnabled:   {"Terminal action not enabled", "نوع العملية غير مفعّل لهذه البوابة"},
	errMissingPaymentID:   {"Payment id missing", "رقم الدفع مفقود"},
	errUnableToProcess:    {"Unable to process the request", "تعذّرت معالجة الطلب"},
	errInvalidPaymentID:   {"Invalid payment id", "رقم الدفع غير صالح"},
	errInProgress:         {"Transaction in progress in another tab/window", "العملية قيد المعالجة في تبويب أو نافذة أخرى"},
	errTimeLimit:          {"Transaction time limit exceeds", "تجاوزت العملية الوقت المسموح به"},
	errOrderStatus:        {"Payment Page validation failed due to invalid Order Status", "تمت معالجة هذه العملية من قبل"},
	errInvalidTerminalKey: {"Invalid terminal key", "مفتاح البوابة غير صالح"},
	errMissingPIN:         {"Card pin number is not present", "الرقم السري للبطاقة غير مُدخل"},
	errDuplicate:          {"Duplicate Record", "سجل مكرر"},
	errCaptureCheck:       {"Transaction denied due to previous capture check failure (Validate Original Transaction)", "رُفضت العملية لأن العملية الأصلية غير مكتملة الخصم"},
	errCreditExceeds:      {"Transaction denied due to credit amount greater than auth amount check failure (Validate Original Transaction)", "رُفضت العملية لأن مبلغ الاسترداد يتجاوز مبلغ العملية الأصلية"},
	errDecrypt:            {"Decrypting transaction data failed", "فشل فك تشفير بيانات العملية"},
	errInvalidInput:       {"Invalid input data received", "البيانات المستلمة غير صالحة"},
	errMissingCard:        {"Missing card number", "رقم البطاقة مفقود"},
	errInvalidCard:        {"Invalid card number", "رقم البطاقة غير صالح"},
	errMissingExpYear:     {"Missing card expiry year", "سنة انتهاء البطاقة مفقودة"},
	errInvalidExpYear:     {"Invalid card expiry year", "سنة انتهاء البطاقة غير صالحة"},
	errMissingExpMonth:    {"Missing card expiry month", "شهر انتهاء البطاقة مفقود"},
	errInvalidExpMonth:    {"Invalid card expiry month", "شهر انتهاء البطاقة غير صالح"},
	errMissingOriginal:    {"Missing original transaction id", "رقم العملية الأصلية مفقود"},
	errResponseURLDown:    {"Merchant response URL is down", "صفحة استجابة التاجر لا تعمل"},
	errNotAvailable:       {"Transaction details not available", "تفاصيل العملية غير متوفرة"},
	errMerchantResponse:   {"Problem occurred during merchant response", "حدثت مشكلة أثناء استجابة التاجر"},
}

// errorText is KNET's ErrorText: "IPAY0100114 - Duplicate Record" (the form
// public integrations compare against, e.g. "IPAY0100048 - Cancelled").
func errorText(code string) string {
	return code + " - " + codeText[code][0]
}

// codeIn is the description of code in lang ("en" or "ar").
func codeIn(code, lang string) string {
	if lang == "ar" {
		return codeText[code][1]
	}
	return codeText[code][0]
}
