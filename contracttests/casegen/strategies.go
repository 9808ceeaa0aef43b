package casegen

import (
	"math/rand/v2"
	"strings"

	"github.com/authcontract/authcontract/contracttests/rulebook"
)

// The walker draws every value from the schema. Where a document states a
// rule in words that no schema keyword carries — a duration's maximum, an
// issuer's scheme, RE2, roles that must exist — the rule layer registers a
// strategy for the field, under the field's name ("config.issuer",
// "config.mappings[].role", "api-version"). A strategy only ever narrows
// what the schema allows: a value it draws that the schema refuses is
// drawn again, and in the end from the schema alone. A field no strategy
// names (a property a new version of the document adds) is drawn from its
// schema: its type, enum, format, pattern and lengths.

// strategy is what the rule layer knows about one field.
type strategy struct {
	// draw draws a value both the documents and the real service allow;
	// nil leaves it to the schema.
	draw func(*rand.Rand) any
	// filled says that draw writes placeholders the runner fills in per
	// target ({role:0}, {issuerBase}…), so the schema can judge the value
	// only once filled, and the walker takes it as it is.
	filled bool
	// sample draws a literal value of the kind filled placeholders stand
	// for (a resource group name), for breaks that start from an allowed
	// value: one over maxLength, one the pattern refuses.
	sample func(*rand.Rand) string
	// presence says when an optional property is sent; a required one
	// always is, a read-only one never.
	presence presence
	// items bounds how many items an allowed array holds (both zero: as
	// the schema and the walker choose).
	minItems, maxItems int
	// shrink lists string values one step simpler than s that are just as
	// allowed; nil shortens s while the schema admits it.
	shrink func(s string) []string
	// rulings say what the rule layer makes of a break of the field's
	// schema, by the break's kind ("enum", "pattern", "type:number") or
	// its family ("type"). Several rulings for one kind are alternatives,
	// each its own case. A kind without a ruling is a plain schema break:
	// refused, grounds schema, rule schema-constraint.
	rulings map[string][]ruling
}

// presence says when a walker sends an optional property.
type presence int

const (
	// schemaPresence sends it in most requests and leaves it out in
	// some, both being what the schema allows.
	schemaPresence presence = iota
	// alwaysPresent sends it in every allowed request: the real service
	// needs it though the schema does not say so (Central parses every
	// duration, an empty one too).
	alwaysPresent
	// sometimesPresent leaves it out in half the requests, as often as it
	// sends it: leaving it out means something (type GENERIC).
	sometimesPresent
)

// ruling is the rule layer's reading of one kind of schema break at a
// field it knows.
type ruling struct {
	// rule is the rulebook rule nearest to the break.
	rule string
	// ruleGrounds is set when the constraint is the rule's before it is
	// the schema's — a sentence of the document states it, or the real
	// service decides it and the schema restates that — so that the
	// verdict rests on the rule's grounds rather than on the schema alone.
	ruleGrounds bool
	// open is set when the documents allow either answer: the case is
	// tolerant, not negative.
	open bool
	// upstream names the upstream rule under which the real service
	// accepts the break anyway: accepting it is a warning.
	upstream string
	// draw draws the breaking value and says what it breaks, where the
	// rule layer knows better values than the schema's (the units
	// time.ParseDuration does not know); nil uses the schema's. A value it
	// draws that does not break the kind it is registered under is drawn
	// again, and in the end from the schema.
	draw func(*rand.Rand) (value any, broken string)
	// skip is set for breaks no case sends (a value the rule layer sends
	// elsewhere, under a rule of its own).
	skip bool
}

// plainSchemaBreak is how a break no rule layer knows of is read.
func plainSchemaBreak() ruling { return ruling{rule: rulebook.SchemaConstraint} }

// rulings returns what the rule layer says of a break of kind at f: the
// rulings for the kind, else for its family ("type" for "type:number"),
// else a plain schema break.
func (s strategy) rulingsFor(kind string) []ruling {
	if r, ok := s.rulings[kind]; ok {
		return r
	}
	if family, _, found := strings.Cut(kind, ":"); found {
		if r, ok := s.rulings[family]; ok {
			return r
		}
	}
	return []ruling{plainSchemaBreak()}
}

// walker draws values of fields: from the rule layer's strategies where it
// has one, from the schema everywhere else.
type walker struct {
	strategies map[string]strategy
}

func (w walker) strategy(f *field) strategy { return w.strategies[f.name] }
