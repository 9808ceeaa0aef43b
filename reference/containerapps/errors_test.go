//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package containerapps

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	gen "github.com/authcontract/authcontract/generated/containerapps"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
)

// The strict server's error hooks cannot be reached through HTTP (the
// operation has no body to misdecode, and crypto/rand does not fail), so
// they are called directly.
func TestTheSafetyNetErrorWritersUseTheDocumentedShape(t *testing.T) {
	v, err := validation.New(openapi.ContainerApps)
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app/getAuthtoken?api-version=2023-08-01-preview", nil)

	cases := []struct {
		name       string
		write      func(http.ResponseWriter, *http.Request, error)
		wantStatus int
		wantCode   string
	}{
		{"a request the strict server cannot decode gets 400 BadRequest", writeRequestError, 400, "BadRequest"},
		{"a failed response gets 500 InternalServerError", writeResponseError, 500, "InternalServerError"},
		{"an unexpected parameter error gets 400 InvalidParameter", writeParamError, 400, "InvalidParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tc.write(rec, req, errors.New("boom"))
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var body gen.DefaultErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("decode: %v", err)
			}
			if body.Error == nil || body.Error.Code == nil || *body.Error.Code != tc.wantCode || body.Error.Message == nil || *body.Error.Message == "" {
				t.Errorf("body = %s, want code %q and a message", rec.Body.Bytes(), tc.wantCode)
			}
			if result := v.ValidateResponse(req, rec.Code, rec.Header(), rec.Body.Bytes()); !result.OK() {
				t.Errorf("validators refused the reply: %s", result)
			}
		})
	}
}
