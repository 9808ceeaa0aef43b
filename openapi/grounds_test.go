package openapi_test

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/openapi"
)

const (
	armTypes     = "Azure/azure-rest-api-specs specification/common-types/resource-management/v3/types.json"
	armApp       = "Azure/azure-rest-api-specs specification/app/resource-manager/Microsoft.App/preview/2023-08-01-preview/"
	centralCheck = "stackrox/stackrox central/auth/service/service_impl.go"
	centralStore = "stackrox/stackrox proto/storage/auth_machine_to_machine.proto"
	gatewayMux   = "grpc-ecosystem/grpc-gateway runtime/mux.go"
)

func load(t *testing.T, api openapi.API) *openapi3.T {
	t.Helper()
	spec, err := openapi.Spec(api)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		t.Fatalf("load %s: %v", api, err)
	}
	return doc
}

func operation(doc *openapi3.T) *openapi3.Operation {
	for _, item := range doc.Paths.Map() {
		return item.Post
	}
	return nil
}

func parameter(doc *openapi3.T, in, name string) map[string]any {
	return operation(doc).Parameters.GetByInAndName(in, name).Schema.Value.Extensions
}

func property(doc *openapi3.T, schema string, path ...string) map[string]any {
	s := doc.Components.Schemas[schema].Value
	for _, name := range path {
		s = s.Properties[name].Value
	}
	return s.Extensions
}

// Every constraint the documents do not state but the real services impose
// says where it comes from, in a form a program can read.
func TestEveryConstraintFromUpstreamNamesItsSource(t *testing.T) {
	azure, acs := load(t, openapi.ContainerApps), load(t, openapi.ACSM2M)
	cases := []struct {
		name       string
		extensions map[string]any
		grounds    string
		source     string
	}{
		{"the Azure resource group name's length comes from ARM's common types", parameter(azure, "path", "resourceGroupName"), "upstream", armTypes},
		{"the Azure api-version's minimum length comes from ARM's common types", parameter(azure, "query", "api-version"), "upstream", armTypes},
		{"the Azure token's required location comes from ARM's TrackedResource", property(azure, "ContainerAppAuthToken", "location"), "upstream", armTypes},
		{"the Azure token value being a secret comes from the upstream spec", property(azure, "ContainerAppAuthTokenProperties", "token"), "upstream", armApp},
		{"the extensible createdByType comes from ARM's common types", property(azure, "CreatedByType"), "upstream", armTypes},
		{"the Azure 404 without a body is the document's", operation(azure).Responses.Status(404).Value.Extensions, "document", "seeds/000_0e69eef78a14442c.txt"},
		{"the ACS duration minimum comes from Central's validation", property(acs, "V1AuthMachineToMachineConfig", "tokenExpirationDuration"), "upstream", centralCheck},
		{"the ACS https issuer comes from Central's validation", property(acs, "V1AuthMachineToMachineConfig", "issuer"), "upstream", centralCheck},
		{"the ACS non-empty valueExpression comes from Central's validation", property(acs, "AuthMachineToMachineConfigMapping", "valueExpression"), "upstream", centralCheck},
		{"the ACS role that must exist comes from Central's storage", property(acs, "AuthMachineToMachineConfigMapping", "role"), "upstream", centralStore},
		{"KUBE_SERVICE_ACCOUNT comes from Central's storage enum", property(acs, "V1AuthMachineToMachineConfigType"), "upstream", centralStore},
		{"the ACS 501 for another method comes from grpc-gateway's mux", property(acs, "RuntimeError"), "upstream", gatewayMux},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.extensions["x-authcontract-grounds"]; got != tc.grounds {
				t.Errorf("x-authcontract-grounds = %v, want %q", got, tc.grounds)
			}
			if got := tc.extensions["x-authcontract-source"]; got != tc.source {
				t.Errorf("x-authcontract-source = %v, want %q", got, tc.source)
			}
		})
	}
}

// A source is "<repository> <path>", or the seed document's own file
// ("seeds/<file>"), so that a reader can open it.
func TestEverySourceNamesARepositoryAndAPath(t *testing.T) {
	for _, api := range openapi.APIs() {
		spec, err := openapi.Spec(api)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(spec), "\n") {
			_, value, found := strings.Cut(line, "x-authcontract-source:")
			if !found || strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			fields := strings.Fields(strings.Trim(strings.TrimSpace(value), `"`))
			seed := len(fields) == 1 && strings.HasPrefix(fields[0], "seeds/")
			if len(fields) != 2 && !seed {
				t.Errorf("%s line %d: source %q is not \"<repository> <path>\"", api, i+1, strings.TrimSpace(value))
			}
		}
	}
}
