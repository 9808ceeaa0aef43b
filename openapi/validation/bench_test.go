package validation

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authcontract/authcontract/internal/interleave"
	"github.com/authcontract/authcontract/openapi"
)

// Bodies as the reference servers send them (captured from
// `authcontract serve`), so that the cost measured is that of a real
// exchange: a success of each API and an error of each.
const (
	tokenPath   = "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0/getAuthtoken?api-version=2023-08-01-preview"
	tokenIssued = `{"id":"/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0","location":"East US","name":"testcontainerapp0","properties":{"expires":"2026-11-23T11:25:00.225934912Z","token":"KdKexWrvmiikB7GsBvib3q_gOd8BOlwUcSABuNxY09E"},"type":"Microsoft.App/containerApps/accesstoken"}`
	tokenError  = `{"error":{"code":"MissingApiVersionParameter","message":"The api-version query parameter (?api-version=) is required for all requests."}}`
	m2mPath     = "/v1/auth/m2m"
	configEcho  = `{"config":{"id":"89a05768-eb58-457a-98e1-460bf6d82be2","issuer":"https://issuer.example","mappings":[{"key":"sub","role":"Admin","valueExpression":"repo:octo-org/.*:ref:refs/heads/main"},{"key":"aud","role":"Continuous Integration","valueExpression":"ci-.*"}],"tokenExpirationDuration":"2h45m","type":"GENERIC"}}`
	configError = `{"code":3,"details":[],"error":"invalid config: tokenExpirationDuration \"25h\" exceeds the maximum of 24h","message":"invalid config: tokenExpirationDuration \"25h\" exceeds the maximum of 24h"}`
)

// BenchmarkResponseValidationVersusJSONDecoding measures what judging one
// response costs each validator, and both together as ValidateResponse runs
// them, against decoding the same body with encoding/json into an any:
// any validator must at least parse the body, so decoding is the floor.
// Each figure is measured in the same run as the floor, since only their
// ratio carries from one machine to another; ns/op is hidden because it is
// the sum of the four loops.
func BenchmarkResponseValidationVersusJSONDecoding(b *testing.B) {
	exchanges := []struct {
		name   string
		api    openapi.API
		path   string
		status int
		body   string
	}{
		{"containerapps/200-token", openapi.ContainerApps, tokenPath, http.StatusOK, tokenIssued},
		{"containerapps/400-error", openapi.ContainerApps, tokenPath, http.StatusBadRequest, tokenError},
		{"acs-m2m/200-config-echo", openapi.ACSM2M, m2mPath, http.StatusOK, configEcho},
		{"acs-m2m/400-error", openapi.ACSM2M, m2mPath, http.StatusBadRequest, configError},
	}
	for _, exchange := range exchanges {
		b.Run(exchange.name, func(b *testing.B) {
			v, err := New(exchange.api)
			if err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, exchange.path, nil)
			header := http.Header{"Content-Type": []string{"application/json"}}
			body := []byte(exchange.body)
			// A refused body would time the error path, not the one every
			// passing case takes.
			if result := v.ValidateResponse(req, exchange.status, header, body); !result.OK() {
				b.Fatalf("the validators refuse the benchmark body: %s", result)
			}

			b.ResetTimer()
			ns := interleave.NsPerOp(b.N,
				func() {
					var decoded any
					if err := json.Unmarshal(body, &decoded); err != nil {
						b.Fatal(err)
					}
				},
				func() { v.kinResponse(req, exchange.status, header, body) },
				func() { v.libResponse(req, exchange.status, header, body) },
				func() { v.ValidateResponse(req, exchange.status, header, body) },
			)
			floor, kin, lib, both := ns[0], ns[1], ns[2], ns[3]
			b.StopTimer()

			b.ReportMetric(0, "ns/op")
			b.ReportMetric(floor, "floor-ns/op")
			b.ReportMetric(kin/floor, "kin-x-floor")
			b.ReportMetric(lib/floor, "lib-x-floor")
			b.ReportMetric(both/floor, "both-x-floor")
			b.ReportMetric(both, "both-ns/op")
		})
	}
}
