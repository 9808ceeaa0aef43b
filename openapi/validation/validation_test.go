package validation_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
)

func TestEveryDocumentLoadsCleanlyInBothValidators(t *testing.T) {
	for _, api := range openapi.APIs() {
		t.Run(string(api), func(t *testing.T) {
			if _, err := validation.New(api); err != nil {
				t.Fatalf("load %s: %v", api, err)
			}
		})
	}
}

func TestABrokenDocumentIsRefused(t *testing.T) {
	broken := "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /x:\n    post:\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}}\n"
	if _, err := validation.FromSpec("broken", []byte(broken)); err == nil {
		t.Fatal("a document with a dangling $ref was accepted")
	}
}

const (
	azurePath   = "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0/getAuthtoken?api-version=2023-08-01-preview"
	azureSample = `{
  "id": "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0",
  "name": "testcontainerapp0",
  "type": "Microsoft.App/containerApps/accesstoken",
  "location": "East US",
  "properties": {"token": "testToken", "expires": "2022-07-14T19:22:50.3080223Z"}
}`
	acsRequest  = `{"config":{"type":"GITHUB_ACTIONS","tokenExpirationDuration":"2h45m","issuer":"https://token.actions.githubusercontent.com","mappings":[{"key":"sub","valueExpression":"repo:octo-org/.*","role":"Admin"}]}}`
	acsResponse = `{"config":{"id":"2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61","type":"GITHUB_ACTIONS","tokenExpirationDuration":"2h45m","issuer":"https://token.actions.githubusercontent.com","mappings":[]}}`
)

func TestResponsesAreJudgedByBothValidators(t *testing.T) {
	cases := []struct {
		name       string
		api        openapi.API
		path       string
		status     int
		body       string
		wantAccept bool
	}{
		{"the Azure document's sample response is accepted", openapi.ContainerApps, azurePath, 200, azureSample, true},
		{"an Azure error in the DefaultErrorResponse shape is accepted", openapi.ContainerApps, azurePath, 400, `{"error":{"code":"InvalidApiVersionParameter","message":"bad"}}`, true},
		{"an Azure token whose expires is not a date-time is refused", openapi.ContainerApps, azurePath, 200, strings.Replace(azureSample, "2022-07-14T19:22:50.3080223Z", "tomorrow", 1), false},
		{"an Azure token whose name is a number is refused", openapi.ContainerApps, azurePath, 200, strings.Replace(azureSample, `"testcontainerapp0",`, `7,`, 1), false},
		{"an ACS config with a server-assigned UUID is accepted", openapi.ACSM2M, "/v1/auth/m2m", 200, acsResponse, true},
		{"an ACS config with an unknown type is refused", openapi.ACSM2M, "/v1/auth/m2m", 200, strings.Replace(acsResponse, "GITHUB_ACTIONS", "GITLAB", 1), false},
		{"an ACS config whose id is not a UUID is refused", openapi.ACSM2M, "/v1/auth/m2m", 200, strings.Replace(acsResponse, "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61", "config-1", 1), false},
		{"an ACS RuntimeError whose code is a string is refused", openapi.ACSM2M, "/v1/auth/m2m", 400, `{"error":"bad","code":"3","message":"bad"}`, false},
		// Constraints that come from upstream where the documents are silent.
		{"an Azure token without location is refused, since ARM requires it", openapi.ContainerApps, azurePath, 200, strings.Replace(azureSample, `"location": "East US",`, "", 1), false},
		{"an Azure token whose createdByType is one ARM added later is accepted", openapi.ContainerApps, azurePath, 200, strings.Replace(azureSample, `"location"`, `"systemData": {"createdByType": "ServicePrincipal", "lastModifiedByType": "User"}, "location"`, 1), true},
		{"an Azure 404 with the upstream example's {} is accepted", openapi.ContainerApps, azurePath, 404, `{}`, true},
		{"an ACS config of type KUBE_SERVICE_ACCOUNT, as newer Centrals answer, is accepted", openapi.ACSM2M, "/v1/auth/m2m", 200, strings.Replace(acsResponse, "GITHUB_ACTIONS", "KUBE_SERVICE_ACCOUNT", 1), true},
		{"an ACS config with an empty valueExpression is refused", openapi.ACSM2M, "/v1/auth/m2m", 200, strings.Replace(acsResponse, `"mappings":[]`, `"mappings":[{"key":"sub","valueExpression":"","role":"Admin"}]`, 1), false},
		{"an ACS 501 UNIMPLEMENTED RuntimeError is accepted as the default response", openapi.ACSM2M, "/v1/auth/m2m", 501, `{"error":"Method Not Allowed","code":12,"message":"Method Not Allowed","details":[]}`, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := validation.New(tc.api)
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodPost, tc.path, nil)
			header := http.Header{"Content-Type": []string{"application/json"}}
			result := v.ValidateResponse(req, tc.status, header, []byte(tc.body))
			if tc.wantAccept && !result.OK() {
				t.Fatalf("want both validators to accept; got %s", result)
			}
			if !tc.wantAccept && (len(result.Kin) == 0 || len(result.Lib) == 0) {
				t.Fatalf("want both validators to refuse; got %s", result)
			}
		})
	}
}

func TestRequestsAreJudgedByBothValidators(t *testing.T) {
	cases := []struct {
		name       string
		body       string
		wantAccept bool
	}{
		{"a config built from the document's values is accepted", acsRequest, true},
		{"a duration in a unit the document does not list is refused", strings.Replace(acsRequest, "2h45m", "3d", 1), false},
		{"a mapping list that is an object is refused", strings.Replace(acsRequest, `"mappings":[`, `"mappings":{"x":[`, 1) + "}", false},
	}
	v, err := validation.New(openapi.ACSM2M)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/v1/auth/m2m", nil)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer t")
			result := v.ValidateRequest(req, []byte(tc.body))
			if tc.wantAccept && !result.OK() {
				t.Fatalf("want both validators to accept; got %s", result)
			}
			if !tc.wantAccept && (len(result.Kin) == 0 || len(result.Lib) == 0) {
				t.Fatalf("want both validators to refuse; got %s", result)
			}
		})
	}
}

func TestAzureRequestParametersFollowARM(t *testing.T) {
	rg90 := strings.Repeat("r", 90)
	cases := []struct {
		name       string
		target     string
		wantAccept bool
	}{
		{"the document's sample request is accepted", azurePath, true},
		{"a resource group name of 90 characters is accepted", strings.Replace(azurePath, "/rg/", "/"+rg90+"/", 1), true},
		{"a resource group name of 91 characters is refused", strings.Replace(azurePath, "/rg/", "/"+rg90+"r/", 1), false},
		{"an empty api-version is refused", strings.Replace(azurePath, "2023-08-01-preview", "", 1), false},
	}
	v, err := validation.New(openapi.ContainerApps)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, tc.target, nil)
			req.Header.Set("Authorization", "Bearer t")
			result := v.ValidateRequest(req, nil)
			if tc.wantAccept && !result.OK() {
				t.Fatalf("want both validators to accept; got %s", result)
			}
			if !tc.wantAccept && (len(result.Kin) == 0 || len(result.Lib) == 0) {
				t.Fatalf("want both validators to refuse; got %s", result)
			}
		})
	}
}

// A reply to a request the document does not describe must still be the
// operation's default error, so it is judged as answering a request the
// document does describe.
func TestOperationRequestTurnsAnyRequestIntoOneTheDocumentDescribes(t *testing.T) {
	cases := []struct {
		name, api, method, target, wantMethod, wantPath string
	}{
		{"a described request is kept as it is", "acs-m2m", http.MethodPost, "/v1/auth/m2m", http.MethodPost, "/v1/auth/m2m"},
		{"another method on the operation's path becomes a POST there", "acs-m2m", http.MethodGet, "/v1/auth/m2m", http.MethodPost, "/v1/auth/m2m"},
		{"an unknown path becomes the operation's path", "acs-m2m", http.MethodPost, "/v1/nowhere", http.MethodPost, "/v1/auth/m2m"},
		{"an Azure GET keeps its own app's path", "containerapps", http.MethodGet, azurePath, http.MethodPost, strings.Split(azurePath, "?")[0]},
		{"an unknown Azure path gets the path template with its parameters filled", "containerapps", http.MethodDelete, "/subscriptions/s/elsewhere",
			http.MethodPost, "/subscriptions/x/resourceGroups/x/providers/Microsoft.App/containerApps/x/getAuthtoken"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := validation.New(openapi.API(tc.api))
			if err != nil {
				t.Fatal(err)
			}
			got := v.OperationRequest(httptest.NewRequest(tc.method, tc.target, nil))
			if got.Method != tc.wantMethod || got.URL.Path != tc.wantPath {
				t.Fatalf("judged as %s %s, want %s %s", got.Method, got.URL.Path, tc.wantMethod, tc.wantPath)
			}
			if !v.Describes(got) {
				t.Fatalf("the document does not describe %s %s", got.Method, got.URL.Path)
			}
		})
	}
}
