package specdiff

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestDocumentsCoversStatusesAsTheBriefStates(t *testing.T) {
	responses := func(keys ...string) *openapi3.Responses {
		r := openapi3.NewResponses()
		r.Delete("default") // NewResponses starts with a default response
		for _, key := range keys {
			r.Set(key, &openapi3.ResponseRef{Value: openapi3.NewResponse()})
		}
		return r
	}
	cases := []struct {
		name      string
		responses *openapi3.Responses
		status    string
		want      bool
	}{
		{"an exact code is covered by its own response", responses("200", "404"), "404", true},
		{"an exact code is covered by its range", responses("200", "4XX"), "404", true},
		{"an exact code is covered by default", responses("200", "default"), "404", true},
		{"an exact code without its response, range or default is not covered", responses("200", "400"), "404", false},
		{"a class is covered by any response of that class", responses("200", "409"), "4xx", true},
		{"a class is covered by default", responses("200", "default"), "5xx", true},
		{"a class without a response of its class or default is not covered", responses("200", "404"), "5xx", false},
		{"nothing is covered by an operation without responses", nil, "200", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := documents(tc.responses, tc.status); got != tc.want {
				t.Fatalf("documents(%v, %s) = %v, want %v", responseKeys(tc.responses), tc.status, got, tc.want)
			}
		})
	}
}
