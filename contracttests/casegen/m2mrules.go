package casegen

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/authcontract/authcontract/contracttests/rulebook"
)

// Where the ACS rule layer's stated rules apply in the body. The schema
// decides everything else about these fields; the rules below only narrow
// it.
var (
	configAt   = path{"config"}
	typeAt     = path{"config", "type"}
	durationAt = path{"config", "tokenExpirationDuration"}
	issuerAt   = path{"config", "issuer"}
	mappingsAt = path{"config", "mappings"}
	idAt       = path{"config", "id"}
)

func mappingAt(index int, key string) path { return path{"config", "mappings", index, key} }

// The fields the rule layer speaks of, by their names in the schema.
const (
	typeField            = "config.type"
	durationField        = "config.tokenExpirationDuration"
	issuerField          = "config.issuer"
	mappingsField        = "config.mappings"
	keyField             = "config.mappings[].key"
	valueExpressionField = "config.mappings[].valueExpression"
	roleField            = "config.mappings[].role"
)

// knownTypes are the config types a rule speaks of: GENERIC, the one
// allowed configs have (and the schema's default); GITHUB_ACTIONS, whose
// one config a target may already hold; KUBE_SERVICE_ACCOUNT, which only
// newer Centrals take. Any other value the schema's enum lists is sent as
// an open case: no rule says what a target does with it.
var knownTypes = []string{generic, githubActions, kubeServiceAccount}

const kubeServiceAccount = "KUBE_SERVICE_ACCOUNT"

// m2mRules is the ACS rule layer over one document: the walker with its
// strategies, and the document's schema breaks sorted by what the rules
// make of them.
type m2mRules struct {
	walker
	op *operation
	// types are the names the schema's type enum lists.
	types []string
	// refused are the schema breaks a target must refuse, grouped by
	// field so that a field with many keywords is not drawn more often
	// than one with few; tolerated are those the real service accepts
	// (a warning), open those the documents leave open.
	refused   [][]ruledBreak
	tolerated []ruledBreak
	open      []ruledBreak
	// unlistedTypes are values of the type enum no rule speaks of.
	unlistedTypes []string
	shared        *sharedBodies
}

func newM2MRules(op *operation) (*m2mRules, error) {
	if op.body == nil {
		return nil, fmt.Errorf("the ACS operation %s %s takes no JSON body", op.method, op.path)
	}
	for _, name := range []string{typeField, durationField, issuerField, mappingsField, keyField, valueExpressionField, roleField} {
		if op.body.find(name) == nil {
			return nil, fmt.Errorf("the ACS rules speak of %s, which the document's request body does not have", name)
		}
	}
	m := &m2mRules{op: op, types: enumStrings(op.body.find(typeField))}
	if !slices.Contains(m.types, generic) {
		return nil, fmt.Errorf("allowed configs are %s, which the type enum (%v) does not list", generic, m.types)
	}
	for _, name := range m.types {
		if !slices.Contains(knownTypes, name) {
			m.unlistedTypes = append(m.unlistedTypes, name)
		}
	}
	m.strategies = m.fieldStrategies()
	if err := m.sortBreaks(); err != nil {
		return nil, err
	}
	if err := m.checkDraws(op.body); err != nil {
		return nil, err
	}
	m.shared = newSharedBodies(m)
	return m, nil
}

// fieldStrategies are the ACS rules as strategies for the fields they
// speak of.
func (m *m2mRules) fieldStrategies() map[string]strategy {
	// The document's field table gives each field's type, so a value of
	// another JSON type breaks a sentence; the schema restates it.
	fieldTypes := map[string][]ruling{"type": {{rule: rulebook.FieldTypes}}}
	return map[string]strategy{
		"":       {rulings: fieldTypes},
		"config": {presence: alwaysPresent, rulings: fieldTypes},
		typeField: {
			// Allowed configs are GENERIC: said, or left out, which is the
			// same (the schema's default, proto3's first value).
			draw:     func(*rand.Rand) any { return generic },
			presence: sometimesPresent,
			shrink:   func(string) []string { return nil },
			rulings: map[string][]ruling{
				"type":        {{rule: rulebook.FieldTypes}},
				"type:number": {{rule: rulebook.TypeEnum, upstream: rulebook.NumericTypeAccepted, draw: m.numericType}},
				"enum":        {{rule: rulebook.TypeEnum, upstream: rulebook.UnknownTypeIgnored, draw: m.unknownType}},
			},
		},
		durationField: {
			draw: func(rng *rand.Rand) any { return allowedDuration(rng) },
			// Central parses every duration, so it needs one.
			presence: alwaysPresent,
			shrink:   func(d string) []string { return shorterStrings(d, "1h", isAllowedDuration) },
			rulings: map[string][]ruling{
				"type": {{rule: rulebook.FieldTypes}},
				// The document states the units in words, and defers to
				// time.ParseDuration: a text it cannot read, or one in a
				// unit it does not know, breaks a sentence; a Go unit the
				// document does not list is Central's to accept.
				"pattern": {
					{rule: rulebook.DurationUnitsAndMaximum, ruleGrounds: true, draw: durationUnknownUnit},
					{rule: rulebook.DurationUnitsAndMaximum, ruleGrounds: true, draw: durationNotADuration},
					{rule: rulebook.DurationUnitsAndMaximum, upstream: rulebook.AnyGoDurationUnit, draw: durationGoUnit},
				},
			},
		},
		issuerField: {
			draw:     func(rng *rand.Rand) any { return genericIssuer(rng.IntN) },
			filled:   true,
			presence: alwaysPresent, // a GENERIC config needs one
			shrink: func(issuer string) []string {
				if issuer == simplestIssuer {
					return nil
				}
				return []string{simplestIssuer}
			},
			rulings: fieldTypes,
		},
		mappingsField:        {presence: alwaysPresent, minItems: 1, maxItems: 4, rulings: fieldTypes},
		mappingsField + "[]": {rulings: fieldTypes},
		// A mapping's key, expression and role are always sent: the
		// documents do not say whether one may be left out or empty, and
		// Central refuses an empty expression.
		keyField: {
			draw:     func(rng *rand.Rand) any { return randomText(rng) },
			presence: alwaysPresent,
			shrink:   func(key string) []string { return shorterStrings(key, "sub", nonEmpty) },
			rulings:  fieldTypes,
		},
		valueExpressionField: {
			draw:     func(rng *rand.Rand) any { return validRE2(rng) },
			presence: alwaysPresent,
			shrink: func(expression string) []string {
				return shorterStrings(expression, ".*", func(s string) bool { return nonEmpty(s) && isRE2(s) })
			},
			rulings: map[string][]ruling{
				"type": {{rule: rulebook.FieldTypes}},
				// An empty expression is valid RE2, which is all the
				// document asks; Central refuses it, and so does the
				// schema's minLength, which restates Central.
				"minLength": {{rule: rulebook.ValueExpressionFilled, ruleGrounds: true, open: true, draw: emptyValueExpression}},
			},
		},
		roleField: {
			draw:     func(rng *rand.Rand) any { return randomRole(rng) },
			filled:   true,
			presence: alwaysPresent,
			shrink:   func(role string) []string { return shorterStrings(role, rolePlaceholder(0), isRolePlaceholder) },
			rulings:  fieldTypes,
		},
	}
}

// sortBreaks lists the document's schema breaks and sorts them by what the
// rules make of them.
func (m *m2mRules) sortBreaks() error {
	probe := rand.New(rand.NewPCG(0, 0))
	group := map[*field]int{}
	for _, s := range bodySites(m.op.body) {
		if _, ok := m.breakValue(probe, s); !ok {
			continue // a keyword no value breaks, such as the pattern ".*"
		}
		for _, r := range m.strategy(s.field).rulingsFor(s.kind) {
			b := ruledBreak{site: s, ruling: r}
			switch {
			case r.skip:
			case r.open:
				m.open = append(m.open, b)
			case r.upstream != "":
				m.tolerated = append(m.tolerated, b)
			default:
				i, seen := group[s.field]
				if !seen {
					i = len(m.refused)
					group[s.field] = i
					m.refused = append(m.refused, nil)
				}
				m.refused[i] = append(m.refused[i], b)
			}
		}
	}
	if len(m.refused) == 0 {
		return fmt.Errorf("the ACS request body's schema has nothing a case can break")
	}
	return nil
}

// allowedBody draws a request body both the documents and Central allow:
// a GENERIC config with an https issuer, a duration in [1m, 24h], mappings
// to roles the target has, and whatever else the schema asks for.
func (m *m2mRules) allowedBody(rng *rand.Rand) any {
	return m.draw(rng, m.op.body)
}

// numericType sends the type as a number, proto3 JSON's other form of an
// enum: 0 (GENERIC) or a number past the enum. The numbers of the other
// listed types are left out: as GITHUB_ACTIONS or KUBE_SERVICE_ACCOUNT the
// config's issuer would break a second rule.
func (m *m2mRules) numericType(rng *rand.Rand) (any, string) {
	numbers := []int{0, -1, 2147483647, len(m.types) + 4, max(42, len(m.types))}
	number := numbers[rng.IntN(len(numbers))]
	return number, fmt.Sprintf("type is the number %d, not a name", number)
}

// unknownType sends a name the enum does not list: a near miss of one it
// does, or another provider's. "일반", the Korean translation the
// document's enum table shows for GENERIC, is never sent: the field table
// lists GENERIC.
func (m *m2mRules) unknownType(rng *rand.Rand) (any, string) {
	names := slices.DeleteFunc(append(nearMisses(m.types), "GITLAB", "OIDC"), func(s string) bool { return slices.Contains(m.types, s) })
	name := names[rng.IntN(len(names))]
	return name, fmt.Sprintf("type %q is not one of %s", name, enumList(m.op.body.find(typeField)))
}

func durationUnknownUnit(rng *rand.Rand) (any, string) {
	text, unit := unknownUnitDuration(rng)
	return text, fmt.Sprintf("tokenExpirationDuration %s uses the unit %q, which is not s, m or h, nor one time.ParseDuration reads", quoted(text), unit)
}

func durationNotADuration(rng *rand.Rand) (any, string) {
	text := notADuration[rng.IntN(len(notADuration))]
	return text, "tokenExpirationDuration " + quoted(text) + " is not a duration time.ParseDuration reads"
}

func durationGoUnit(rng *rand.Rand) (any, string) {
	text, unit := goUnitDuration(rng)
	return text, fmt.Sprintf("tokenExpirationDuration %s uses the unit %q, which is not s, m or h", quoted(text), unit)
}

func emptyValueExpression(*rand.Rand) (any, string) {
	return "", "an empty valueExpression, which is valid RE2 (Central refuses it)"
}
