//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package containerapps_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestTheDocumentsSampleRequestGetsATokenForTheApp(t *testing.T) {
	clock := time.Date(2022, 7, 14, 21, 22, 50, 0, time.FixedZone("CEST", 2*60*60))
	cfg := testConfig()
	cfg.Now = func() time.Time { return clock }
	cfg.TokenLifetime = 90 * time.Minute
	h := newHarness(t, cfg)

	tok := h.send(t, post(samplePath)).token(t)

	for _, field := range []struct{ name, got, want string }{
		{"id", deref(tok.Id), sampleAppID},
		{"name", deref(tok.Name), sampleApp},
		{"type", deref(tok.Type), "Microsoft.App/containerApps/accesstoken"},
		{"location", tok.Location, "East US"},
	} {
		if field.got != field.want {
			t.Errorf("%s = %q, want %q", field.name, field.got, field.want)
		}
	}
	raw, err := base64.RawURLEncoding.DecodeString(*tok.Properties.Token)
	if err != nil || len(raw) != 32 {
		t.Errorf("properties.token %q is not 32 base64url-encoded bytes (err %v, %d bytes)", *tok.Properties.Token, err, len(raw))
	}
	expires := *tok.Properties.Expires
	if want := clock.Add(90 * time.Minute); !expires.Equal(want) {
		t.Errorf("properties.expires = %s, want Now()+TokenLifetime = %s", expires, want)
	}
	if _, offset := expires.Zone(); offset != 0 {
		t.Errorf("properties.expires %s is not in UTC", expires)
	}
}

func TestEveryCallIssuesAFreshUsableToken(t *testing.T) {
	h := newHarness(t, testConfig())

	t.Run("two calls give different tokens", func(t *testing.T) {
		first := h.send(t, post(samplePath)).token(t)
		second := h.send(t, post(samplePath)).token(t)
		if *first.Properties.Token == *second.Properties.Token {
			t.Errorf("both calls returned token %q", *first.Properties.Token)
		}
	})

	t.Run("expires is after the moment of the request", func(t *testing.T) {
		before := time.Now()
		tok := h.send(t, post(samplePath)).token(t)
		if !tok.Properties.Expires.After(before) {
			t.Errorf("properties.expires %s is not after %s", tok.Properties.Expires, before)
		}
	})

	t.Run("concurrent calls each get their own token", func(t *testing.T) {
		var mu sync.Mutex
		seen := map[string]bool{}
		// The group returns only when every parallel call has finished.
		t.Run("group", func(t *testing.T) {
			for i := range 16 {
				t.Run(fmt.Sprintf("call %d", i), func(t *testing.T) {
					t.Parallel()
					tok := *h.send(t, post(samplePath)).token(t).Properties.Token
					mu.Lock()
					defer mu.Unlock()
					if seen[tok] {
						t.Errorf("token %q was issued twice", tok)
					}
					seen[tok] = true
				})
			}
		})
		if len(seen) != 16 {
			t.Errorf("%d distinct tokens from 16 calls", len(seen))
		}
	})
}

func TestTheResourceGroupNameIsCaseInsensitive(t *testing.T) {
	cfg := testConfig()
	cfg.Apps = append(cfg.Apps,
		"/subscriptions/"+sampleSubscription+"/resourceGroups/MyGroup/providers/Microsoft.App/containerApps/other",
		servicesAppID)
	h := newHarness(t, cfg)

	cases := []struct {
		name, resourceGroup, app, wantID string
	}{
		{"an upper-case RG finds the app in rg and echoes the canonical id", "RG", sampleApp, sampleAppID},
		{"a mixed-case Rg finds the app in rg", "Rg", sampleApp, sampleAppID},
		{"a lower-case mygroup finds the app configured under MyGroup", "mygroup", "other",
			"/subscriptions/" + sampleSubscription + "/resourceGroups/MyGroup/providers/Microsoft.App/containerApps/other"},
		{"case forms beyond ASCII match: SERVICES-σ finds the app in Services-Σ", "SERVICES-σ", "worker", servicesAppID},
		// strings.ToLower leaves ſ and ς as they are, so a lower-cased key
		// missed these; strings.EqualFold calls them equal.
		{"ſ and ς are case forms of s and σ: ſervices-ς finds the app in Services-Σ", "ſervices-ς", "worker", servicesAppID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := h.send(t, post(operationPath(sampleSubscription, tc.resourceGroup, tc.app))).token(t)
			if deref(tok.Id) != tc.wantID {
				t.Errorf("id = %q, want the canonical %q", deref(tok.Id), tc.wantID)
			}
			if deref(tok.Name) != tc.app {
				t.Errorf("name = %q, want %q", deref(tok.Name), tc.app)
			}
		})
	}
}

// servicesAppID has a resource group with letters that have more than two
// case forms (s, ſ, S and σ, ς, Σ), where case-insensitive matching is easy to
// get wrong.
const servicesAppID = "/subscriptions/" + sampleSubscription + "/resourceGroups/Services-Σ/providers/Microsoft.App/containerApps/worker"

func TestAnAppThatDoesNotExistGets404(t *testing.T) {
	cfg := testConfig()
	cfg.Apps = append(cfg.Apps, servicesAppID)
	h := newHarness(t, cfg)

	cases := []struct{ name, path string }{
		{"an unknown app gets 404 in the DefaultErrorResponse shape",
			operationPath(sampleSubscription, "rg", "nosuchapp")},
		{"an unknown resource group gets 404",
			operationPath(sampleSubscription, "other-rg", sampleApp)},
		{"an unknown subscription gets 404",
			operationPath("00000000-0000-0000-0000-000000000000", "rg", sampleApp)},
		// The document calls only the resource group name case-insensitive.
		{"the subscription id in upper case is a different subscription",
			operationPath(strings.ToUpper(sampleSubscription), "rg", sampleApp)},
		{"the app name in another case is a different app",
			operationPath(sampleSubscription, "rg", "TestContainerApp0")},
		// strings.ToLower turns İ into i, but İ is no case form of i (it
		// is Turkish dotted I), so Servİces is another resource group.
		{"İ is not a case form of i: Servİces-Σ is not the resource group Services-Σ",
			operationPath(sampleSubscription, "Servİces-Σ", "worker")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			message := h.send(t, post(tc.path)).wantError(t, http.StatusNotFound, "ResourceNotFound")
			if !strings.Contains(message, "was not found") {
				t.Errorf("message %q does not say the resource was not found", message)
			}
		})
	}
}

func TestTheAPIVersionIsRequiredAndMustBeSupported(t *testing.T) {
	cfg := testConfig()
	cfg.APIVersions = []string{sampleVersion, "2024-03-01"}
	h := newHarness(t, cfg)

	cases := []struct {
		name       string
		query      url.Values
		wantStatus int
		wantCode   string
	}{
		{"a request without api-version gets 400 MissingApiVersionParameter",
			url.Values{}, 400, "MissingApiVersionParameter"},
		{"an empty api-version counts as missing",
			url.Values{"api-version": {""}}, 400, "MissingApiVersionParameter"},
		{"an unsupported api-version gets 400 InvalidApiVersionParameter",
			url.Values{"api-version": {"2019-01-01"}}, 400, "InvalidApiVersionParameter"},
		{"an api-version in another case is not supported",
			url.Values{"api-version": {"2023-08-01-PREVIEW"}}, 400, "InvalidApiVersionParameter"},
		{"two api-version values get 400 InvalidParameter",
			url.Values{"api-version": {sampleVersion, sampleVersion}}, 400, "InvalidParameter"},
		{"every configured api-version is accepted",
			url.Values{"api-version": {"2024-03-01"}}, 200, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := post(samplePath)
			c.query = tc.query
			got := h.send(t, c)
			if tc.wantStatus == http.StatusOK {
				got.token(t)
				return
			}
			message := got.wantError(t, tc.wantStatus, tc.wantCode)
			if tc.wantCode == "InvalidApiVersionParameter" {
				for _, supported := range cfg.APIVersions {
					if !strings.Contains(message, supported) {
						t.Errorf("message %q does not list the supported version %q", message, supported)
					}
				}
			}
		})
	}
}

func TestABearerTokenIsRequiredBeforeAnythingElse(t *testing.T) {
	h := newHarness(t, testConfig())

	noAPIVersion := post(samplePath)
	noAPIVersion.query = nil
	get := post(samplePath)
	get.method = http.MethodGet

	cases := []struct {
		name     string
		call     call
		auth     string
		wantCode string
	}{
		{"a request without a token gets 401 AuthenticationFailed", post(samplePath), "", "AuthenticationFailed"},
		{"a wrong token gets 401 InvalidAuthenticationToken", post(samplePath), "Bearer wrong-token", "InvalidAuthenticationToken"},
		{"a token that only starts like the right one is refused", post(samplePath), validAuth + "x", "InvalidAuthenticationToken"},
		{"a prefix of the right token is refused", post(samplePath), validAuth[:len(validAuth)-1], "InvalidAuthenticationToken"},
		{"the right token under the Basic scheme is refused", post(samplePath), "Basic " + testToken, "InvalidAuthenticationToken"},
		{"the bare token without a scheme is refused", post(samplePath), testToken, "InvalidAuthenticationToken"},
		{"the Bearer scheme without a token is refused", post(samplePath), "Bearer", "InvalidAuthenticationToken"},
		{"an unknown app without a token gets 401, not 404", post(operationPath(sampleSubscription, "rg", "nosuchapp")), "", "AuthenticationFailed"},
		{"a missing api-version with a wrong token gets 401, not 400", noAPIVersion, "Bearer wrong-token", "InvalidAuthenticationToken"},
		{"an unknown path without a token gets 401, not 404", post("/no/such/path"), "", "AuthenticationFailed"},
		{"a GET without a token gets 401, not 405", get, "", "AuthenticationFailed"},
		{"a doubled-slash path without a token gets 401, not 404", post(strings.Replace(samplePath, "/rg/", "//rg/", 1)), "", "AuthenticationFailed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.call
			c.auth = tc.auth
			got := h.send(t, c)
			got.wantError(t, http.StatusUnauthorized, tc.wantCode)
			if challenge := got.header.Get("WWW-Authenticate"); challenge != wantWWWAuthenticate {
				t.Errorf("WWW-Authenticate = %q, want %q", challenge, wantWWWAuthenticate)
			}
		})
	}

	t.Run("the scheme name is case-insensitive", func(t *testing.T) {
		c := post(samplePath)
		c.auth = "bearer " + testToken
		h.send(t, c).token(t)
	})
}

func TestRequestsOutsideTheOperationGetJSONErrors(t *testing.T) {
	h := newHarness(t, testConfig())

	cases := []struct {
		name       string
		method     string
		path       string
		wantStatus int
		wantCode   string
		wantAllow  string
	}{
		{"a GET on the operation path gets 405 with Allow: POST", http.MethodGet, samplePath, 405, "MethodNotAllowed", "POST"},
		{"a DELETE on the operation path gets 405 with Allow: POST", http.MethodDelete, samplePath, 405, "MethodNotAllowed", "POST"},
		{"an unknown path gets 404 NotFound", http.MethodPost, "/subscriptions/" + sampleSubscription + "/providers/Microsoft.App/containerApps", 404, "NotFound", ""},
		{"the root path gets 404 NotFound", http.MethodGet, "/", 404, "NotFound", ""},
		{"the operation name in another case is an unknown path", http.MethodPost, strings.Replace(samplePath, "getAuthtoken", "getAuthToken", 1), 404, "NotFound", ""},
		{"a trailing slash is an unknown path", http.MethodPost, samplePath + "/", 404, "NotFound", ""},
		{"an empty path segment gets 404, not a redirect", http.MethodPost, operationPath(sampleSubscription, "rg", "") + "/x/../getAuthtoken", 404, "NotFound", ""},
		{"a doubled slash gets 404, not a redirect", http.MethodGet, strings.Replace(samplePath, "/rg/", "//rg/", 1), 404, "NotFound", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := post(tc.path)
			c.method = tc.method
			got := h.send(t, c)
			got.wantError(t, tc.wantStatus, tc.wantCode)
			if allow := got.header.Get("Allow"); allow != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", allow, tc.wantAllow)
			}
		})
	}
}

func TestARequestBodyIsIgnored(t *testing.T) {
	h := newHarness(t, testConfig())
	for _, body := range []string{`{"unexpected":true}`, "not json at all"} {
		t.Run("a POST carrying "+body+" still gets a token", func(t *testing.T) {
			c := post(samplePath)
			c.body = body
			h.send(t, c).token(t)
		})
	}
}
