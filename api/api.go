// Package api is the merchant API's wire format: the JSON views of orders and webhook events
// (view.go), and their OpenAPI 3.1 description (openapi.json), embedded in the binary and served
// at /api/v1/openapi.json. The handlers' API tests validate every
// real response against it (handlers/openapi_test.go), so it cannot drift from the code.
//
// To document a new endpoint: add its path under "paths" (responses by $ref to
// #/components/responses for problems, schemas under #/components/schemas with
// "additionalProperties": false so that an undocumented field fails the tests), then exercise
// it in a handlers test: the test fails while any /api/v1 route is missing from the document.
package api

import _ "embed"

// OpenAPI is the OpenAPI 3.1 document of the merchant API, as JSON.
//
//go:embed openapi.json
var OpenAPI []byte
