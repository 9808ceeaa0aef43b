package containerapps_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	gen "github.com/authcontract/authcontract/generated/containerapps"
	"github.com/authcontract/authcontract/reference/containerapps"
)

// fuzzApp is a container app the fuzzed server knows, as the request names it.
type fuzzApp struct{ subscription, resourceGroup, name string }

func (a fuzzApp) id() string {
	return "/subscriptions/" + a.subscription + "/resourceGroups/" + a.resourceGroup +
		"/providers/Microsoft.App/containerApps/" + a.name
}

// fuzzApps are the apps the fuzzed server is configured with: the document's
// sample, and one whose resource group holds letters with more than two case
// forms (s, ſ, S; σ, ς, Σ), where "case-insensitive" is easiest to get wrong.
func fuzzApps() []fuzzApp {
	return []fuzzApp{
		{sampleSubscription, "rg", sampleApp},
		{sampleSubscription, "Services-Σ", "worker"},
	}
}

// authChoice is one way a request can present credentials.
type authChoice struct {
	header   string // "" sends no Authorization header
	valid    bool
	wantCode string // the 401's error.code when not valid
}

func authChoices() []authChoice {
	return []authChoice{
		{validAuth, true, ""},
		// RFC 9110 makes the scheme name case-insensitive.
		{"bearer " + testToken, true, ""},
		{"", false, "AuthenticationFailed"},
		{"Bearer wrong-token", false, "InvalidAuthenticationToken"},
		{"Basic " + testToken, false, "InvalidAuthenticationToken"},
		{testToken, false, "InvalidAuthenticationToken"},
	}
}

// FuzzGetAuthTokenHandler sends arbitrary path segments (escaped as a client
// would), api-version values and credentials through the whole handler. The
// reply is always JSON and never a 5xx; every error is a DefaultErrorResponse
// with a code and a message; a 200 comes exactly for a configured app (the
// resource group compared without case, as strings.EqualFold does) asked for
// once with the supported api-version, and names that app with a usable token.
func FuzzGetAuthTokenHandler(f *testing.F) {
	for _, seed := range []struct {
		subscription, resourceGroup, app, apiVersion string
		versions, auth                               uint8
	}{
		// The document's sample request.
		{sampleSubscription, "rg", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "RG", sampleApp, sampleVersion, 1, 1},
		{sampleSubscription, "rg", sampleApp, sampleVersion, 1, 2},
		{sampleSubscription, "rg", sampleApp, sampleVersion, 1, 3},
		{sampleSubscription, "rg", sampleApp, sampleVersion, 1, 4},
		{sampleSubscription, "rg", sampleApp, sampleVersion, 1, 5},
		{sampleSubscription, "rg", sampleApp, "", 0, 0},
		{sampleSubscription, "rg", sampleApp, "", 1, 0},
		{sampleSubscription, "rg", sampleApp, sampleVersion, 2, 0},
		{sampleSubscription, "rg", sampleApp, "", 2, 0},
		{sampleSubscription, "rg", sampleApp, "2023-08-01-PREVIEW", 1, 0},
		{sampleSubscription, "rg", sampleApp, sampleVersion + ",2024-03-01", 1, 0},
		{sampleSubscription, "rg", "TestContainerApp0", sampleVersion, 1, 0},
		{strings.ToUpper(sampleSubscription), "rg", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "other-rg", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "..", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "rg/../rg", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "rg/", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "r%67", sampleApp, sampleVersion, 1, 0},
		{sampleSubscription, "rg", sampleApp + "?x#y", sampleVersion, 1, 0},
		{sampleSubscription, "r\x00g", sampleApp, "\xff", 1, 0},
		// Case forms beyond ASCII: ſ and ς are case forms of s and σ,
		// İ is not one of i.
		{sampleSubscription, "SERVICES-σ", "worker", sampleVersion, 1, 0},
		{sampleSubscription, "ſervices-ς", "worker", sampleVersion, 1, 0},
		{sampleSubscription, "Servİces-Σ", "worker", sampleVersion, 1, 0},
	} {
		f.Add(seed.subscription, seed.resourceGroup, seed.app, seed.apiVersion, seed.versions, seed.auth)
	}

	cfg := testConfig()
	cfg.Apps = nil
	for _, app := range fuzzApps() {
		cfg.Apps = append(cfg.Apps, app.id())
	}
	handler, err := containerapps.NewHandler(cfg)
	if err != nil {
		f.Fatalf("NewHandler: %v", err)
	}

	f.Fuzz(func(t *testing.T, subscription, resourceGroup, app, apiVersion string, versions, authIndex uint8) {
		choices := authChoices()
		auth := choices[int(authIndex)%len(choices)]
		// Zero, one or two api-version parameters: missing, normal, repeated.
		versions %= 3
		query := url.Values{}
		for range versions {
			query.Add("api-version", apiVersion)
		}
		target := "/subscriptions/" + url.PathEscape(subscription) +
			"/resourceGroups/" + url.PathEscape(resourceGroup) +
			"/providers/Microsoft.App/containerApps/" + url.PathEscape(app) + "/getAuthtoken"
		if versions > 0 {
			target += "?" + query.Encode()
		}
		req := httptest.NewRequest(http.MethodPost, target, nil)
		if auth.header != "" {
			req.Header.Set("Authorization", auth.header)
		}
		before := time.Now()
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)

		status, reply := rec.Code, rec.Body.Bytes()
		if status >= 500 || status < 200 {
			t.Fatalf("status %d for POST %s; reply %s", status, target, reply)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q, want application/json (status %d)", ct, status)
		}
		if !json.Valid(reply) {
			t.Fatalf("status %d reply is not JSON: %q", status, reply)
		}

		want, found := configuredApp(subscription, resourceGroup, app)
		versionOK := versions == 1 && apiVersion == sampleVersion
		var wantStatus int
		var wantCodes []string
		switch {
		case !auth.valid:
			wantStatus, wantCodes = http.StatusUnauthorized, []string{auth.wantCode}
		case found && versionOK:
			wantStatus = http.StatusOK
		case found && versions == 2:
			// Binding refuses a repeated parameter before reading its value.
			wantStatus, wantCodes = http.StatusBadRequest, []string{"InvalidParameter"}
		case found && (versions == 0 || apiVersion == ""):
			wantStatus, wantCodes = http.StatusBadRequest, []string{"MissingApiVersionParameter"}
		case found:
			wantStatus, wantCodes = http.StatusBadRequest, []string{"InvalidApiVersionParameter"}
		case versionOK:
			// An unclean path ("..", an empty segment) is an unknown route.
			wantStatus, wantCodes = http.StatusNotFound, []string{"ResourceNotFound", "NotFound"}
		default:
			// Whether the api-version or the unknown app is reported first
			// depends on whether the path routes at all; either is right.
			wantStatus = 0
			wantCodes = []string{"MissingApiVersionParameter", "InvalidParameter", "InvalidApiVersionParameter", "ResourceNotFound", "NotFound"}
		}

		if status == http.StatusOK {
			if wantStatus != http.StatusOK {
				t.Fatalf("200 for POST %s (auth %q), which names no configured app with the supported api-version once; reply %s", target, auth.header, reply)
			}
			checkToken(t, want, before, reply)
			return
		}
		code := checkErrorResponse(t, status, reply)
		if wantStatus != 0 && status != wantStatus {
			t.Fatalf("status %d (%s) for POST %s (auth %q), want %d; reply %s", status, code, target, auth.header, wantStatus, reply)
		}
		if wantStatus == 0 && status != http.StatusBadRequest && status != http.StatusNotFound {
			t.Fatalf("status %d for POST %s, want 400 or 404; reply %s", status, target, reply)
		}
		if !containsString(wantCodes, code) {
			t.Errorf("error.code %q for status %d, want one of %q; reply %s", code, status, wantCodes, reply)
		}
	})
}

// configuredApp finds the app a request names: subscription and app name
// exactly, the resource group without case, as the document says of it.
func configuredApp(subscription, resourceGroup, name string) (fuzzApp, bool) {
	for _, app := range fuzzApps() {
		if app.subscription == subscription && app.name == name && strings.EqualFold(app.resourceGroup, resourceGroup) {
			return app, true
		}
	}
	return fuzzApp{}, false
}

// checkToken fails t unless reply is a token resource for app, echoing the
// canonical id as configured, with a token value that expires after before.
func checkToken(t *testing.T, app fuzzApp, before time.Time, reply []byte) {
	t.Helper()
	var tok gen.ContainerAppAuthToken
	decoder := json.NewDecoder(bytes.NewReader(reply))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&tok); err != nil {
		t.Fatalf("200 reply is not a ContainerAppAuthToken: %v; reply %s", err, reply)
	}
	for _, field := range []struct {
		name string
		got  *string
		want string
	}{
		{"id", tok.Id, app.id()},
		{"name", tok.Name, app.name},
		{"type", tok.Type, "Microsoft.App/containerApps/accesstoken"},
	} {
		if field.got == nil || *field.got != field.want {
			t.Errorf("%s = %q, want %q; reply %s", field.name, deref(field.got), field.want, reply)
		}
	}
	if tok.Properties == nil || tok.Properties.Token == nil || *tok.Properties.Token == "" {
		t.Fatalf("properties.token is missing or empty: %s", reply)
	}
	if tok.Properties.Expires == nil || !tok.Properties.Expires.After(before) {
		t.Errorf("properties.expires is missing or not in the future: %s", reply)
	}
}

// checkErrorResponse fails t unless reply is a DefaultErrorResponse with a
// non-empty error.code and error.message, and returns the code.
func checkErrorResponse(t *testing.T, status int, reply []byte) string {
	t.Helper()
	var body gen.DefaultErrorResponse
	decoder := json.NewDecoder(bytes.NewReader(reply))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&body); err != nil {
		t.Fatalf("status %d reply is not a DefaultErrorResponse: %v; reply %s", status, err, reply)
	}
	if body.Error == nil || body.Error.Code == nil || *body.Error.Code == "" || body.Error.Message == nil || *body.Error.Message == "" {
		t.Fatalf("status %d DefaultErrorResponse lacks error.code or error.message: %s", status, reply)
	}
	return *body.Error.Code
}

func containsString(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}
