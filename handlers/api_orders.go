package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// createOrderRequest is the JSON body of POST /api/v1/orders.
type createOrderRequest struct {
	Amount      *string           `json:"amount"`
	Currency    string            `json:"currency"`
	Reference   string            `json:"reference"`
	Description string            `json:"description"`
	Items       []createOrderItem `json:"items"`
	Customer    gateway.Customer  `json:"customer"`
	Locale      string            `json:"locale"`
	ReturnURL   string            `json:"return_url"`
	CancelURL   string            `json:"cancel_url"`
	WebhookURL  string            `json:"webhook_url"`
	Methods     []string          `json:"methods"`
	ExpiresIn   *int64            `json:"expires_in"`
	Metadata    map[string]string `json:"metadata"`
}

type createOrderItem struct {
	Name       string  `json:"name"`
	Quantity   int64   `json:"quantity"`
	UnitAmount *string `json:"unit_amount"`
}

func (r *createOrderRequest) toNewOrder() order.NewOrder {
	in := order.NewOrder{
		Currency: r.Currency, Reference: r.Reference, Description: r.Description, Customer: r.Customer,
		Locale: r.Locale, ReturnURL: r.ReturnURL, CancelURL: r.CancelURL, WebhookURL: r.WebhookURL,
		Methods: r.Methods, ExpiresIn: r.ExpiresIn, Metadata: r.Metadata,
	}
	if r.Amount != nil {
		in.Amount = *r.Amount
	}
	for _, it := range r.Items {
		ni := order.NewItem{Name: it.Name, Quantity: it.Quantity}
		if it.UnitAmount != nil {
			ni.UnitAmount = *it.UnitAmount
		}
		in.Items = append(in.Items, ni)
	}
	return in
}

const maxIdempotencyKey = 255

func createOrder(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req createOrderRequest
		idem, ok, err := readCreate(c, &req)
		if !ok {
			return err
		}
		res, err := d.Orders.Create(c.UserContext(), req.toNewOrder(), idem)
		if err != nil {
			return orderError(c, err)
		}
		c.Set(fiber.HeaderLocation, "/api/v1/orders/"+res.Order.ID)
		c.Set(fiber.HeaderCacheControl, "no-store")
		if res.Replayed {
			c.Set("Idempotent-Replayed", "true")
		} else {
			d.Logger.InfoContext(c.UserContext(), "order created", "order", res.Order.ID, "amount", res.Order.Amount.String(), "currency", res.Order.Amount.Currency().Code)
		}
		// The answer is the order as created, so that a replay answers the first answer's bytes
		// however the order moved since.
		created := res.Order.AsCreated()
		return c.Status(fiber.StatusCreated).JSON(d.Views.Order(&created))
	}
}

func getOrder(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := d.Orders.Get(c.UserContext(), c.Params("id"))
		if err != nil {
			return orderError(c, err)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(d.Views.Order(&o))
	}
}

func listOrders(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ref := c.Query("reference")
		if ref == "" {
			return problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Invalid request", "",
				order.FieldError{Field: "reference", Message: "is required: GET /api/v1/orders?reference=…"})
		}
		list, err := d.Orders.ByReference(c.UserContext(), ref)
		if err != nil {
			return err
		}
		views := make([]api.OrderView, len(list))
		for i := range list {
			views[i] = d.Views.Order(&list[i])
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"object": "list", "data": views})
	}
}

func cancelOrder(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, err := d.Orders.Cancel(c.UserContext(), c.Params("id"))
		if err != nil {
			return orderError(c, err)
		}
		d.Logger.InfoContext(c.UserContext(), "order cancelled", "order", o.ID)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(d.Views.Order(&o))
	}
}

// readCreate reads the JSON body of a create request into v, and its Idempotency-Key (nil
// without one; the scope is the API key, the hash the body's). When ok is false the problem
// has been answered and err is what the handler returns.
func readCreate(c *fiber.Ctx, v any) (idem *order.Idempotency, ok bool, err error) {
	body := c.Body()
	if len(body) > maxAPIBody {
		return nil, false, problem(c, fiber.StatusRequestEntityTooLarge, ProblemTooLarge, "Request body too large",
			fmt.Sprintf("the body must be at most %d KiB", maxAPIBody>>10))
	}
	if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != "application/json" {
		return nil, false, problem(c, fiber.StatusUnsupportedMediaType, ProblemMediaType, "Unsupported media type",
			`send the body as JSON with "Content-Type: application/json"`)
	}
	if err := decodeStrict(body, v); err != nil {
		return nil, false, err.respond(c)
	}
	key := c.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return nil, false, problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Invalid request", "",
			order.FieldError{Field: "Idempotency-Key", Message: fmt.Sprintf("at most %d characters", maxIdempotencyKey)})
	}
	if key == "" {
		return nil, true, nil
	}
	sum := sha256.Sum256(body)
	return &order.Idempotency{Scope: c.Locals("key").(string), Key: key, RequestHash: hex.EncodeToString(sum[:])}, true, nil
}

// orderError maps the order service's errors to problems.
func orderError(c *fiber.Ctx, err error) error {
	var ve *order.ValidationError
	switch {
	case errors.As(err, &ve):
		return problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Invalid order", "see errors for each field at fault", ve.Fields...)
	case errors.Is(err, order.ErrNotFound):
		return problem(c, fiber.StatusNotFound, ProblemNotFound, "Order not found", "")
	case errors.Is(err, order.ErrReferenceTaken):
		return problem(c, fiber.StatusConflict, ProblemConflict, "Reference in use",
			"an open or paid order already has this reference: the same purchase must not be payable twice",
			order.FieldError{Field: "reference", Message: "already belongs to an open or paid order"})
	case errors.Is(err, order.ErrIdempotencyReused):
		return problem(c, fiber.StatusConflict, ProblemConflict, "Idempotency key reused",
			"this Idempotency-Key was used with a different request body",
			order.FieldError{Field: "Idempotency-Key", Message: "already used with a different request"})
	case errors.Is(err, order.ErrNotCancellable):
		return problem(c, fiber.StatusConflict, ProblemConflict, "Order cannot be cancelled", "only an order not paid yet (open or processing) can be cancelled")
	}
	return err
}

// decodeError is a body that could not be read as the expected JSON.
type decodeError struct {
	status int
	detail string
	field  string
}

func (e *decodeError) respond(c *fiber.Ctx) error {
	if e.status == fiber.StatusBadRequest {
		return problem(c, e.status, ProblemMalformed, "Malformed JSON", e.detail)
	}
	return problem(c, e.status, ProblemValidation, "Invalid request", "", order.FieldError{Field: e.field, Message: e.detail})
}

// decodeStrict decodes one JSON object into v, refusing unknown fields and trailing data.
// Syntax errors are 400; a field of the wrong type or an unknown field is 422 naming it.
func decodeStrict(body []byte, v any) *decodeError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return &decodeError{status: fiber.StatusBadRequest, detail: "unexpected data after the JSON object"}
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &decodeError{status: fiber.StatusBadRequest, detail: "the body is not valid JSON: " + err.Error()}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &decodeError{status: fiber.StatusBadRequest, detail: "the body must be a JSON object"}
		}
		msg := "must be a JSON " + jsonKind(typ.Type.Kind().String())
		if strings.HasSuffix(field, "amount") {
			msg = `must be a string such as "6.000", not a number`
		}
		return &decodeError{status: fiber.StatusUnprocessableEntity, field: field, detail: msg}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &decodeError{status: fiber.StatusUnprocessableEntity, field: name, detail: "unknown field"}
	}
	return &decodeError{status: fiber.StatusBadRequest, detail: "the body could not be read: " + err.Error()}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string", "ptr":
		return "string"
	case "int64", "int", "int32":
		return "integer"
	case "slice":
		return "array"
	case "map", "struct":
		return "object"
	}
	return "value of another type"
}
