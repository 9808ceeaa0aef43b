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

// newCase draws one ACS case: mostly configs both the documents and
// Central allow and configs broken in one place, with some that depend on
// state (issuer uniqueness, a refusal that must leave no trace, a race for
// one issuer), on credentials, on the method, that only the schema forbids
// (Central accepts them: a warning), or that the documents leave open.
func (m *m2mRules) newCase(rng *rand.Rand) m2mCase {
	switch roll := rng.IntN(100); {
	case roll < 32:
		return m.allowed(rng)
	case roll < 42:
		return m.openCase(rng)
	case roll < 47:
		return m.issuerTaken(rng)
	case roll < 51:
		return m.noTrace(rng)
	case roll < 54:
		return m.race(rng)
	case roll < 59:
		return m.unauthenticated(rng)
	case roll < 62:
		return m.otherMethod(rng)
	case roll < 72:
		return m.lenient(rng)
	default:
		return m.broken(rng)
	}
}

// caseOf returns a case of the given description over a freshly drawn
// allowed body.
func (m *m2mRules) caseOf(rng *rand.Rand, a about) m2mCase {
	return m2mCase{about: a, rules: m, body: m.allowedBody(rng)}
}

// allowed is a config the documents allow; the target must store it.
func (m *m2mRules) allowed(rng *rand.Rand) m2mCase {
	c := m.caseOf(rng, about{kind: fixture.Positive, rule: rulebook.ConfigAdded, title: "an allowed GENERIC config", status: accepted(), semantics: onAccept()})
	if _, typed := lookup(c.body, typeAt); !typed {
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

// openCase are requests the documents neither allow nor forbid outright,
// or allow where Central refuses: the target may store them or refuse them
// with a 4xx, and what it stores must still honour the rules.
func (m *m2mRules) openCase(rng *rand.Rand) m2mCase {
	c := m.caseOf(rng, about{kind: fixture.Tolerant, status: acceptedOrRefused(), semantics: onAccept()})
	options := []func(*m2mCase){
		func(c *m2mCase) {
			// The document gives no limit on a config's size; a target
			// may refuse a large body but must not fail on it.
			c.rule, c.title = rulebook.ConfigAdded, "an allowed config with a 1.5 MiB role (the documents set no size limit)"
			c.body, c.shared = m.shared.base, m.shared.hugeRole()
		},
		func(c *m2mCase) {
			c.rule, c.title = rulebook.IDAssignedByServer, "a config with an id the client chose (refused, or replaced by the server's)"
			c.breaks.edit = setAt(idAt, drawUUID(rng))
		},
		func(c *m2mCase) {
			c.rule, c.title = rulebook.MappingsForTokens, "a config without mappings (the document needs them only to issue tokens)"
			if rng.IntN(2) == 0 {
				c.breaks.edit = setAt(mappingsAt, []any{})
			} else {
				c.breaks.edit = func(body any) any { return without(body, mappingsAt) }
			}
		},
		func(c *m2mCase) {
			c.rule, c.title = rulebook.IssuerHTTPS, "a GENERIC config whose issuer is http:// (the document asks for a URL, Central for https)"
			c.breaks.edit = func(body any) any {
				issuer, _ := lookup(body, issuerAt)
				text, _ := issuer.(string)
				return with(body, issuerAt, httpIssuer(text))
			}
		},
		func(c *m2mCase) {
			text := underMinimumDuration(rng)
			c.rule, c.title = rulebook.DurationMinimum, "tokenExpirationDuration "+quoted(text)+" is under a minute (the document states no minimum, Central refuses it)"
			c.breaks.edit = setAt(durationAt, text)
		},
		func(c *m2mCase) {
			c.rule, c.title = rulebook.RoleExists, "a mapping to a role the target does not have (Central refuses it)"
			c.breaks.edit = setAt(mappingAt(rng.IntN(4), "role"), "authcontract-missing-role-{unique}")
		},
	}
	if m.lists(githubActions) {
		options = append(options, func(c *m2mCase) {
			// There may be one GITHUB_ACTIONS config only, and an earlier
			// run may have added it, so even a valid one may be refused.
			c.rule, c.title = rulebook.IssuerPerType, "a GITHUB_ACTIONS config (refused if the target already has one)"
			c.breaks.edit = gitHubConfig(gitHubIssuers()[rng.IntN(3)])
		})
	}
	if m.lists(kubeServiceAccount) {
		options = append(options, func(c *m2mCase) {
			c.rule, c.title = rulebook.KubeServiceAccount, "a KUBE_SERVICE_ACCOUNT config (newer Centrals take it, the document's does not know it)"
			c.breaks.edit = setAt(typeAt, kubeServiceAccount)
		})
	}
	if len(m.unlistedTypes) > 0 {
		options = append(options, func(c *m2mCase) {
			// A type the schema lists and no rule speaks of: nothing says
			// whether a target takes it, or what issuer it needs.
			name := m.unlistedTypes[rng.IntN(len(m.unlistedTypes))]
			c.rule, c.grounds = rulebook.TypeEnum, rulebook.Schema
			c.title = fmt.Sprintf("a config of type %s, which the schema's enum lists and no rule speaks of", name)
			c.breaks.edit = setAt(typeAt, name)
		})
	}
	if len(m.open) > 0 {
		options = append(options, func(c *m2mCase) {
			*c = m.schemaBreak(rng, m.open[rng.IntN(len(m.open))])
		})
	}
	options[rng.IntN(len(options))](&c)
	return c
}

// lists reports whether the schema's type enum lists name.
func (m *m2mRules) lists(name string) bool {
	for _, t := range m.types {
		if t == name {
			return true
		}
	}
	return false
}

// gitHubIssuers are the issuers a GITHUB_ACTIONS config may have: none,
// empty, or GitHub's. A function, so that no caller can change another's.
func gitHubIssuers() []*string {
	empty, github := "", githubIssuer
	return []*string{nil, &empty, &github}
}

// gitHubConfig makes the config a GITHUB_ACTIONS one with issuer (nil:
// none).
func gitHubConfig(issuer *string) func(any) any {
	return func(body any) any {
		body = with(body, typeAt, githubActions)
		if issuer == nil {
			return without(body, issuerAt)
		}
		return with(body, issuerAt, *issuer)
	}
}

// issuerTaken adds a config, then another with the same issuer: "발행자는
// 고유한 키" (the issuer is a unique key). A GITHUB_ACTIONS config may exist
// from an earlier run, so the first add of one may be refused.
func (m *m2mRules) issuerTaken(rng *rand.Rand) m2mCase {
	c := m.caseOf(rng, about{kind: fixture.Negative, rule: rulebook.IssuerUnique, status: rejected()})
	if m.lists(githubActions) && rng.IntN(3) == 0 {
		issuers := gitHubIssuers()
		first := m.caseOf(rng, about{})
		first.breaks.edit = gitHubConfig(issuers[rng.IntN(3)])
		c.setup, c.setupStatus = &first, acceptedOrRefused()
		c.breaks.edit = gitHubConfig(issuers[rng.IntN(3)])
		c.title = "a second GITHUB_ACTIONS config"
		return c
	}
	first := m.caseOf(rng, about{})
	issuer, _ := lookup(first.body, issuerAt)
	c.body = with(c.body, issuerAt, issuer)
	c.setup, c.setupStatus = &first, accepted()
	c.pinned = []path{issuerAt}
	c.title = "a GENERIC config whose issuer another config already has"
	return c
}

// noTrace sends an add that must be refused — for a rule it breaks, its
// credentials, or a body cut short — then a valid config with the same
// issuer, which must still be accepted: a refused add holds no issuer.
func (m *m2mRules) noTrace(rng *rand.Rand) m2mCase {
	c := m.caseOf(rng, about{kind: fixture.Positive, rule: rulebook.RefusalLeavesNoTrace, status: accepted(), semantics: onAccept()})
	refused := m2mCase{rules: m, body: clone(c.body)}
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
		issuer, _ := lookup(c.body, issuerAt)
		text, _ := issuer.(string)
		refused.breaks, why = cutAfterIssuer(text), "a body cut short after the issuer"
	}
	c.setup, c.setupStatus = &refused, rejected()
	c.pinned = []path{issuerAt}
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

// race sends one valid config several times at once: one issuer, one
// winner.
func (m *m2mRules) race(rng *rand.Rand) m2mCase {
	copies := 4 + rng.IntN(5)
	c := m.caseOf(rng, about{kind: fixture.Race, rule: rulebook.IssuerUnique, status: accepted(), semantics: onAccept(), copies: copies})
	c.title = fmt.Sprintf("%d adds of one valid config sent at once, of which one may win", copies)
	return c
}

// unauthenticated sends an allowed config without valid credentials.
func (m *m2mRules) unauthenticated(rng *rand.Rand) m2mCase {
	c := m.caseOf(rng, about{kind: fixture.Auth, rule: rulebook.BearerRequired, status: fixture.Status{"401"}})
	creds, title := badCredentials(rng)
	c.title, c.breaks.auth, c.breaks.headers = title, creds.auth, creds.headers
	return c
}

// otherMethod sends an allowed config with a method /v1/auth/m2m does not
// take. GET is left out: Central lists configs there.
func (m *m2mRules) otherMethod(rng *rand.Rand) m2mCase {
	method := []string{http.MethodPut, http.MethodPatch, http.MethodDelete}[rng.IntN(3)]
	c := m.caseOf(rng, about{kind: fixture.Method, rule: rulebook.MethodsUnimplemented, status: fixture.Status{"4xx", "501"}})
	c.title, c.method = fmt.Sprintf("an allowed config sent with %s, which the path does not take", method), method
	return c
}

// lenient breaks what only the schema forbids and Central accepts anyway:
// accepting it is a warning, refusing it passes. The schema's breaks of
// that sort (a type outside the enum, a number for it, a Go unit the
// pattern does not list) come with the body's own (data after the JSON
// value, another media type).
func (m *m2mRules) lenient(rng *rand.Rand) m2mCase {
	n := len(m.tolerated) + 2
	switch i := rng.IntN(n); i {
	case n - 2:
		return m.trailingData(rng)
	case n - 1:
		return m.jsonAsOtherMediaType(rng)
	default:
		return m.schemaBreak(rng, m.tolerated[i])
	}
}

func (m *m2mRules) trailingData(rng *rand.Rand) m2mCase {
	tails := []string{` {"config":{}}`, "\n{}", ` garbage`, `]`, ` {"config":{"type":"GITLAB"}}`}
	tail := tails[rng.IntN(len(tails))]
	c := m.caseOf(rng, about{kind: fixture.Negative, grounds: rulebook.Schema, rule: rulebook.BodyIsJSON, acceptedUpstream: rulebook.TrailingDataIgnored,
		title: "the body has data after the JSON value: " + quoted(tail), status: rejected(), semantics: onAccept()})
	c.breaks.raw = func(d []byte) []byte { return append(d, tail...) }
	return c
}

func (m *m2mRules) jsonAsOtherMediaType(rng *rand.Rand) m2mCase {
	types := []string{"text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=authcontract", "application/octet-stream"}
	contentType := types[rng.IntN(len(types))]
	c := m.caseOf(rng, about{kind: fixture.Negative, grounds: rulebook.Schema, rule: rulebook.BodyIsJSON, acceptedUpstream: rulebook.AnyMediaTypeDecoded,
		title: fmt.Sprintf("the JSON body is labelled %s, not application/json", contentType), status: rejected(), semantics: onAccept()})
	c.breaks.headers = map[string]string{"Content-Type": contentType}
	return c
}

// broken breaks exactly one thing about an allowed config that both the
// documents and Central refuse: half the time a keyword of the schema
// (a field drawn first, then one of its breaks), half the time a rule the
// document states in words, or the body as a whole.
func (m *m2mRules) broken(rng *rand.Rand) m2mCase {
	if rng.IntN(2) == 0 {
		field := m.refused[rng.IntN(len(m.refused))]
		return m.schemaBreak(rng, field[rng.IntN(len(field))])
	}
	c := m.caseOf(rng, about{kind: fixture.Negative, status: rejected()})
	breakers := []func(*rand.Rand) (string, string, m2mBreak){
		durationOverMaximum, genericWithoutIssuer, genericIssuerNotURL, githubOtherIssuer, valueExpressionNotRE2,
		malformedJSON, emptyBody,
		func(rng *rand.Rand) (string, string, m2mBreak) { return m.deeplyNested(rng, &c) },
		func(rng *rand.Rand) (string, string, m2mBreak) { return m.hugeWrongType(rng, &c) },
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

// schemaBreak breaks the allowed body in the one place b says, as the rule
// layer reads it: refused, tolerated by the real service (a warning), or
// open.
func (m *m2mRules) schemaBreak(rng *rand.Rand, b ruledBreak) m2mCase {
	a := b.about()
	if b.open || b.upstream != "" {
		a.semantics = onAccept()
	}
	c := m.caseOf(rng, a)
	// Inside an array, the first item is broken: it is there however far
	// shrinking goes, and the report can name it.
	at := make(path, len(b.field.at))
	for i, step := range b.field.at {
		if step == anyItem {
			step = 0
		}
		at[i] = step
	}
	where := at.String()
	if b.kind == "required" {
		where = "property " + where
	}
	// A break inside an optional object or array needs that object or
	// array sent: the allowed body it starts from sends them.
	c.body = m.sendingEnclosing(rng, c.body, m.op.body, at)
	value, broken := m.drawBreak(rng, b, where)
	c.title = broken
	if b.kind == "required" {
		c.breaks.edit = func(body any) any { return without(body, at) }
	} else {
		c.breaks.edit = setAt(at, value)
	}
	return c
}

// drawBreak draws the value that breaks b, and says what it breaks: the
// rule layer's value where it has one that does break the keyword, else
// the schema's.
func (w walker) drawBreak(rng *rand.Rand, b ruledBreak, where string) (any, string) {
	if b.draw != nil {
		for range strategyTries {
			if value, broken := b.draw(rng); breaks(b.site, value) {
				return value, broken
			}
		}
	}
	value, _ := w.breakValue(rng, b.site)
	return value, describeBreak(b.site, where, value)
}

func durationOverMaximum(rng *rand.Rand) (string, string, m2mBreak) {
	text := overMaximumDuration(rng)
	return rulebook.DurationUnitsAndMaximum, "tokenExpirationDuration " + quoted(text) + " exceeds the 24h maximum", m2mBreak{edit: setAt(durationAt, text)}
}

func genericWithoutIssuer(rng *rand.Rand) (string, string, m2mBreak) {
	if rng.IntN(2) == 0 {
		return rulebook.IssuerPerType, "a GENERIC config has no issuer", m2mBreak{edit: func(body any) any { return without(body, issuerAt) }}
	}
	return rulebook.IssuerPerType, "a GENERIC config has an empty issuer", m2mBreak{edit: setAt(issuerAt, "")}
}

func genericIssuerNotURL(rng *rand.Rand) (string, string, m2mBreak) {
	texts := []string{"not a url", "issuer", "   ", "🔑 key", "ci-issuer-{unique}", "사용자 발행자"}
	text := texts[rng.IntN(len(texts))]
	return rulebook.IssuerPerType, "a GENERIC issuer " + quoted(text) + " holds no URL", m2mBreak{edit: setAt(issuerAt, text)}
}

func githubOtherIssuer(rng *rand.Rand) (string, string, m2mBreak) {
	// Near misses of GitHub's issuer, and issuers of other providers.
	texts := []string{"https://issuer-{unique}.authcontract.test", strings.Replace(githubIssuer, "https://", "http://", 1), githubIssuer + ".evil-{unique}.test", "https://gitlab.com"}
	text := texts[rng.IntN(len(texts))]
	return rulebook.IssuerPerType, "a GITHUB_ACTIONS issuer " + quoted(text) + " is neither empty nor " + githubIssuer,
		m2mBreak{edit: gitHubConfig(&text), probesGitHub: true}
}

func valueExpressionNotRE2(rng *rand.Rand) (string, string, m2mBreak) {
	bad := notRE2[rng.IntN(len(notRE2))]
	index := rng.IntN(4)
	return rulebook.ValueExpressionRE2, fmt.Sprintf("a valueExpression %s %s", quoted(bad.expression), bad.why),
		m2mBreak{edit: setAt(mappingAt(index, "valueExpression"), bad.expression)}
}

// deeplyNested makes mappings a list of lists, nested deeper than any
// config needs.
func (m *m2mRules) deeplyNested(rng *rand.Rand, c *m2mCase) (string, string, m2mBreak) {
	depth := nestedDepths[rng.IntN(len(nestedDepths))]
	c.body, c.shared = m.shared.base, m.shared.nested[depth]()
	return rulebook.FieldTypes, fmt.Sprintf("config.mappings holds lists nested %d deep, not mappings", depth), m2mBreak{replacesBody: true}
}

// hugeWrongType sends a body of several MiB whose config is a string.
func (m *m2mRules) hugeWrongType(rng *rand.Rand, c *m2mCase) (string, string, m2mBreak) {
	mib := hugeConfigMiB[rng.IntN(len(hugeConfigMiB))]
	c.body, c.shared = m.shared.base, m.shared.hugeConfig[mib]()
	return rulebook.FieldTypes, fmt.Sprintf("config is a %d MiB string, not an object", mib), m2mBreak{replacesBody: true}
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
