package conformance

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authcontract/authcontract/contracttests/fixture"
	acsgen "github.com/authcontract/authcontract/generated/acsm2m"
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

// tokenNamesApp: the token resource names the app it was asked for. The
// resource group name is case-insensitive (the document says so), so ids
// compare without case.
func tokenNamesApp(r *Runner, values fixture.Values, got sent) error {
	token, err := readToken(got.body)
	if err != nil {
		return err
	}
	wantID := "/subscriptions/" + values["subscriptionId"] + "/resourceGroups/" + values["resourceGroupName"] +
		"/providers/Microsoft.App/containerApps/" + values["containerAppName"]
	const wantType = "Microsoft.App/containerApps/accesstoken"
	switch id, name, typ := deref(token.Id), deref(token.Name), deref(token.Type); {
	case !strings.EqualFold(id, wantID):
		return fmt.Errorf("id is %q, want %q", id, wantID)
	case name != values["containerAppName"]:
		return fmt.Errorf("name is %q, want %q", name, values["containerAppName"])
	case !strings.EqualFold(typ, wantType):
		return fmt.Errorf("type is %q, want %q as in the document's sample", typ, wantType)
	}
	return nil
}

// tokenIsUsable: the token has a value and expires in the future.
func tokenIsUsable(r *Runner, _ fixture.Values, got sent) error {
	token, err := readToken(got.body)
	if err != nil {
		return fmt.Errorf("properties.expires is not a date-time, or the body no token: %w", err)
	}
	if token.Properties == nil || deref(token.Properties.Token) == "" {
		return errors.New("properties.token is missing or empty")
	}
	if token.Properties.Expires == nil {
		return errors.New("properties.expires is missing")
	}
	expires := *token.Properties.Expires
	if now := r.opts.Now(); !expires.After(now.Add(-clockSkew)) {
		return fmt.Errorf("properties.expires %s is not in the future (now %s)", expires.Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
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
	id, err := returnedID(got.body)
	if err != nil {
		return err
	}
	// The same definition of a UUID both validators use for format: uuid.
	if err := validation.CheckUUID(id); err != nil {
		return fmt.Errorf("config.id %q is not a UUID: %w", id, err)
	}
	if sent, err := readSentConfig(got.requestBody); err == nil && strings.EqualFold(deref(sent.Id), id) {
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

// returnedID reads the id of the config an add answers with.
func returnedID(body []byte) (string, error) {
	stored, err := readStoredConfig(body)
	if err != nil {
		return "", fmt.Errorf("response: %w", err)
	}
	if deref(stored.Id) == "" {
		return "", errors.New("config.id is missing")
	}
	return *stored.Id, nil
}

const (
	githubActions = "GITHUB_ACTIONS"
	githubIssuer  = facts.GitHubActionsIssuer
)

// configEchoed: the answer is the stored config, which is the config sent,
// with the type's default and the GitHub issuer filled in where the request
// left them out. A returned config may leave out the type, which then is
// GENERIC, and may carry fields the document does not name (a real Central
// adds traits and audience); a field left out and one sent empty are the
// same, as in proto3.
func configEchoed(r *Runner, _ fixture.Values, got sent) error {
	sentConfig, err := readSentConfig(got.requestBody)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	stored, err := readStoredConfig(got.body)
	if err != nil {
		return fmt.Errorf("response: %w", err)
	}
	wantType := storedType(sentConfig.rawType, r.configTypes)
	if gotType := storedType(typeJSON(stored.Type), r.configTypes); gotType != wantType {
		return fmt.Errorf("type is %s, want %q", typeText(stored.Type), wantType)
	}
	if got, want := deref(stored.TokenExpirationDuration), deref(sentConfig.TokenExpirationDuration); got != want {
		return fmt.Errorf("tokenExpirationDuration is %q, want %q", got, want)
	}
	issuerOK := deref(stored.Issuer) == sentConfig.issuer() ||
		(wantType == githubActions && sentConfig.issuer() == "" && deref(stored.Issuer) == githubIssuer)
	if !issuerOK {
		return fmt.Errorf("issuer is %q, want %q", deref(stored.Issuer), sentConfig.issuer())
	}
	if got, want := mappingValues(stored.Mappings), mappingValues(sentConfig.Mappings); !slices.Equal(got, want) {
		return fmt.Errorf("mappings are %v, want %v", got, want)
	}
	return nil
}

// mapping is a mapping's values, a field left out reading as empty.
type mapping struct{ key, valueExpression, role string }

func (m mapping) String() string {
	return fmt.Sprintf("{key %q, valueExpression %q, role %q}", m.key, m.valueExpression, m.role)
}

func mappingValues(mappings *[]acsgen.AuthMachineToMachineConfigMapping) []mapping {
	var values []mapping
	for _, m := range deref(mappings) {
		values = append(values, mapping{deref(m.Key), deref(m.ValueExpression), deref(m.Role)})
	}
	return values
}

// typeJSON is a returned type as JSON, for storedType.
func typeJSON(t *acsgen.V1AuthMachineToMachineConfigType) json.RawMessage {
	if t == nil {
		return nil
	}
	data, _ := json.Marshal(string(*t)) // a string always marshals
	return data
}

func typeText(t *acsgen.V1AuthMachineToMachineConfigType) string {
	if t == nil {
		return "left out"
	}
	return strconv.Quote(string(*t))
}
