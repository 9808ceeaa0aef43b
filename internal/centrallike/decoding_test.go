package centrallike

import (
	"net/http"
	"strings"
	"testing"
)

// TestDecodingIsGrpcGatewayAndProtojson pins down the leniencies and
// refusals behaviour.md reports for Central's decoding, all of which come
// from grpc-gateway's wildcard JSONPb marshaler and protojson, not from code
// of this package.
func TestDecodingIsGrpcGatewayAndProtojson(t *testing.T) {
	valid := genericConfig("https://issuer.example.com")
	validBody := addBody(t, valid)
	withType := func(typ any) string { return addBody(t, with(valid, map[string]any{"type": typ})) }
	asType := func(c call, contentType string) call {
		c.contentType = contentType
		return c
	}

	for _, tc := range []struct {
		name string
		call call
		// wantType is the stored type a 200 answer must carry; empty
		// means the request is refused with 400 INVALID_ARGUMENT.
		wantType string
		// wantInMessage, when set, is part of the refusal's message.
		// protojson's own messages vary their spacing from build to build
		// on purpose, so only a part of them is compared.
		wantInMessage string
	}{
		{name: "an unknown type name is dropped and the config stored as GENERIC",
			call: post(withType("NOT_A_TYPE")), wantType: "GENERIC"},
		{name: "a type name in other letter case is unknown, so dropped",
			call: post(withType("generic")), wantType: "GENERIC"},
		{name: "type 0 as a number is GENERIC",
			call: post(withType(0)), wantType: "GENERIC"},
		{name: "type 7, no enum value, is accepted and stored as GENERIC",
			call: post(withType(7)), wantType: "GENERIC"},
		{name: "type 2 as a number is KUBE_SERVICE_ACCOUNT",
			call: post(withType(2)), wantType: "KUBE_SERVICE_ACCOUNT"},
		{name: "type true is refused",
			call: post(withType(true))},
		{name: "type as an object is refused",
			call: post(withType(map[string]any{}))},
		{name: "type beyond int32 is refused",
			call: post(withType(1 << 31))},
		{name: "data after the first JSON value is ignored",
			call: post(validBody + ` trailing {"garbage"`), wantType: "GENERIC"},
		{name: "a second JSON object after the first is ignored",
			call: post(validBody + `{"config":null}`), wantType: "GENERIC"},
		{name: "a JSON body sent as text/plain is decoded as JSON",
			call: asType(post(validBody), "text/plain"), wantType: "GENERIC"},
		{name: "a JSON body sent as application/xml is decoded as JSON",
			call: asType(post(validBody), "application/xml"), wantType: "GENERIC"},
		{name: "a JSON body sent as a form is decoded as JSON",
			call: asType(post(validBody), "application/x-www-form-urlencoded"), wantType: "GENERIC"},
		{name: "a JSON body sent without Content-Type is decoded as JSON",
			call: asType(post(validBody), ""), wantType: "GENERIC"},
		{name: "unknown fields are dropped, inside the config and around it",
			call:     post(`{"extra":1,"config":{"unknown":[1,2],"type":"GENERIC","tokenExpirationDuration":"1h","issuer":"https://issuer.example.com"}}`),
			wantType: "GENERIC"},
		{name: "proto field names are accepted as well as JSON names",
			call: post(`{"config":{"type":"GENERIC","token_expiration_duration":"1h","issuer":"https://issuer.example.com",` +
				`"mappings":[{"key":"sub","value_expression":".*","role":"Admin"}]}}`),
			wantType: "GENERIC"},
		{name: "a field given twice is refused",
			call:          post(`{"config":{"issuer":"https://a.example.com","issuer":"https://b.example.com"}}`),
			wantInMessage: `duplicate field "issuer"`},
		{name: "a field given by its JSON and its proto name is refused as given twice",
			call: post(`{"config":{"tokenExpirationDuration":"1h","token_expiration_duration":"1h"}}`)},
		{name: "an empty body is an empty request, so the config is missing",
			call: post(""), wantInMessage: "empty config given"},
		{name: "a whitespace-only body is an empty request, so the config is missing",
			call: post(" \n\t "), wantInMessage: "empty config given"},
		{name: "an empty object has no config",
			call: post(`{}`), wantInMessage: "empty config given"},
		{name: "a null config is no config",
			call: post(`{"config":null}`), wantInMessage: "empty config given"},
		{name: "a body cut short is refused",
			call: post(`{"config":`), wantInMessage: "unexpected EOF"},
		{name: "a body that is no JSON is refused",
			call: post(`config=1`)},
		{name: "a JSON array is refused",
			call: post(`[]`)},
		{name: "a string where the config object belongs is refused",
			call: post(`{"config":"GENERIC"}`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Config{})
			r := send(t, srv, tc.call)
			if tc.wantType == "" {
				r.wantError(t, http.StatusBadRequest, codeInvalidArgument)
				msg, _ := r.object(t)["message"].(string)
				if !strings.Contains(msg, tc.wantInMessage) {
					t.Errorf("message = %q, want it to contain %q", msg, tc.wantInMessage)
				}
				return
			}
			if got := r.config(t)["type"]; got != tc.wantType {
				t.Errorf("stored type = %v, want %s", got, tc.wantType)
			}
		})
	}
}

// TestAnswersCarryEveryField checks EmitUnpopulated: an answer names every
// field of the config, defaults included, plus the traits Central always
// fills in.
func TestAnswersCarryEveryField(t *testing.T) {
	srv := newServer(t, Config{})
	r := send(t, srv, post(`{"config":{"tokenExpirationDuration":"1h","issuer":"https://issuer.example.com"}}`))
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	config := r.config(t)
	want := map[string]any{
		"type":                    "GENERIC",
		"tokenExpirationDuration": "1h",
		"issuer":                  "https://issuer.example.com",
		"audience":                "",
	}
	for field, v := range want {
		if config[field] != v {
			t.Errorf("%s = %#v, want %#v", field, config[field], v)
		}
	}
	if m, ok := config["mappings"].([]any); !ok || len(m) != 0 {
		t.Errorf("mappings = %#v, want []", config["mappings"])
	}
	if id, _ := config["id"].(string); id == "" {
		t.Errorf("id is missing")
	}
	traits, _ := config["traits"].(map[string]any)
	wantTraits := map[string]any{"mutabilityMode": "ALLOW_MUTATE", "visibility": "VISIBLE", "origin": "IMPERATIVE"}
	for field, v := range wantTraits {
		if traits[field] != v {
			t.Errorf("traits.%s = %#v, want %#v", field, traits[field], v)
		}
	}
	if len(config) != 7 {
		t.Errorf("config has %d fields, want 7: %s", len(config), r.body)
	}
}

// TestTheStoredConfigIsEchoed checks that an add answers with what it
// stored, mappings and all, in the JSON names whatever names were sent.
func TestTheStoredConfigIsEchoed(t *testing.T) {
	srv := newServer(t, Config{})
	r := send(t, srv, post(`{"config":{"type":"GITHUB_ACTIONS","token_expiration_duration":"2h45m",`+
		`"mappings":[{"key":"sub","value_expression":"repo:octo-org/octo-repo:.*","role":"Continuous Integration"},`+
		`{"key":"aud","valueExpression":"^sts$","role":"Analyst"}]}}`))
	got := string(mustJSON(t, r.config(t)["mappings"]))
	want := `[{"key":"sub","role":"Continuous Integration","valueExpression":"repo:octo-org/octo-repo:.*"},` +
		`{"key":"aud","role":"Analyst","valueExpression":"^sts$"}]`
	if got != want {
		t.Errorf("mappings = %s, want %s", got, want)
	}
	if strings.Contains(string(r.body), "value_expression") {
		t.Errorf("the answer uses proto names: %s", r.body)
	}
}
