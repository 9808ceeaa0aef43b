package casegen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
)

// A schema break breaks one keyword of one field's schema and nothing
// else: a value of the wrong JSON type, a value outside the enum, a string
// over maxLength or under minLength, one the pattern or the format
// refuses, a required property left out, an array outside its item
// bounds, a number outside its bounds. The walker lists every break a
// document's schemas allow (sites), and draws the value of each.

// site is one keyword of one field that a case can break.
type site struct {
	field *field
	// kind is the keyword: "type:<the JSON type sent instead>", "enum",
	// "minLength", "maxLength", "pattern", "format", "required" (field is
	// the property left out), "minItems", "maxItems", "minimum",
	// "maximum".
	kind string
}

// ruledBreak is a site as the rule layer reads it.
type ruledBreak struct {
	site
	ruling
}

// about describes the case of a break as the rule layer reads it: refused
// (a 4xx), accepted by the real service (a warning), or open (either
// answer); under the rule's grounds when the rule layer says a sentence
// of the document speaks of it, else the schema's.
func (b ruledBreak) about() about {
	a := about{kind: fixture.Negative, rule: b.rule, grounds: rulebook.Schema, status: rejected(), acceptedUpstream: b.upstream}
	if b.ruleGrounds {
		a.grounds = "" // the rule's: a sentence of the document
	}
	if b.open {
		a.kind, a.status = fixture.Tolerant, acceptedOrRefused()
	}
	return a
}

// wrongTypes are the JSON types a value of another type is sent as. null
// is never one: proto3 JSON, and many a JSON reader, reads null as "not
// set", which is no break at all.
var wrongTypes = []string{"object", "array", "string", "number", "boolean"}

// bodySites lists every break of the body's schemas, parents first,
// properties in name order. Read-only properties, and what is inside
// them, are not sent, so not broken either.
func bodySites(f *field) []site {
	var out []site
	var visit func(f *field)
	visit = func(f *field) {
		if f.readOnly {
			return
		}
		if f.jsonType != "" {
			for _, t := range wrongTypes {
				if t != f.jsonType {
					out = append(out, site{f, "type:" + t})
				}
			}
		}
		out = append(out, keywordSites(f)...)
		for _, p := range f.properties {
			if p.required && !p.field.readOnly {
				out = append(out, site{p.field, "required"})
			}
		}
		for _, p := range f.properties {
			visit(p.field)
		}
		if f.items != nil {
			visit(f.items)
		}
	}
	visit(f)
	return out
}

// paramSites lists every break of the parameters' schemas. A parameter
// travels as text, so the only wrong type is text that is no number or
// boolean; a path parameter cannot be left out without leaving the
// operation's path.
func paramSites(params []param) []site {
	var out []site
	for _, p := range params {
		switch p.field.jsonType {
		case "integer", "number", "boolean":
			out = append(out, site{p.field, "type:string"})
		}
		out = append(out, keywordSites(p.field)...)
		if p.required && p.in != "path" {
			out = append(out, site{p.field, "required"})
		}
	}
	return out
}

// keywordSites lists the breaks of f's own keywords other than its type.
func keywordSites(f *field) []site {
	var out []site
	add := func(ok bool, kind string) {
		if ok {
			out = append(out, site{f, kind})
		}
	}
	add(len(f.enum) > 0 && f.jsonType != "boolean", "enum")
	add(f.minLength > 0, "minLength")
	add(f.maxLength >= 0, "maxLength")
	add(f.pattern != nil, "pattern")
	add(f.format != nil && len(f.format.bad) > 0, "format")
	add(f.minItems > 0, "minItems")
	add(f.maxItems >= 0, "maxItems")
	add(f.minimum != nil, "minimum")
	add(f.maximum != nil, "maximum")
	return out
}

// breakValue draws a value that breaks s's keyword, and ideally nothing
// else of the field; ok is false when the keyword cannot be broken (a
// pattern every string matches). For "required" there is no value: the
// property is left out.
func (w walker) breakValue(rng *rand.Rand, s site) (any, bool) {
	f := s.field
	switch s.kind {
	case "type:object":
		return map[string]any{"value": "x"}, true
	case "type:array":
		return [][]any{{"x"}, {}}[rng.IntN(2)], true
	case "type:string":
		if f.jsonType == "integer" || f.jsonType == "number" || f.jsonType == "boolean" {
			return []string{"x", "not-a-number", "1x"}[rng.IntN(3)], true
		}
		return []string{"x", "[]", "{}"}[rng.IntN(3)], true
	case "type:number":
		if f.jsonType == "integer" {
			return 1.5, true
		}
		return []any{0, 3600, 1.5, -1}[rng.IntN(4)], true
	case "type:boolean":
		return rng.IntN(2) == 0, true
	case "enum":
		return outsideEnum(rng, f)
	case "minLength":
		return shorterThanMinimum(w.literal(rng, f), f), true
	case "maxLength":
		return longerThanMaximum(rng, w.literal(rng, f), f), true
	case "pattern":
		return patternBreak(rng, f, w.literal(rng, f))
	case "format":
		for _, bad := range f.format.bad {
			if fitsLength(f, bad) && (f.pattern == nil || f.pattern.MatchString(bad)) {
				return bad, true
			}
		}
		return f.format.bad[0], true
	case "minItems", "maxItems":
		n := f.minItems - 1
		if s.kind == "maxItems" {
			n = f.maxItems + 1
		}
		items := make([]any, n)
		for i := range items {
			items[i] = w.draw(rng, f.items)
		}
		return items, true
	case "minimum", "maximum":
		return outsideBounds(f, s.kind == "minimum"), true
	case "required":
		return nil, true
	}
	return nil, false
}

// literal is an allowed string of f, never a strategy's placeholder, whose
// length the schema cannot judge: what a length or pattern break starts
// from.
func (w walker) literal(rng *rand.Rand, f *field) string {
	s := w.strategy(f)
	if s.sample != nil {
		for range strategyTries {
			if text := s.sample(rng); len(violations(f, text)) == 0 {
				return text
			}
		}
	}
	if s.draw != nil && !s.filled {
		if text, ok := w.draw(rng, f).(string); ok {
			return text
		}
	}
	return drawString(rng, f)
}

// outsideEnum draws a value of the field's type that the enum does not
// list: a near miss of a listed string (another case, a space around it,
// "-" for "_", two joined) or a plainly unknown one; for numbers, one past
// the largest.
func outsideEnum(rng *rand.Rand, f *field) (any, bool) {
	names := enumStrings(f)
	if len(names) == 0 {
		largest := math.Inf(-1)
		for _, v := range f.enum {
			if n, ok := number(v); ok {
				largest = max(largest, n)
			}
		}
		if math.IsInf(largest, -1) {
			return nil, false
		}
		return int(largest) + 1, true
	}
	misses := nearMisses(names)
	return misses[rng.IntN(len(misses))], true
}

// nearMisses are strings an enum of names does not list but a careless
// reader might take: each name in other cases, with a space around it or
// "-" for "_", two names joined, the empty string and an unknown name.
func nearMisses(names []string) []string {
	var out []string
	for _, name := range names {
		out = append(out, strings.ToLower(name), titleCase(name), name+" ", " "+name, strings.ReplaceAll(name, "_", "-"))
	}
	if len(names) > 1 {
		out = append(out, names[0]+","+names[1])
	}
	out = append(out, "", "AUTHCONTRACT_UNKNOWN")
	return slices.DeleteFunc(slices.Compact(out), func(s string) bool { return slices.Contains(names, s) })
}

func titleCase(s string) string {
	lower := strings.ToLower(s)
	r, size := utf8.DecodeRuneInString(lower)
	return strings.ToUpper(string(r)) + lower[size:]
}

// shorterThanMinimum cuts an allowed value to one character under the
// minimum, in UTF-16 units, so that both validators count it short.
func shorterThanMinimum(allowed string, f *field) string {
	runes := []rune(allowed)
	text := string(runes[:min(len(runes), f.minLength-1)])
	if utf16Units(text) >= f.minLength {
		text = strings.Repeat("a", f.minLength-1)
	}
	return text
}

// longerThanMaximum repeats an allowed value's characters past the
// maximum, in code points, so that both validators count it long; often
// just one past it.
func longerThanMaximum(rng *rand.Rand, allowed string, f *field) string {
	target := f.maxLength + 1
	if rng.IntN(2) == 0 {
		target += rng.IntN(f.maxLength/2 + 8)
	}
	runes := []rune(allowed)
	if len(runes) == 0 {
		runes = []rune("x")
	}
	out := make([]rune, target)
	for i := range out {
		out[i] = runes[i%len(runes)]
	}
	return string(out)
}

// outsideBounds is a number just past f's minimum (below) or maximum
// (above); an exclusive bound is itself outside.
func outsideBounds(f *field, below bool) any {
	bound, exclusive, step := *f.maximum, f.exclusiveMax, 1.0
	if below {
		bound, exclusive, step = *f.minimum, f.exclusiveMin, -1.0
	}
	if exclusive {
		return bound
	}
	if f.jsonType == "integer" {
		if below {
			return int(math.Ceil(bound)) - 1
		}
		return int(math.Floor(bound)) + 1
	}
	return bound + step/2
}

// breaks reports whether v breaks s's keyword for both validators; a
// value a rule layer draws for a kind is checked with it.
func breaks(s site, v any) bool {
	f := s.field
	kind, _, _ := strings.Cut(s.kind, ":")
	switch kind {
	case "type":
		return f.jsonType != "" && !typeFits(f.jsonType, jsonType(v))
	case "maxLength":
		text, ok := v.(string)
		return ok && codePoints(text) > f.maxLength
	case "minLength":
		text, ok := v.(string)
		return ok && utf16Units(text) < f.minLength
	case "required":
		return true
	}
	return slices.Contains(violations(f, v), kind)
}

// describeBreak says what a value breaks, for a report: where (a body
// path such as config.mappings[0].key, or a parameter) and how.
func describeBreak(s site, where string, v any) string {
	f := s.field
	switch kind, sent, _ := strings.Cut(s.kind, ":"); kind {
	case "type":
		return fmt.Sprintf("%s is a JSON %s (%s), not %s as the schema says", where, sent, quotedJSON(v), article(f.jsonType))
	case "enum":
		return fmt.Sprintf("%s %s is not one of the schema's enum values (%s)", where, quotedJSON(v), enumValues(f))
	case "minLength":
		if v == "" {
			return fmt.Sprintf("%s is empty, under the schema's minLength %d", where, f.minLength)
		}
		return fmt.Sprintf("%s %s is %d characters long, under the schema's minLength %d", where, quotedJSON(v), codePoints(v.(string)), f.minLength)
	case "maxLength":
		return fmt.Sprintf("%s %s is %d characters long, over the schema's maxLength %d", where, quotedJSON(v), codePoints(v.(string)), f.maxLength)
	case "pattern":
		return fmt.Sprintf("%s %s does not match the schema's pattern %s", where, quotedJSON(v), f.pattern)
	case "format":
		return fmt.Sprintf("%s %s is not in the schema's format %s", where, quotedJSON(v), f.format.name)
	case "required":
		return fmt.Sprintf("the required %s is missing", strings.TrimPrefix(where, "the "))
	case "minItems":
		return fmt.Sprintf("%s holds %d items, fewer than the schema's minItems %d", where, len(v.([]any)), f.minItems)
	case "maxItems":
		return fmt.Sprintf("%s holds %d items, more than the schema's maxItems %d", where, len(v.([]any)), f.maxItems)
	case "minimum":
		return fmt.Sprintf("%s is %v, under the schema's minimum %v", where, v, *f.minimum)
	case "maximum":
		return fmt.Sprintf("%s is %v, over the schema's maximum %v", where, v, *f.maximum)
	}
	return fmt.Sprintf("%s is %s", where, quotedJSON(v))
}

// article writes a JSON type with its article: "a string", "an object".
func article(jsonType string) string {
	if strings.ContainsRune("aeiou", rune(jsonType[0])) {
		return "an " + jsonType
	}
	return "a " + jsonType
}

func enumValues(f *field) string {
	var out []string
	for _, v := range f.enum {
		out = append(out, fmt.Sprint(v))
	}
	return strings.Join(out, ", ")
}

// quotedJSON writes a value as JSON for a report, cut short when long.
func quotedJSON(v any) string {
	if s, ok := v.(string); ok {
		return quoted(s)
	}
	return string(marshal(v))
}

// quoted writes a value for a report line, cut short when it is long.
func quoted(s string) string {
	if runes := []rune(s); len(runes) > 60 {
		return fmt.Sprintf("%q… (%d characters)", string(runes[:40]), len(runes))
	}
	return fmt.Sprintf("%q", s)
}
