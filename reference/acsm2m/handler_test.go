//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package acsm2m

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// fixedIDs returns a NewID that hands out ids in order, then random ones.
func fixedIDs(ids ...string) func() uuid.UUID {
	var mu sync.Mutex
	return func() uuid.UUID {
		mu.Lock()
		defer mu.Unlock()
		if len(ids) == 0 {
			return uuid.New()
		}
		next := uuid.MustParse(ids[0])
		ids = ids[1:]
		return next
	}
}

func TestAnAddedConfigIsStoredAndAnsweredUnderAServerAssignedID(t *testing.T) {
	const assigned = "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61"

	t.Run("a GENERIC config is answered 200 with the stored config, as sent, under the assigned id", func(t *testing.T) {
		h := newHarness(t, Config{NewID: fixedIDs(assigned)})
		got := h.send(t, post(addRequest(t, genericConfig("https://issuer.example.com")))).config(t)

		if got.Id.String() != assigned {
			t.Errorf("id = %s, want the server-assigned %s", got.Id, assigned)
		}
		for _, field := range []struct{ name, got, want string }{
			{"type", string(*got.Type), "GENERIC"},
			{"tokenExpirationDuration", shown(got.TokenExpirationDuration), "2h45m"},
			{"issuer", shown(got.Issuer), "https://issuer.example.com"},
		} {
			if field.got != field.want {
				t.Errorf("%s = %q, want %q", field.name, field.got, field.want)
			}
		}
		if got.Mappings == nil || len(*got.Mappings) != 1 || shown((*got.Mappings)[0].ValueExpression) != "^ci-[a-z]+$" {
			t.Errorf("mappings = %+v, want the one mapping sent", got.Mappings)
		}
		stored, ok := h.store.get(*got.Id)
		if !ok {
			t.Fatalf("nothing stored under %s", got.Id)
		}
		if !reflect.DeepEqual(stored, got) {
			t.Errorf("answer differs from what was stored:\nanswer %+v\nstored %+v", got, stored)
		}
	})

	t.Run("an id sent by the client is replaced by the server's, never kept", func(t *testing.T) {
		const sent = "4f1c2a8e-5b7d-4e3a-9c6f-0a1b2c3d4e5f"
		h := newHarness(t, Config{NewID: fixedIDs(assigned)})
		got := h.send(t, post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "id", sent)))).config(t)
		if got.Id.String() != assigned {
			t.Errorf("id = %s, want the server-assigned %s (sent %s)", got.Id, assigned, sent)
		}
		if _, kept := h.store.get(uuid.MustParse(sent)); kept {
			t.Errorf("a config is stored under the client's id %s", sent)
		}
	})

	t.Run("every add gets a different random id by default", func(t *testing.T) {
		h := newHarness(t, Config{})
		first := h.send(t, post(addRequest(t, genericConfig(h.uniqueIssuer())))).config(t)
		second := h.send(t, post(addRequest(t, genericConfig(h.uniqueIssuer())))).config(t)
		if *first.Id == *second.Id {
			t.Errorf("both configs got id %s", first.Id)
		}
		if first.Id.Version() != 4 {
			t.Errorf("id %s is not a random (version 4) UUID", first.Id)
		}
	})

	t.Run("a config without a type is stored as GENERIC", func(t *testing.T) {
		h := newHarness(t, Config{})
		got := h.send(t, post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "type", absent)))).config(t)
		if got.Type == nil || *got.Type != gen.GENERIC {
			t.Errorf("type = %v, want GENERIC", got.Type)
		}
	})

	t.Run("a config with a null type is stored as GENERIC", func(t *testing.T) {
		h := newHarness(t, Config{})
		got := h.send(t, post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "type", nil)))).config(t)
		if got.Type == nil || *got.Type != gen.GENERIC {
			t.Errorf("type = %v, want GENERIC", got.Type)
		}
	})

	for _, issuer := range []any{absent, ""} {
		t.Run(fmt.Sprintf("a GITHUB_ACTIONS config with issuer %q is stored with GitHub's issuer", issuer), func(t *testing.T) {
			h := newHarness(t, Config{})
			got := h.send(t, post(addRequest(t, with(githubConfig(), "issuer", issuer)))).config(t)
			if shown(got.Issuer) != githubIssuer {
				t.Errorf("issuer = %q, want %q", shown(got.Issuer), githubIssuer)
			}
			if got.Type == nil || *got.Type != gen.GITHUBACTIONS {
				t.Errorf("type = %v, want GITHUB_ACTIONS", got.Type)
			}
		})
	}

	t.Run("a GITHUB_ACTIONS config naming GitHub's issuer is stored as sent", func(t *testing.T) {
		h := newHarness(t, Config{})
		got := h.send(t, post(addRequest(t, with(githubConfig(), "issuer", githubIssuer)))).config(t)
		if shown(got.Issuer) != githubIssuer {
			t.Errorf("issuer = %q, want %q", shown(got.Issuer), githubIssuer)
		}
	})

	t.Run("a config without mappings is stored and answered with mappings []", func(t *testing.T) {
		h := newHarness(t, Config{})
		r := h.send(t, post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "mappings", absent))))
		got := r.config(t)
		if got.Mappings == nil || len(*got.Mappings) != 0 {
			t.Errorf("mappings = %v, want []", got.Mappings)
		}
		if !strings.Contains(string(r.body), `"mappings":[]`) {
			t.Errorf(`body %s does not hold "mappings":[]`, r.body)
		}
	})

	t.Run("mappings are echoed exactly, absent and empty keys included", func(t *testing.T) {
		h := newHarness(t, Config{})
		sent := []any{
			map[string]any{"key": "sub", "valueExpression": "^ci-[a-z]+$", "role": "Continuous Integration"},
			map[string]any{"key": "aud", "valueExpression": ".*", "role": "Analyst"},
			map[string]any{"key": "", "valueExpression": "x", "role": "None"},
			map[string]any{"role": "Admin", "valueExpression": `repo:octo-org/.*:ref:refs/heads/main`},
		}
		r := h.send(t, post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "mappings", sent))))
		r.config(t)
		var answer struct {
			Config struct {
				Mappings []any `json:"mappings"`
			} `json:"config"`
		}
		if err := json.Unmarshal(r.body, &answer); err != nil {
			t.Fatalf("decode answer: %v", err)
		}
		if !reflect.DeepEqual(answer.Config.Mappings, sent) {
			t.Errorf("mappings = %v, want exactly %v", answer.Config.Mappings, sent)
		}
	})
}

func TestTheIssuerIsAUniqueKey(t *testing.T) {
	t.Run("a second GENERIC config with the same issuer is refused with ALREADY_EXISTS", func(t *testing.T) {
		h := newHarness(t, Config{})
		first := h.send(t, post(addRequest(t, genericConfig("https://issuer.example.com")))).config(t)
		second := with(genericConfig("https://issuer.example.com"), "tokenExpirationDuration", "1h")
		message := h.send(t, post(addRequest(t, second))).wantError(t, http.StatusConflict, codeAlreadyExists)
		if !strings.Contains(message, `"https://issuer.example.com"`) || !strings.Contains(message, first.Id.String()) {
			t.Errorf("message %q should name the issuer and the config holding it (%s)", message, first.Id)
		}
		stored, _ := h.store.get(*first.Id)
		if shown(stored.TokenExpirationDuration) != "2h45m" {
			t.Errorf("the refused add changed the stored config: %+v", stored)
		}
	})

	t.Run("a second GITHUB_ACTIONS config is refused with ALREADY_EXISTS", func(t *testing.T) {
		h := newHarness(t, Config{})
		h.send(t, post(addRequest(t, with(githubConfig(), "issuer", githubIssuer)))).config(t)
		h.send(t, post(addRequest(t, githubConfig()))).wantError(t, http.StatusConflict, codeAlreadyExists)
	})

	t.Run("a GENERIC config naming GitHub's issuer is refused once a GITHUB_ACTIONS config holds it", func(t *testing.T) {
		h := newHarness(t, Config{})
		h.send(t, post(addRequest(t, githubConfig()))).config(t)
		h.send(t, post(addRequest(t, genericConfig(githubIssuer)))).wantError(t, http.StatusConflict, codeAlreadyExists)
	})

	t.Run("configs with different issuers are both stored", func(t *testing.T) {
		h := newHarness(t, Config{})
		h.send(t, post(addRequest(t, genericConfig("https://a.example.com")))).config(t)
		h.send(t, post(addRequest(t, genericConfig("https://b.example.com")))).config(t)
		h.send(t, post(addRequest(t, githubConfig()))).config(t)
	})

	t.Run("issuers are compared as exact strings, so a trailing slash makes another issuer", func(t *testing.T) {
		h := newHarness(t, Config{})
		h.send(t, post(addRequest(t, genericConfig("https://issuer.example.com")))).config(t)
		h.send(t, post(addRequest(t, genericConfig("https://issuer.example.com/")))).config(t)
	})

	t.Run("a refused config does not take its issuer", func(t *testing.T) {
		h := newHarness(t, Config{})
		broken := with(genericConfig("https://issuer.example.com"), "tokenExpirationDuration", "25h")
		h.send(t, post(addRequest(t, broken))).wantError(t, http.StatusBadRequest, codeInvalidArgument)
		h.send(t, post(addRequest(t, genericConfig("https://issuer.example.com")))).config(t)
	})

	t.Run("of 32 concurrent adds with the same issuer exactly one is stored and the rest get ALREADY_EXISTS", func(t *testing.T) {
		h := newHarness(t, Config{})
		body := addRequest(t, genericConfig("https://concurrent.example.com"))
		var mu sync.Mutex
		statuses := map[int]int{}
		// The group returns only when every parallel call has finished.
		t.Run("group", func(t *testing.T) {
			for i := range 32 {
				t.Run(fmt.Sprintf("call %d", i), func(t *testing.T) {
					t.Parallel()
					r := h.send(t, post(body))
					if r.status == http.StatusConflict {
						r.wantError(t, http.StatusConflict, codeAlreadyExists)
					}
					mu.Lock()
					defer mu.Unlock()
					statuses[r.status]++
				})
			}
		})
		if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != 31 {
			t.Errorf("statuses = %v, want exactly one 200 and 31 409", statuses)
		}
	})
}

func TestARequestWithoutAConfigIsRefusedWithInvalidArgument(t *testing.T) {
	h := newHarness(t, Config{})
	for _, tc := range []struct{ name, body string }{
		{"an empty object is refused", `{}`},
		{"a null config is refused", `{"config":null}`},
		{"a body of null is refused", `null`},
		{"a body with only unknown fields is refused", `{"configuration":{}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			message := h.send(t, post(tc.body)).wantError(t, http.StatusBadRequest, codeInvalidArgument)
			if !strings.Contains(message, `"config"`) {
				t.Errorf("message %q should say config is missing", message)
			}
		})
	}
}

func TestRequestsThatNeverReachTheOperationGetARuntimeError(t *testing.T) {
	h := newHarness(t, Config{MaxBodyBytes: 512})
	valid := addRequest(t, genericConfig(h.uniqueIssuer()))
	cases := []struct {
		name        string
		call        call
		wantStatus  int
		wantCode    int32
		wantAllow   string
		wantMessage string
	}{
		{"malformed JSON is refused with INVALID_ARGUMENT", post(`{"config":`), 400, codeInvalidArgument, "", "not valid JSON"},
		{"trailing data after the document is refused with INVALID_ARGUMENT", post(valid + ` {}`), 400, codeInvalidArgument, "", "after the JSON document"},
		{"an empty body is refused with INVALID_ARGUMENT", post(``), 400, codeInvalidArgument, "", "empty"},
		{"a body that is an array is refused with INVALID_ARGUMENT", post(`[]`), 400, codeInvalidArgument, "", "V1AddAuthMachineToMachineConfigRequest"},
		{"a body that is a string is refused with INVALID_ARGUMENT", post(`"config"`), 400, codeInvalidArgument, "", "V1AddAuthMachineToMachineConfigRequest"},
		{"a config that is a number is refused with INVALID_ARGUMENT naming the field", post(`{"config":5}`), 400, codeInvalidArgument, "", `"config" must be an object, not number`},
		{"mappings that are a string are refused with INVALID_ARGUMENT naming the field", post(`{"config":{"mappings":"x"}}`), 400, codeInvalidArgument, "", `"config.mappings" must be an array, not string`},
		{"a duration that is a number is refused with INVALID_ARGUMENT naming the field", post(`{"config":{"tokenExpirationDuration":3600}}`), 400, codeInvalidArgument, "", `"config.tokenExpirationDuration" must be a string, not number`},
		{"a type that is a number is refused with INVALID_ARGUMENT", post(`{"config":{"type":1}}`), 400, codeInvalidArgument, "", `"config.type" must be a string, not number`},
		{"an id that is not a UUID is refused with INVALID_ARGUMENT", post(`{"config":{"id":"not-a-uuid"}}`), 400, codeInvalidArgument, "", "UUID"},
		{"a text/plain body is refused with 415 and INVALID_ARGUMENT", call{http.MethodPost, operationPath, validAuth, "text/plain", valid}, 415, codeInvalidArgument, "", "application/json"},
		{"a body over MaxBodyBytes is refused with 413 and RESOURCE_EXHAUSTED", post(`{"config":{"issuer":"` + strings.Repeat("x", 600) + `"}}`), 413, codeResourceExhausted, "", "exceeds 512 bytes"},
		{"GET on the operation's path is refused with 501 and UNIMPLEMENTED, as grpc-gateway answers it", call{method: http.MethodGet, path: operationPath, auth: validAuth}, 501, codeUnimplemented, "", "not allowed"},
		{"PUT on the operation's path is refused with 501 and UNIMPLEMENTED", call{method: http.MethodPut, path: operationPath, auth: validAuth, contentType: "application/json", body: valid}, 501, codeUnimplemented, "", "not allowed"},
		{"PATCH on the operation's path is refused with 501 and UNIMPLEMENTED", call{method: http.MethodPatch, path: operationPath, auth: validAuth, contentType: "application/json", body: valid}, 501, codeUnimplemented, "", "not allowed"},
		{"DELETE on the operation's path is refused with 501 and UNIMPLEMENTED", call{method: http.MethodDelete, path: operationPath, auth: validAuth}, 501, codeUnimplemented, "", "not allowed"},
		{"an unknown path is answered 404 with NOT_FOUND", call{method: http.MethodPost, path: "/v1/auth/machine-configs", auth: validAuth}, 404, codeNotFound, "", "no operation"},
		{"a config's own path takes only DELETE: POST gets 501 with UNIMPLEMENTED, as grpc-gateway answers", call{method: http.MethodPost, path: "/v1/auth/m2m/configs", auth: validAuth}, 501, codeUnimplemented, "", ""},
		{"the root path is answered 404 with NOT_FOUND", call{method: http.MethodGet, path: "/", auth: validAuth}, 404, codeNotFound, "", "no operation"},
		{"a path with a trailing slash is answered 404, not redirected", call{method: http.MethodPost, path: "/v1/auth/m2m/", auth: validAuth, body: valid}, 404, codeNotFound, "", "no operation"},
		{"a path with a double slash is answered 404, not redirected", call{method: http.MethodPost, path: "/v1//auth/m2m", auth: validAuth, body: valid}, 404, codeNotFound, "", "no operation"},
		{"a path with a dot segment is answered 404, not redirected", call{method: http.MethodPost, path: "/v1/x/../auth/m2m", auth: validAuth, body: valid}, 404, codeNotFound, "", "no operation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.send(t, tc.call)
			message := r.wantError(t, tc.wantStatus, tc.wantCode)
			if !strings.Contains(message, tc.wantMessage) {
				t.Errorf("message %q does not contain %q", message, tc.wantMessage)
			}
			if allow := r.header.Get("Allow"); allow != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", allow, tc.wantAllow)
			}
		})
	}

	t.Run("a body without a Content-Type is read as JSON and accepted", func(t *testing.T) {
		c := post(addRequest(t, genericConfig(h.uniqueIssuer())))
		c.contentType = ""
		h.send(t, c).config(t)
	})

	t.Run("a JSON Content-Type with a charset is accepted", func(t *testing.T) {
		c := post(addRequest(t, genericConfig(h.uniqueIssuer())))
		c.contentType = "application/json; charset=utf-8"
		h.send(t, c).config(t)
	})
}

// grpc-gateway v2 answers a method the path does not take with 501 and
// UNIMPLEMENTED (runtime/mux.go, DefaultRoutingErrorHandler). The document
// declares only 200 and default, so the reply must be the default
// response, a RuntimeError, as both validators judge it.
func TestAnotherMethodIsAnsweredAsGRPCGatewayAnswersIt(t *testing.T) {
	h := newHarness(t, Config{})
	valid := addRequest(t, genericConfig(h.uniqueIssuer()))
	if h.validator.Document().Paths.Find(operationPath).Post.Responses.Status(http.StatusNotImplemented) != nil {
		t.Fatal("the document declares a 501 response; this test expects 501 to fall under default")
	}
	for _, method := range []string{http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodGet} {
		t.Run(method+" is answered 501 UNIMPLEMENTED, which both validators accept as the default response", func(t *testing.T) {
			c := call{method: method, path: operationPath, auth: validAuth, contentType: "application/json", body: valid}
			r := h.send(t, c)
			r.wantError(t, http.StatusNotImplemented, codeUnimplemented)
			judged := h.validator.OperationRequest(h.request(t, c))
			if judged.Method != http.MethodPost || judged.URL.Path != operationPath {
				t.Fatalf("judged as %s %s, want POST %s", judged.Method, judged.URL.Path, operationPath)
			}
			if result := h.validator.ValidateResponse(judged, r.status, r.header, r.body); !result.OK() {
				t.Errorf("the 501 reply is not a valid default response: %s", result)
			}
			if result := h.validator.ValidateResponse(judged, r.status, r.header, []byte(`{"code":"12"}`)); len(result.Kin) == 0 || len(result.Lib) == 0 {
				t.Errorf("a 501 that is not a RuntimeError was not refused by both validators, so the default response did not judge it: %s", result)
			}
		})
	}
}

func TestTheDefaultBodyLimitIsOneMebibyte(t *testing.T) {
	h := newHarness(t, Config{})
	// A key long enough to bring the body just under and just over 1 MiB.
	bodyOfSize := func(size int) string {
		base := addRequest(t, with(genericConfig(h.uniqueIssuer()), "mappings", []any{mapping("", ".*", "Admin")}))
		return strings.Replace(base, `"key":""`, `"key":"`+strings.Repeat("k", size-len(base))+`"`, 1)
	}
	t.Run("a body of exactly 1 MiB is accepted", func(t *testing.T) {
		body := bodyOfSize(1 << 20)
		if len(body) != 1<<20 {
			t.Fatalf("test body is %d bytes, want %d", len(body), 1<<20)
		}
		h.send(t, post(body)).config(t)
	})
	t.Run("a body one byte over 1 MiB is refused with 413", func(t *testing.T) {
		h.send(t, post(bodyOfSize(1<<20+1))).wantError(t, http.StatusRequestEntityTooLarge, codeResourceExhausted)
	})
}

func TestAServerFailureIsAnInternalRuntimeError(t *testing.T) {
	// A NewID that repeats itself is the one way the operation can fail.
	const repeated = "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61"
	h := newHarness(t, Config{NewID: func() uuid.UUID { return uuid.MustParse(repeated) }})
	h.send(t, post(addRequest(t, genericConfig(h.uniqueIssuer())))).config(t)

	t.Run("an add whose id is already taken is answered 500 with INTERNAL and stores nothing", func(t *testing.T) {
		issuer := h.uniqueIssuer()
		message := h.send(t, post(addRequest(t, genericConfig(issuer)))).wantError(t, http.StatusInternalServerError, codeInternal)
		if !strings.Contains(message, repeated) {
			t.Errorf("message %q should name the repeated id", message)
		}
		stored, _ := h.store.get(uuid.MustParse(repeated))
		if shown(stored.Issuer) == issuer {
			t.Errorf("the failed add overwrote the stored config: %+v", stored)
		}
	})
}

func TestNewHandlerRefusesAConfigThatCannotWork(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"an empty bearer token is refused", Config{}, "bearer token is empty"},
		{"a bearer token with whitespace is refused", Config{BearerToken: "two words"}, "whitespace"},
		{"a negative body limit is refused", Config{BearerToken: testToken, MaxBodyBytes: -1}, "negative"},
		{"a role without a name is refused", Config{BearerToken: testToken, Roles: []string{"Admin", ""}}, "role 1 is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			handler, err := NewHandler(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("NewHandler error = %v, want one containing %q", err, tc.want)
			}
			if handler != nil {
				t.Errorf("NewHandler returned a handler along with the error")
			}
		})
	}

	t.Run("a token alone is enough", func(t *testing.T) {
		if _, err := NewHandler(Config{BearerToken: testToken}); err != nil {
			t.Fatalf("NewHandler: %v", err)
		}
	})
}
