package casegen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
)

// The answers cases expect. They are functions so that no two fixtures
// share, and could change, one slice.
func accepted() fixture.Status          { return fixture.Status{"200"} }
func rejected() fixture.Status          { return fixture.Status{"4xx"} }
func acceptedOrRefused() fixture.Status { return fixture.Status{"200", "4xx"} }

// onAccept are the rules every accepted add must honour.
func onAccept() []string { return []string{"id_assigned_by_server", "config_echoed"} }

// newM2MCase draws one ACS case: mostly configs the documents allow and
// configs broken in one place, with some that depend on state (issuer
// uniqueness), on credentials, or that the documents leave open.
func newM2MCase(rng *rand.Rand) m2mCase {
	switch roll := rng.IntN(100); {
	case roll < 40:
		return allowedM2M(rng)
	case roll < 48:
		return openM2M(rng)
	case roll < 55:
		return issuerTakenM2M(rng)
	case roll < 60:
		return unauthenticatedM2M(rng)
	default:
		return brokenM2M(rng)
	}
}

// allowedConfig is a GENERIC config the documents allow.
func allowedConfig(rng *rand.Rand) m2mConfig {
	config := m2mConfig{
		configType: []string{generic, ""}[rng.IntN(2)],
		duration:   allowedDuration(rng),
		issuer:     ptr(genericIssuer(rng.IntN)),
	}
	for range 1 + rng.IntN(4) {
		config.mappings = append(config.mappings, m2mMapping{key: randomText(rng), valueExpression: validRE2(rng), role: randomText(rng)})
	}
	return config
}

// allowedM2M is a config the documents allow; the target must store it.
func allowedM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Positive, rule: rulebook.ConfigAdded, title: "an allowed GENERIC config", status: accepted(), semantics: onAccept()}, config: allowedConfig(rng)}
	if c.config.configType == "" {
		c.rule, c.title = rulebook.TypeEnum, "an allowed config without a type, which is GENERIC"
	}
	switch rng.IntN(4) {
	case 0:
		c.breaks.headers = map[string]string{"Content-Type": "application/json; charset=utf-8"}
		c.rule, c.title = rulebook.BodyIsJSON, "an allowed config sent as application/json; charset=utf-8"
	case 1:
		c.rule, c.title = rulebook.DurationUnitsAndMaximum, "an allowed config whose duration uses only s, m and h, up to 24h"
	case 2:
		c.rule, c.title = rulebook.ValueExpressionRE2, "an allowed config whose valueExpressions are RE2"
	}
	return c
}

// openM2M are requests the documents neither allow nor forbid outright:
// the target may store them or refuse them with a 4xx, and what it stores
// must still honour the rules.
func openM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Tolerant, status: acceptedOrRefused(), semantics: onAccept()}, config: allowedConfig(rng)}
	switch rng.IntN(4) {
	case 0:
		// There may be one GITHUB_ACTIONS config only, and an earlier run
		// may have added it, so even a valid one may be refused.
		c.rule, c.title = rulebook.IssuerPerType, "a GITHUB_ACTIONS config (refused if the target already has one)"
		c.config.configType = githubActions
		c.config.issuer = []*string{nil, ptr(""), ptr(githubIssuer)}[rng.IntN(3)]
	case 1:
		c.rule, c.title = rulebook.IDAssignedByServer, "a config with an id the client chose (refused, or replaced by the server's)"
		c.config.id = fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48))
	case 2:
		c.rule, c.title = rulebook.MappingsForTokens, "a config without mappings (the document needs them only to issue tokens)"
		c.config.mappings = nil
		c.config.mappingsOut = rng.IntN(2) == 0
	default:
		// The documents set no size limit; a target may refuse a large
		// body but must not fail on it.
		c.rule, c.title = rulebook.ConfigAdded, "an allowed config with a 1.5 MiB role (the documents set no size limit)"
		c.breaks = hugeValue(func(c *m2mConfig) *string { return &at(c, 0).role }, strings.Repeat("role-", 1536*1024/5))
		c.breaks.droppable = true
	}
	return c
}

// issuerTakenM2M adds a config, then another with the same issuer: "발행자는
// 고유한 키" (the issuer is a unique key). A GITHUB_ACTIONS config may exist
// from an earlier run, so the first add of one may be refused.
func issuerTakenM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Negative, rule: rulebook.IssuerUnique, status: rejected()}, config: allowedConfig(rng)}
	if rng.IntN(3) == 0 {
		issuers := []*string{nil, ptr(""), ptr(githubIssuer)}
		first := allowedConfig(rng)
		first.configType, first.issuer = githubActions, issuers[rng.IntN(3)]
		c.setup, c.setupStatus = &first, acceptedOrRefused()
		c.config.configType, c.config.issuer = githubActions, issuers[rng.IntN(3)]
		c.title = "a second GITHUB_ACTIONS config"
		return c
	}
	first := allowedConfig(rng)
	c.setup, c.setupStatus = &first, accepted()
	c.config.issuer = ptr(*first.issuer)
	c.title = "a GENERIC config whose issuer another config already has"
	return c
}

// unauthenticatedM2M sends an allowed config without valid credentials.
func unauthenticatedM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Auth, rule: rulebook.BearerRequired, status: fixture.Status{"401"}}, config: allowedConfig(rng)}
	creds, title := badCredentials(rng)
	c.title, c.breaks.auth, c.breaks.headers = title, creds.auth, creds.headers
	return c
}

// brokenM2M takes an allowed config and breaks exactly one thing about it.
func brokenM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Negative, status: rejected()}, config: allowedConfig(rng)}
	breakers := []func(*rand.Rand) (string, string, m2mBreak){
		durationOverMaximum, durationBadUnit, durationNotADuration,
		unknownType, genericWithoutIssuer, genericIssuerNotURL, githubOtherIssuer,
		valueExpressionNotRE2, wrongFieldType, deeplyNested, hugeWrongType,
		malformedJSON, emptyBody, wrongContentType,
	}
	c.rule, c.title, c.breaks = breakers[rng.IntN(len(breakers))](rng)
	return c
}

func setDuration(text string) func(*m2mConfig) {
	return func(c *m2mConfig) { c.duration = text }
}

func durationOverMaximum(rng *rand.Rand) (string, string, m2mBreak) {
	text := overMaximumDuration(rng)
	return rulebook.DurationUnitsAndMaximum, "tokenExpirationDuration " + quoted(text) + " exceeds the 24h maximum", m2mBreak{config: setDuration(text)}
}

func durationBadUnit(rng *rand.Rand) (string, string, m2mBreak) {
	text, unit := badUnitDuration(rng)
	return rulebook.DurationUnitsAndMaximum, fmt.Sprintf("tokenExpirationDuration %s uses the unit %q, which is not s, m or h", quoted(text), unit), m2mBreak{config: setDuration(text)}
}

func durationNotADuration(rng *rand.Rand) (string, string, m2mBreak) {
	text := notADuration[rng.IntN(len(notADuration))]
	return rulebook.DurationUnitsAndMaximum, "tokenExpirationDuration " + quoted(text) + " is not a duration time.ParseDuration reads", m2mBreak{config: setDuration(text)}
}

func unknownType(rng *rand.Rand) (string, string, m2mBreak) {
	// Enum values are case-sensitive strings; "일반", the Korean
	// translation the document's enum table shows, is left out because
	// the field table lists GENERIC.
	names := []string{"GITLAB", "generic", "Generic", "github_actions", "GITHUB-ACTIONS", "OIDC", "GENERIC ", " GITHUB_ACTIONS", "", "GENERIC,GITHUB_ACTIONS"}
	name := names[rng.IntN(len(names))]
	// Set in the body: an empty configType would leave the field out.
	return rulebook.TypeEnum, fmt.Sprintf("type %q is not GENERIC or GITHUB_ACTIONS", name), m2mBreak{body: func(body map[string]any) any {
		configOf(body)["type"] = name
		return body
	}}
}

func genericWithoutIssuer(rng *rand.Rand) (string, string, m2mBreak) {
	if rng.IntN(2) == 0 {
		return rulebook.IssuerPerType, "a GENERIC config has no issuer", m2mBreak{config: func(c *m2mConfig) { c.issuer = nil }}
	}
	return rulebook.IssuerPerType, "a GENERIC config has an empty issuer", m2mBreak{config: func(c *m2mConfig) { c.issuer = ptr("") }}
}

func genericIssuerNotURL(rng *rand.Rand) (string, string, m2mBreak) {
	texts := []string{"not a url", "issuer", "   ", "🔑 key", "ci-issuer-{unique}", "사용자 발행자"}
	text := texts[rng.IntN(len(texts))]
	return rulebook.IssuerPerType, "a GENERIC issuer " + quoted(text) + " holds no URL", m2mBreak{config: func(c *m2mConfig) { c.issuer = ptr(text) }}
}

func githubOtherIssuer(rng *rand.Rand) (string, string, m2mBreak) {
	texts := []string{"https://issuer-{unique}.authcontract.test", "http://token.actions.githubusercontent.com", "https://token.actions.githubusercontent.com.evil-{unique}.test", "https://gitlab.com"}
	text := texts[rng.IntN(len(texts))]
	return rulebook.IssuerPerType, "a GITHUB_ACTIONS issuer " + quoted(text) + " is neither empty nor " + githubIssuer,
		m2mBreak{config: func(c *m2mConfig) { c.configType, c.issuer = githubActions, ptr(text) }}
}

func valueExpressionNotRE2(rng *rand.Rand) (string, string, m2mBreak) {
	bad := notRE2[rng.IntN(len(notRE2))]
	index := rng.IntN(4)
	return rulebook.ValueExpressionRE2, fmt.Sprintf("a valueExpression %s %s", quoted(bad.expression), bad.why),
		m2mBreak{config: func(c *m2mConfig) { at(c, index).valueExpression = bad.expression }}
}

// wrongFieldType gives one field a JSON type the schema does not allow.
// null is never used: proto3 JSON reads null as "not set".
func wrongFieldType(rng *rand.Rand) (string, string, m2mBreak) {
	values := map[string][]any{
		"object": {map[string]any{"value": "x"}},
		"array":  {[]any{"x"}, []any{}},
		"string": {"x", "[]", "{}"},
		"number": {0, 3600, 1.5, -1},
		"bool":   {true, false},
	}
	fields := []struct {
		path  string
		wrong []string
		set   func(body map[string]any, value any)
	}{
		{"config", []string{"string", "number", "array", "bool"}, func(b map[string]any, v any) { b["config"] = v }},
		{"config.type", []string{"number", "bool", "object", "array"}, func(b map[string]any, v any) { configOf(b)["type"] = v }},
		{"config.tokenExpirationDuration", []string{"number", "bool", "object", "array"}, func(b map[string]any, v any) { configOf(b)["tokenExpirationDuration"] = v }},
		{"config.issuer", []string{"number", "bool", "object", "array"}, func(b map[string]any, v any) { configOf(b)["issuer"] = v }},
		{"config.mappings", []string{"object", "string", "number", "bool"}, func(b map[string]any, v any) { configOf(b)["mappings"] = v }},
		{"config.mappings[0]", []string{"string", "number", "array", "bool"}, func(b map[string]any, v any) { mappingsOf(b)[0] = v }},
		{"config.mappings[0].key", []string{"number", "bool", "object", "array"}, func(b map[string]any, v any) { firstMappingOf(b)["key"] = v }},
		{"config.mappings[0].valueExpression", []string{"number", "bool", "object", "array"}, func(b map[string]any, v any) { firstMappingOf(b)["valueExpression"] = v }},
		{"config.mappings[0].role", []string{"number", "bool", "object", "array"}, func(b map[string]any, v any) { firstMappingOf(b)["role"] = v }},
	}
	field := fields[rng.IntN(len(fields))]
	kind := field.wrong[rng.IntN(len(field.wrong))]
	value := values[kind][rng.IntN(len(values[kind]))]
	// type 0 or 1 would be proto3 JSON's numeric enum form, which Central
	// reads; only a number no enum value has is wrong.
	if field.path == "config.type" && kind == "number" {
		value = 7
	}
	broken := fmt.Sprintf("%s is a JSON %s (%s), not what the schema says", field.path, kind, marshal(value))
	return rulebook.FieldTypes, broken, m2mBreak{body: func(body map[string]any) any {
		field.set(body, value)
		return body
	}}
}

func configOf(body map[string]any) map[string]any { return body["config"].(map[string]any) }
func mappingsOf(body map[string]any) []any        { return configOf(body)["mappings"].([]any) }
func firstMappingOf(body map[string]any) map[string]any {
	return mappingsOf(body)[0].(map[string]any)
}

// nestedMarker stands in for a value the JSON encoder cannot write, to be
// replaced in the bytes.
const nestedMarker = `"authcontract:nested"`

// deeplyNested makes mappings a list of lists, nested deeper than any
// config needs: past encoding/json's 10000 levels, or just short of them.
func deeplyNested(rng *rand.Rand) (string, string, m2mBreak) {
	depth := []int{64, 1000, 9000, 20000, 100000}[rng.IntN(5)]
	nested := strings.Repeat("[", depth) + strings.Repeat("]", depth)
	return rulebook.FieldTypes, fmt.Sprintf("config.mappings holds lists nested %d deep, not mappings", depth), m2mBreak{
		body: func(body map[string]any) any {
			configOf(body)["mappings"] = "authcontract:nested"
			return body
		},
		raw: func(data []byte) []byte { return bytes.Replace(data, []byte(nestedMarker), []byte(nested), 1) },
		// Deeper than encoding/json reads, a fixture holds it as raw text.
		rawKeepsJSON: depth < 9000,
	}
}

// hugeWrongType sends a body of several MiB whose config is a string.
func hugeWrongType(rng *rand.Rand) (string, string, m2mBreak) {
	mib := 2 + rng.IntN(2)
	huge := hugeValue(nil, strings.Repeat("x", mib<<20))
	huge.replacesBody = true
	huge.body = func(map[string]any) any { return map[string]any{"config": hugeMarker} }
	return rulebook.FieldTypes, fmt.Sprintf("config is a %d MiB string, not an object", mib), huge
}

// hugeMarker stands in for a huge string until the body is bytes, so that
// megabytes are written once rather than encoded and copied.
const hugeMarker = "authcontract:huge"

// hugeValue puts value (plain ASCII) where field points, or, with a nil
// field, wherever the body holds hugeMarker.
func hugeValue(field func(*m2mConfig) *string, value string) m2mBreak {
	marker := []byte(`"` + hugeMarker + `"`)
	quoted := []byte(`"` + value + `"`) // built once, not per render
	b := m2mBreak{rawKeepsJSON: true, raw: func(data []byte) []byte {
		return bytes.Replace(data, marker, quoted, 1)
	}}
	if field != nil {
		b.config = func(c *m2mConfig) { *field(c) = hugeMarker }
	}
	return b
}

func malformedJSON(rng *rand.Rand) (string, string, m2mBreak) {
	cut := 0.05 + 0.9*rng.Float64()
	breakers := []struct {
		why string
		raw func([]byte) []byte
	}{
		{"the body is JSON cut short", func(d []byte) []byte { return d[:max(1, int(float64(len(d))*cut))] }},
		{"the body has data after the JSON document", func(d []byte) []byte { return append(d, []byte(` {"config":{}}`)...) }},
		{"the body uses single quotes", func(d []byte) []byte { return bytes.ReplaceAll(d, []byte(`"`), []byte(`'`)) }},
		{"the body has a trailing comma", func(d []byte) []byte { return append(d[:len(d)-1], []byte(`,}`)...) }},
		{"the body's keys are not quoted", func(d []byte) []byte { return bytes.Replace(d, []byte(`"config":`), []byte(`config:`), 1) }},
		{"the body is not JSON at all", func([]byte) []byte { return []byte("config=GENERIC&issuer=x") }},
	}
	b := breakers[rng.IntN(len(breakers))]
	return rulebook.BodyIsJSON, b.why, m2mBreak{raw: b.raw, replacesBody: b.why == "the body is not JSON at all"}
}

func emptyBody(*rand.Rand) (string, string, m2mBreak) {
	return rulebook.BodyIsJSON, "the required body is empty", m2mBreak{replacesBody: true, raw: func([]byte) []byte { return nil }}
}

func wrongContentType(rng *rand.Rand) (string, string, m2mBreak) {
	types := []string{"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=authcontract", "application/octet-stream"}
	contentType := types[rng.IntN(len(types))]
	return rulebook.BodyIsJSON, fmt.Sprintf("the content type is %s, not application/json", contentType), m2mBreak{headers: map[string]string{"Content-Type": contentType}}
}
