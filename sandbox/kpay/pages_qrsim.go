package kpay

import (
	"net/http"
	"slices"
	"strings"
)

// The QR Simulator of the Merchant Portal (Sandbox), spec §11.4: search the
// QR ID shown under the QR code, see the payment, press Pay. Paying creates
// the charge (Authorized/success) linked to the order and sends the QR
// webhook; the K-Pay script, polling, then posts chargeId to the shop.

type qrSimData struct {
	Action  string
	QRID    string
	App     string
	Found   *qrRow
	Open    []qrRow
	Paid    *qrPaid
	HomeURL string
}

type qrRow struct {
	ID, Type, Amount, Reference, Status, StatusKey, UseURL string
}

type qrPaid struct {
	ChargeID, QRID, Amount string
}

// qrRowOf describes a QR for the simulator. The caller holds s.mu.
func (s *Simulator) qrRowOf(v *view, q *qrCode) qrRow {
	o := s.orders[q.orderID]
	st := o.qrState(s.now())
	row := qrRow{ID: q.id, Type: "Thai QR", Amount: displayAmount(o.amount, o.currency) + " " + o.currency,
		Reference: o.reference, StatusKey: st,
		UseURL: s.base + "/qr-simulator?qr_id=" + q.id + "&lang=" + v.Lang}
	if o.sourceType == kindWeChat {
		row.Type = "WeChat Pay"
	}
	row.Status = map[string]string{"pending": v.T["qr_pending"], "paid": v.T["qr_state_paid"],
		"expired": v.T["qr_state_exp"], "cancelled": v.T["qr_state_cancel"]}[st]
	return row
}

// qrSimView builds the simulator page. The caller holds s.mu.
func (s *Simulator) qrSimView(r *http.Request, qrID, app string) *view {
	v := newView(r, "qrsim", "portal", pageLang(r, ""))
	v.Title = v.T["qrsim_title"]
	d := &qrSimData{Action: s.base + "/qr-simulator?lang=" + v.Lang, QRID: qrID, App: or(app, "kplus"),
		HomeURL: s.base + "/qr-simulator?lang=" + v.Lang}
	if q := s.qrs[qrID]; q != nil {
		row := s.qrRowOf(v, q)
		d.Found = &row
	}
	var open []*qrCode
	for _, q := range s.qrs {
		if s.orders[q.orderID].qrState(s.now()) == "pending" {
			open = append(open, q)
		}
	}
	slices.SortFunc(open, func(a, b *qrCode) int { return b.created.Compare(a.created) })
	for _, q := range open {
		d.Open = append(d.Open, s.qrRowOf(v, q))
	}
	v.D = d
	return v
}

// showQRSim is GET /qr-simulator[?qr_id=…].
func (s *Simulator) showQRSim(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := strings.TrimSpace(r.URL.Query().Get("qr_id"))
	v := s.qrSimView(r, id, "")
	status := http.StatusOK
	if id != "" && v.D.(*qrSimData).Found == nil {
		v.addError("kpay-qrsim-id", "err_qr_unknown")
		status = http.StatusNotFound
	}
	s.render(w, status, v, "'none'")
}

// submitQRSim is POST /qr-simulator: Search or Pay.
func (s *Simulator) submitQRSim(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	id := strings.TrimSpace(r.PostForm.Get("qr_id"))
	app := r.PostForm.Get("app")
	if app != "other" {
		app = "kplus"
	}
	s.mu.Lock()
	v := s.qrSimView(r, id, app)
	q := s.qrs[id]
	switch {
	case id == "":
		v.addError("kpay-qrsim-id", "err_qr_empty")
	case q == nil:
		v.addError("kpay-qrsim-id", "err_qr_unknown")
	}
	if len(v.Errors) > 0 || r.PostForm.Get("action") != "pay" {
		defer s.mu.Unlock()
		status := http.StatusOK
		if len(v.Errors) > 0 {
			status = http.StatusUnprocessableEntity
		}
		s.render(w, status, v, "'none'")
		return
	}
	c, n, refused := s.payQR(q, app, s.now())
	if refused != "" {
		defer s.mu.Unlock()
		v.addError("kpay-qrsim-id", map[string]string{"qr_paid": "err_qr_paid", "qr_expired": "err_qr_expired", "qr_cancelled": "err_qr_cancel"}[refused])
		s.render(w, http.StatusUnprocessableEntity, v, "'none'")
		return
	}
	v = s.qrSimView(r, id, app) // the paid QR leaves the open list
	v.D.(*qrSimData).Paid = &qrPaid{ChargeID: c.id, QRID: q.id, Amount: displayAmount(c.amount, c.currency) + " " + c.currency}
	s.mu.Unlock()
	s.render(w, http.StatusOK, v, "'none'")
	_ = http.NewResponseController(w).Flush()
	s.send(n)
}

const qrSimHTML = `
{{define "qrsim"}}
<section class="panel">
<h1>{{.T.qrsim_title}}</h1>
<p class="sub">{{.T.qrsim_intro}}</p>
{{- with .D.Paid}}
<div class="notice ok" role="status" data-testid="kpay-qrsim-result" data-status="paid">
<h2>{{$.T.qrsim_done}}</h2>
<dl>
<div><dt>{{$.T.qrsim_id}}</dt><dd><bdi dir="ltr">{{.QRID}}</bdi></dd></div>
<div><dt>{{$.T.amount}}</dt><dd><bdi dir="ltr">{{.Amount}}</bdi></dd></div>
<div><dt>{{$.T.qrsim_charge}}</dt><dd><bdi dir="ltr" data-testid="kpay-qrsim-charge">{{.ChargeID}}</bdi></dd></div>
</dl>
</div>
{{- end}}
{{template "errors" .}}
<form method="post" action="{{.D.Action}}" novalidate>
<div class="field">
<label for="kpay-qrsim-id">{{.T.qrsim_id}}</label>
<input class="text" id="kpay-qrsim-id" name="qr_id" type="text" dir="ltr" autocomplete="off" value="{{.D.QRID}}" data-testid="kpay-qrsim-id" aria-describedby="kpay-qrsim-id-hint{{with fe . "kpay-qrsim-id"}} kpay-qrsim-id-error{{end}}"{{with fe . "kpay-qrsim-id"}} aria-invalid="true"{{end}}>
<p class="hint" id="kpay-qrsim-id-hint">{{.T.qrsim_id_hint}}</p>
{{template "field-error" fe . "kpay-qrsim-id"}}
</div>
<div class="field">
<label for="kpay-qrsim-app">{{.T.qrsim_app}}</label>
<select id="kpay-qrsim-app" name="app" data-testid="kpay-qrsim-app">
<option value="kplus"{{if eq .D.App "kplus"}} selected{{end}}>{{.T.app_kplus}}</option>
<option value="other"{{if eq .D.App "other"}} selected{{end}}>{{.T.app_other}}</option>
</select>
</div>
{{- with .D.Found}}
<h2>{{$.T.qrsim_details}}</h2>
<dl data-testid="kpay-qrsim-details" data-status="{{.StatusKey}}">
<div><dt>{{$.T.qrsim_type}}</dt><dd lang="en">{{.Type}}</dd></div>
<div><dt>{{$.T.amount}}</dt><dd><bdi dir="ltr">{{.Amount}}</bdi></dd></div>
<div><dt>{{$.T.reference}}</dt><dd><bdi dir="ltr">{{.Reference}}</bdi></dd></div>
<div><dt>{{$.T.status}}</dt><dd>{{.Status}}</dd></div>
</dl>
{{- end}}
<div class="actions">
<button class="primary" type="submit" name="action" value="pay" data-testid="kpay-qrsim-pay">{{.T.qrsim_pay}}</button>
<button class="secondary" type="submit" name="action" value="search" data-testid="kpay-qrsim-search">{{.T.qrsim_search}}</button>
</div>
</form>
<h2>{{.T.qrsim_open}}</h2>
{{- if .D.Open}}
<table data-testid="kpay-qrsim-open">
<thead><tr><th scope="col">{{.T.qrsim_id}}</th><th scope="col">{{.T.qrsim_type}}</th><th scope="col">{{.T.amount}}</th><th scope="col">{{.T.qrsim_use}}</th></tr></thead>
<tbody>
{{- range .D.Open}}
<tr><td><bdi dir="ltr">{{.ID}}</bdi></td><td lang="en">{{.Type}}</td><td><bdi dir="ltr">{{.Amount}}</bdi></td><td><a href="{{.UseURL}}" data-testid="kpay-qrsim-use-{{.ID}}">{{$.T.qrsim_use}}</a></td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>{{.T.qrsim_none}}</p>
{{- end}}
</section>
{{end}}
`
