package casegen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
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

// newM2MCase draws one ACS case: mostly configs both the documents and
// Central allow and configs broken in one place, with some that depend on
// state (issuer uniqueness, a refusal that must leave no trace, a race for
// one issuer), on credentials, on the method, that only the schema forbids
// (Central accepts them: a warning), or that the documents leave open.
func newM2MCase(rng *rand.Rand) m2mCase {
	switch roll := rng.IntN(100); {
	case roll < 32:
		return allowedM2M(rng)
	case roll < 42:
		return openM2M(rng)
	case roll < 47:
		return issuerTakenM2M(rng)
	case roll < 51:
		return noTraceM2M(rng)
	case roll < 54:
		return raceM2M(rng)
	case roll < 59:
		return unauthenticatedM2M(rng)
	case roll < 62:
		return otherMethodM2M(rng)
	case roll < 72:
		return lenientM2M(rng)
	default:
		return brokenM2M(rng)
	}
}

// allowedConfig is a GENERIC config both the documents and Central allow:
// an https issuer, a duration in [1m, 24h], mappings to roles the target
// has.
func allowedConfig(rng *rand.Rand) m2mConfig {
	config := m2mConfig{
		configType: []string{generic, ""}[rng.IntN(2)],
		duration:   allowedDuration(rng),
		issuer:     ptr(genericIssuer(rng.IntN)),
	}
	for range 1 + rng.IntN(4) {
		config.mappings = append(config.mappings, m2mMapping{key: randomText(rng), valueExpression: validRE2(rng), role: randomRole(rng)})
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
		c.rule, c.title = rulebook.DurationUnitsAndMaximum, "an allowed config whose duration uses only s, m and h, within [1m, 24h]"
	case 2:
		c.rule, c.title = rulebook.ValueExpressionRE2, "an allowed config whose valueExpressions are RE2"
	}
	return c
}

// openM2M are requests the documents neither allow nor forbid outright, or
// allow where Central refuses: the target may store them or refuse them
// with a 4xx, and what it stores must still honour the rules.
func openM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Tolerant, status: acceptedOrRefused(), semantics: onAccept()}, config: allowedConfig(rng)}
	switch rng.IntN(9) {
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
	case 3:
		// The documents set no size limit; a target may refuse a large
		// body but must not fail on it.
		c.rule, c.title = rulebook.ConfigAdded, "an allowed config with a 1.5 MiB role (the documents set no size limit)"
		c.breaks = hugeValue(func(c *m2mConfig) *string { return &at(c, 0).role }, strings.Repeat("role-", 1536*1024/5))
		c.breaks.droppable = true
	case 4:
		c.rule, c.title = rulebook.IssuerHTTPS, "a GENERIC config whose issuer is http:// (the document asks for a URL, Central for https)"
		c.config.issuer = ptr(httpIssuer(*c.config.issuer))
	case 5:
		text := underMinimumDuration(rng)
		c.rule, c.title = rulebook.DurationMinimum, "tokenExpirationDuration "+quoted(text)+" is under a minute (the document states no minimum, Central refuses it)"
		c.config.duration = text
	case 6:
		c.rule, c.title = rulebook.RoleExists, "a mapping to a role the target does not have (Central refuses it)"
		at(&c.config, rng.IntN(4)).role = "authcontract-missing-role-{unique}"
	case 7:
		c.rule, c.title = rulebook.ValueExpressionFilled, "an empty valueExpression, which is valid RE2 (Central refuses it)"
		at(&c.config, rng.IntN(4)).valueExpression = ""
	default:
		c.rule, c.title = rulebook.KubeServiceAccount, "a KUBE_SERVICE_ACCOUNT config (newer Centrals take it, the document's does not know it)"
		c.config.configType = "KUBE_SERVICE_ACCOUNT"
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
		c.setup, c.setupStatus = &m2mCase{config: first}, acceptedOrRefused()
		c.config.configType, c.config.issuer = githubActions, issuers[rng.IntN(3)]
		c.title = "a second GITHUB_ACTIONS config"
		return c
	}
	first := allowedConfig(rng)
	c.setup, c.setupStatus = &m2mCase{config: first}, accepted()
	c.config.issuer = ptr(*first.issuer)
	c.title = "a GENERIC config whose issuer another config already has"
	return c
}

// noTraceM2M sends an add that must be refused — for a rule it breaks, its
// credentials, or a body cut short — then a valid config with the same
// issuer, which must still be accepted: a refused add holds no issuer.
func noTraceM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Positive, rule: rulebook.RefusalLeavesNoTrace, status: accepted(), semantics: onAccept()}, config: allowedConfig(rng)}
	refused := m2mCase{config: c.config.clone()}
	var why string
	switch rng.IntN(4) {
	case 0:
		_, why, refused.breaks = durationOverMaximum(rng)
	case 1:
		_, why, refused.breaks = valueExpressionNotRE2(rng)
	case 2:
		creds, title := badCredentials(rng)
		refused.breaks.auth, refused.breaks.headers, why = creds.auth, creds.headers, title
	default:
		refused.breaks, why = cutAfterIssuer(*c.config.issuer), "a body cut short after the issuer"
	}
	c.setup, c.setupStatus = &refused, rejected()
	c.title = "a valid config whose issuer an add refused for " + why + " had sent"
	return c
}

// cutAfterIssuer sends the body only up to the end of the issuer's value:
// JSON cut short, which still names the issuer.
func cutAfterIssuer(issuer string) m2mBreak {
	value := marshal(issuer)
	return m2mBreak{replacesBody: true, raw: func(data []byte) []byte {
		if i := bytes.Index(data, value); i >= 0 {
			return data[:i+len(value)]
		}
		return data[:len(data)/2]
	}}
}

// raceM2M sends one valid config several times at once: one issuer, one
// winner.
func raceM2M(rng *rand.Rand) m2mCase {
	copies := 4 + rng.IntN(5)
	c := m2mCase{about: about{kind: fixture.Race, rule: rulebook.IssuerUnique, status: accepted(), semantics: onAccept(), copies: copies}, config: allowedConfig(rng)}
	c.title = fmt.Sprintf("%d adds of one valid config sent at once, of which one may win", copies)
	return c
}

// unauthenticatedM2M sends an allowed config without valid credentials.
func unauthenticatedM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Auth, rule: rulebook.BearerRequired, status: fixture.Status{"401"}}, config: allowedConfig(rng)}
	creds, title := badCredentials(rng)
	c.title, c.breaks.auth, c.breaks.headers = title, creds.auth, creds.headers
	return c
}

// otherMethodM2M sends an allowed config with a method /v1/auth/m2m does
// not take. GET is left out: Central lists configs there.
func otherMethodM2M(rng *rand.Rand) m2mCase {
	method := []string{http.MethodPut, http.MethodPatch, http.MethodDelete}[rng.IntN(3)]
	c := m2mCase{about: about{kind: fixture.Method, rule: rulebook.MethodsUnimplemented, status: fixture.Status{"4xx", "501"}}, config: allowedConfig(rng)}
	c.title, c.method = fmt.Sprintf("an allowed config sent with %s, which the path does not take", method), method
	return c
}

// lenientM2M breaks what only the schema forbids and Central accepts
// anyway: accepting it is a warning, refusing it passes.
func lenientM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Negative, grounds: rulebook.Schema, status: rejected(), semantics: onAccept()}, config: allowedConfig(rng)}
	breakers := []func(*rand.Rand) (string, string, string, m2mBreak){
		unknownType, numericType, trailingData, jsonAsOtherMediaType, durationGoUnit,
	}
	c.rule, c.acceptedUpstream, c.title, c.breaks = breakers[rng.IntN(len(breakers))](rng)
	return c
}

// brokenM2M takes an allowed config and breaks exactly one thing about it
// that both the documents and Central refuse.
func brokenM2M(rng *rand.Rand) m2mCase {
	c := m2mCase{about: about{kind: fixture.Negative, status: rejected()}, config: allowedConfig(rng)}
	breakers := []func(*rand.Rand) (string, string, m2mBreak){
		durationOverMaximum, durationUnknownUnit, durationNotADuration,
		genericWithoutIssuer, genericIssuerNotURL, githubOtherIssuer,
		valueExpressionNotRE2, wrongFieldType, deeplyNested, hugeWrongType,
		malformedJSON, emptyBody,
	}
	c.rule, c.title, c.breaks = breakers[rng.IntN(len(breakers))](rng)
	if c.rule == rulebook.IssuerPerType && c.breaks.probesGitHub {
		// A GITHUB_ACTIONS config that exists already answers 409 to any
		// other, whatever its issuer: probe before this run adds one, and
		// count a 409 for the target's state, not for the rule.
		c.runFirst = true
		c.maskedBy = &fixture.Mask{Status: fixture.Status{"409"}, Rule: rulebook.IssuerTakenConflicts}
	}
	return c
}

func setDuration(text string) func(*m2mConfig) {
	return func(c *m2mConfig) { c.duration = text }
}

func durationOverMaximum(rng *rand.Rand) (string, string, m2mBreak) {
	text := overMaximumDuration(rng)
	return rulebook.DurationUnitsAndMaximum, "tokenExpirationDuration " + quoted(text) + " exceeds the 24h maximum", m2mBreak{config: setDuration(text)}
}

func durationUnknownUnit(rng *rand.Rand) (string, string, m2mBreak) {
	text, unit := unknownUnitDuration(rng)
	return rulebook.DurationUnitsAndMaximum, fmt.Sprintf("tokenExpirationDuration %s uses the unit %q, which is not s, m or h, nor one time.ParseDuration reads", quoted(text), unit), m2mBreak{config: setDuration(text)}
}

func durationGoUnit(rng *rand.Rand) (string, string, string, m2mBreak) {
	text, unit := goUnitDuration(rng)
	return rulebook.DurationUnitsAndMaximum, rulebook.AnyGoDurationUnit,
		fmt.Sprintf("tokenExpirationDuration %s uses the unit %q, which is not s, m or h", quoted(text), unit), m2mBreak{config: setDuration(text)}
}

func durationNotADuration(rng *rand.Rand) (string, string, m2mBreak) {
	text := notADuration[rng.IntN(len(notADuration))]
	return rulebook.DurationUnitsAndMaximum, "tokenExpirationDuration " + quoted(text) + " is not a duration time.ParseDuration reads", m2mBreak{config: setDuration(text)}
}

func unknownType(rng *rand.Rand) (string, string, string, m2mBreak) {
	// Enum values are case-sensitive strings; "일반", the Korean
	// translation the document's enum table shows, is left out because
	// the field table lists GENERIC.
	names := []string{"GITLAB", "generic", "Generic", "github_actions", "GITHUB-ACTIONS", "OIDC", "GENERIC ", " GITHUB_ACTIONS", "", "GENERIC,GITHUB_ACTIONS"}
	name := names[rng.IntN(len(names))]
	// Set in the body: an empty configType would leave the field out.
	return rulebook.TypeEnum, rulebook.UnknownTypeIgnored, fmt.Sprintf("type %q is not GENERIC or GITHUB_ACTIONS", name), setType(name)
}

// numericType sends the type as a number, proto3 JSON's other form of an
// enum. 1 and 2 are left out: as GITHUB_ACTIONS or KUBE_SERVICE_ACCOUNT the
// config's issuer would break a second rule.
func numericType(rng *rand.Rand) (string, string, string, m2mBreak) {
	number := []int{0, 7, 42, -1, 2147483647}[rng.IntN(5)]
	return rulebook.TypeEnum, rulebook.NumericTypeAccepted, fmt.Sprintf("type is the number %d, not a name", number), setType(number)
}

func setType(value any) m2mBreak {
	return m2mBreak{body: func(body map[string]any) any {
		configOf(body)["type"] = value
		return body
	}}
}

func trailingData(rng *rand.Rand) (string, string, string, m2mBreak) {
	tails := []string{` {"config":{}}`, "\n{}", ` garbage`, `]`, ` {"config":{"type":"GITLAB"}}`}
	tail := tails[rng.IntN(len(tails))]
	return rulebook.BodyIsJSON, rulebook.TrailingDataIgnored, "the body has data after the JSON value: " + quoted(tail),
		m2mBreak{raw: func(d []byte) []byte { return append(d, tail...) }}
}

func jsonAsOtherMediaType(rng *rand.Rand) (string, string, string, m2mBreak) {
	types := []string{"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=authcontract", "application/octet-stream"}
	contentType := types[rng.IntN(len(types))]
	return rulebook.BodyIsJSON, rulebook.AnyMediaTypeDecoded, fmt.Sprintf("the JSON body is labelled %s, not application/json", contentType),
		m2mBreak{headers: map[string]string{"Content-Type": contentType}}
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
	// Near misses of GitHub's issuer, and issuers of other providers.
	texts := []string{"https://issuer-{unique}.authcontract.test", strings.Replace(githubIssuer, "https://", "http://", 1), githubIssuer + ".evil-{unique}.test", "https://gitlab.com"}
	text := texts[rng.IntN(len(texts))]
	return rulebook.IssuerPerType, "a GITHUB_ACTIONS issuer " + quoted(text) + " is neither empty nor " + githubIssuer,
		m2mBreak{config: func(c *m2mConfig) { c.configType, c.issuer = githubActions, ptr(text) }, probesGitHub: true}
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
		// A number is proto3 JSON's other form of an enum: numericType.
		{"config.type", []string{"bool", "object", "array"}, func(b map[string]any, v any) { configOf(b)["type"] = v }},
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
