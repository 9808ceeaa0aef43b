package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/facts"
	"github.com/authcontract/authcontract/openapi/validation"
)

// semanticRule checks one thing a document says an accepted response means.
type semanticRule func(r *Runner, values fixture.Values, got sent) error

// clockSkew is how far a target's clock may lag ours before an expiry in
// the past counts against it.
const clockSkew = 2 * time.Minute

// semanticRules lists, per API, the rules fixtures may name in
// expect.semantics.
func semanticRules(api openapi.API) map[string]semanticRule {
	switch api {
	case openapi.ContainerApps:
		return map[string]semanticRule{
			"token_names_app": tokenNamesApp,
			"token_is_usable": tokenIsUsable,
		}
	case openapi.ACSM2M:
		return map[string]semanticRule{
			"id_assigned_by_server": idAssignedByServer,
			"config_echoed":         configEchoed,
		}
	}
	return nil
}

func checkSemanticsKnown(api openapi.API, f fixture.Fixture) error {
	rules := semanticRules(api)
	for _, name := range f.Expect.Semantics {
		if rules[name] == nil {
			return fmt.Errorf("fixture %s: semantic rule %q is not one of %s's rules", f.File, name, api)
		}
	}
	return nil
}

func (r *Runner) judgeSemantics(c Case, values fixture.Values, got sent) (Result, string, string) {
	rules := semanticRules(c.API)
	var problems []string
	for _, name := range c.Fixture.Expect.Semantics {
		if err := rules[name](r, values, got); err != nil {
			problems = append(problems, name+": "+err.Error())
		}
	}
	expected := strings.Join(c.Fixture.Expect.Semantics, ", ")
	if len(problems) > 0 {
		return Failed, expected, strings.Join(problems, "; ")
	}
	return Passed, expected, "all hold"
}

// azureToken is the part of ContainerAppAuthToken the rules read.
type azureToken struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	Properties *struct {
		Token   string `json:"token"`
		Expires string `json:"expires"`
	} `json:"properties"`
}

// tokenNamesApp: the token resource names the app it was asked for. The
// resource group name is case-insensitive (the document says so), so ids
// compare without case.
func tokenNamesApp(r *Runner, values fixture.Values, got sent) error {
	var token azureToken
	if err := json.Unmarshal(got.body, &token); err != nil {
		return fmt.Errorf("body is not a token: %w", err)
	}
	wantID := "/subscriptions/" + values["subscriptionId"] + "/resourceGroups/" + values["resourceGroupName"] +
		"/providers/Microsoft.App/containerApps/" + values["containerAppName"]
	const wantType = "Microsoft.App/containerApps/accesstoken"
	switch {
	case !strings.EqualFold(token.ID, wantID):
		return fmt.Errorf("id is %q, want %q", token.ID, wantID)
	case token.Name != values["containerAppName"]:
		return fmt.Errorf("name is %q, want %q", token.Name, values["containerAppName"])
	case !strings.EqualFold(token.Type, wantType):
		return fmt.Errorf("type is %q, want %q as in the document's sample", token.Type, wantType)
	}
	return nil
}

// tokenIsUsable: the token has a value and expires in the future.
func tokenIsUsable(r *Runner, _ fixture.Values, got sent) error {
	var token azureToken
	if err := json.Unmarshal(got.body, &token); err != nil {
		return fmt.Errorf("body is not a token: %w", err)
	}
	if token.Properties == nil || token.Properties.Token == "" {
		return errors.New("properties.token is missing or empty")
	}
	expires, err := time.Parse(time.RFC3339Nano, token.Properties.Expires)
	if err != nil {
		return fmt.Errorf("properties.expires %q is not a date-time: %w", token.Properties.Expires, err)
	}
	if now := r.opts.Now(); !expires.After(now.Add(-clockSkew)) {
		return fmt.Errorf("properties.expires %s is not in the future (now %s)", expires.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// acsConfig is V1AuthMachineToMachineConfig as the rules compare it. Type
// stays raw JSON: a request may send a name or, as proto3 JSON allows, a
// number.
type acsConfig struct {
	ID                      *string           `json:"id"`
	Type                    json.RawMessage   `json:"type"`
	TokenExpirationDuration string            `json:"tokenExpirationDuration"`
	Issuer                  string            `json:"issuer"`
	Mappings                []json.RawMessage `json:"mappings"`
}

// decodeConfig reads the config of the first JSON value in body, as
// Central's gateway does; data after it is ignored.
func decodeConfig(body []byte) (acsConfig, error) {
	var wrapper struct {
		Config *acsConfig `json:"config"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&wrapper); err != nil {
		return acsConfig{}, fmt.Errorf("not a config wrapper: %w", err)
	}
	if wrapper.Config == nil {
		return acsConfig{}, errors.New("no config")
	}
	return *wrapper.Config, nil
}

// storedType is the type name a config is stored under, reading the type
// sent as protojson does (protocolbuffers/protobuf-go
// encoding/protojson/decode.go, with Central's DiscardUnknown): absent or
// null is the enum's first value, GENERIC; a name outside the enum is
// ignored, so GENERIC again; a number is the value with that number, or
// GENERIC when no value has it, since Central stores the type by name.
// names are the enum's values in the order of their numbers.
func storedType(raw json.RawMessage, names []string) string {
	var name string
	if json.Unmarshal(raw, &name) == nil {
		if slices.Contains(names, name) {
			return name
		}
		return names[0]
	}
	var number int
	if json.Unmarshal(raw, &number) == nil && number >= 0 && number < len(names) {
		return names[number]
	}
	return names[0]
}

// idAssignedByServer: the id is a UUID the server chose — not one the client
// sent, and not one it handed out before in this run.
func idAssignedByServer(r *Runner, _ fixture.Values, got sent) error {
	config, err := decodeConfig(got.body)
	if err != nil {
		return fmt.Errorf("response: %w", err)
	}
	if config.ID == nil || *config.ID == "" {
		return errors.New("config.id is missing")
	}
	id := *config.ID
	// The same definition of a UUID both validators use for format: uuid.
	if err := validation.CheckUUID(id); err != nil {
		return fmt.Errorf("config.id %q is not a UUID: %w", id, err)
	}
	if sentConfig, err := decodeConfig(got.requestBody); err == nil && sentConfig.ID != nil && strings.EqualFold(*sentConfig.ID, id) {
		return fmt.Errorf("config.id %q is the id the client sent; the server must assign its own", id)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := strings.ToLower(id)
	if earlier, seen := r.assignedIDs[key]; seen {
		return fmt.Errorf("config.id %q was already assigned in this run (%s)", id, earlier)
	}
	r.assignedIDs[key] = got.request.URL.String()
	return nil
}

const (
	githubActions = "GITHUB_ACTIONS"
	githubIssuer  = facts.GitHubActionsIssuer
)

// isName reports whether a returned type is a name, or left out: the
// document's type is a string, so a number in a response is not it.
func isName(raw json.RawMessage) bool {
	var name string
	return len(raw) == 0 || string(raw) == "null" || json.Unmarshal(raw, &name) == nil
}

func typeText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "left out"
	}
	return string(raw)
}

// configEchoed: the answer is the stored config, which is the config sent,
// with the type's default and the GitHub issuer filled in where the request
// left them out. A returned config may leave out the type, which then is
// GENERIC, and may carry fields the document does not name (a real Central
// adds traits and audience).
func configEchoed(r *Runner, _ fixture.Values, got sent) error {
	sentConfig, err := decodeConfig(got.requestBody)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	stored, err := decodeConfig(got.body)
	if err != nil {
		return fmt.Errorf("response: %w", err)
	}
	wantType, gotType := storedType(sentConfig.Type, r.configTypes), storedType(stored.Type, r.configTypes)
	if gotType != wantType || !isName(stored.Type) {
		return fmt.Errorf("type is %s, want %q", typeText(stored.Type), wantType)
	}
	if stored.TokenExpirationDuration != sentConfig.TokenExpirationDuration {
		return fmt.Errorf("tokenExpirationDuration is %q, want %q", stored.TokenExpirationDuration, sentConfig.TokenExpirationDuration)
	}
	issuerOK := stored.Issuer == sentConfig.Issuer ||
		(wantType == githubActions && sentConfig.Issuer == "" && stored.Issuer == githubIssuer)
	if !issuerOK {
		return fmt.Errorf("issuer is %q, want %q", stored.Issuer, sentConfig.Issuer)
	}
	if !sameMappings(stored.Mappings, sentConfig.Mappings) {
		return fmt.Errorf("mappings are %s, want %s", joinRaw(stored.Mappings), joinRaw(sentConfig.Mappings))
	}
	return nil
}

// sameMappings compares mappings as JSON values, so that key order and
// spacing do not matter.
func sameMappings(a, b []json.RawMessage) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		var x, y any
		if json.Unmarshal(a[i], &x) != nil || json.Unmarshal(b[i], &y) != nil || !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}

func joinRaw(items []json.RawMessage) string {
	parts := make([]string, len(items))
	for i, item := range items {
		parts[i] = string(item)
	}
	return "[" + strings.Join(parts, ",") + "]"
}
