package handlers

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/order"
)

// Problem is an RFC 9457 problem details body, with the fields at fault.
type Problem struct {
	Type   string             `json:"type"`
	Title  string             `json:"title"`
	Status int                `json:"status"`
	Detail string             `json:"detail,omitempty"`
	Errors []order.FieldError `json:"errors,omitempty"`
	// RequestID is the request's X-Request-Id: quote it when asking about a failure; the
	// server's log lines of the request carry the same id.
	RequestID string `json:"request_id,omitempty"`
}

// Problem types: stable URNs that a client can switch on.
const (
	ProblemValidation   = "urn:bawaba:problem:validation"
	ProblemMalformed    = "urn:bawaba:problem:malformed-request"
	ProblemUnauthorized = "urn:bawaba:problem:unauthorized"
	ProblemNotFound     = "urn:bawaba:problem:not-found"
	ProblemConflict     = "urn:bawaba:problem:conflict"
	ProblemTooLarge     = "urn:bawaba:problem:too-large"
	ProblemMediaType    = "urn:bawaba:problem:unsupported-media-type"
	ProblemInternal     = "urn:bawaba:problem:internal"
	ProblemRateLimited  = "urn:bawaba:problem:rate-limited"
	ProblemMethod       = "urn:bawaba:problem:method-not-allowed"
	ProblemGateway      = "urn:bawaba:problem:gateway-error"
)

func problem(c *fiber.Ctx, status int, typ, title, detail string, fields ...order.FieldError) error {
	body, err := json.Marshal(Problem{Type: typ, Title: title, Status: status, Detail: detail, Errors: fields, RequestID: requestIDOf(c)})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(body)
}

// requestIDOf returns the request id the requestID middleware gave c ("" outside it).
func requestIDOf(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey{}).(string)
	return id
}
