package casegen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// drawChecks is how many allowed values a rule layer draws, and checks
// against the schema, when it reads a document: a schema the walker
// cannot satisfy (a pattern no string of the allowed lengths matches)
// is refused then, rather than sent as allowed.
const drawChecks = 16

// checkDraws draws allowed values of f with fixed seeds and says where
// one breaks its schema.
func (w walker) checkDraws(f *field) error {
	for i := range drawChecks {
		rng := rand.New(rand.NewPCG(uint64(i), 0))
		if err := w.check(f, w.draw(rng, f)); err != nil {
			return err
		}
	}
	return nil
}

func (w walker) check(f *field, v any) error {
	if !w.strategy(f).filled {
		if broken := violations(f, v); len(broken) > 0 {
			return fmt.Errorf("cannot draw an allowed value of %s: %s breaks its %s", f.where, quotedJSON(v), strings.Join(broken, ", "))
		}
	}
	switch v := v.(type) {
	case map[string]any:
		for _, p := range f.properties {
			if item, sent := v[p.name]; sent {
				if err := w.check(p.field, item); err != nil {
					return err
				}
			}
		}
	case []any:
		for _, item := range v {
			if err := w.check(f.items, item); err != nil {
				return err
			}
		}
	}
	return nil
}

// strategyTries is how often a strategy's value that the schema refuses is
// drawn again before the schema alone decides.
const strategyTries = 8

// draw draws a value of f both the schema and, where the rule layer has a
// strategy for f, the documents' stated rules allow.
func (w walker) draw(rng *rand.Rand, f *field) any {
	if s := w.strategy(f); s.draw != nil {
		for range strategyTries {
			if v := s.draw(rng); s.filled || len(violations(f, v)) == 0 {
				return v
			}
		}
	}
	return w.drawFromSchema(rng, f)
}

// drawFromSchema draws a value of f from its schema; nested fields still
// get their strategies.
func (w walker) drawFromSchema(rng *rand.Rand, f *field) any {
	if len(f.enum) > 0 {
		return f.enum[rng.IntN(len(f.enum))]
	}
	switch f.jsonType {
	case "object":
		object := map[string]any{}
		for _, p := range f.properties {
			if w.sends(rng, p) {
				object[p.name] = w.draw(rng, p.field)
			}
		}
		return object
	case "array":
		low, high := w.itemBounds(f)
		items := make([]any, low+rng.IntN(high-low+1))
		for i := range items {
			items[i] = w.draw(rng, f.items)
		}
		return items
	case "integer":
		low, high := integerBounds(f)
		return low + rng.IntN(high-low+1)
	case "number":
		low, high := numberBounds(f)
		return low + rng.Float64()*(high-low)
	case "boolean":
		return rng.IntN(2) == 0
	}
	return drawString(rng, f)
}

// sendingEnclosing returns body with every value enclosing the place at
// sent, drawing an allowed value of root's schema for each one it lacks,
// outermost first: an optional object, an array with at least one item.
func (w walker) sendingEnclosing(rng *rand.Rand, body any, root *field, at path) any {
	f := root
	for i, step := range at[:max(len(at)-1, 0)] {
		if f = f.child(step); f == nil {
			return body
		}
		if _, sent := lookup(body, at[:i+1]); !sent {
			body = with(body, at[:i+1], w.draw(rng, f))
		}
	}
	return body
}

// sends says whether an allowed request sends the optional property p.
func (w walker) sends(rng *rand.Rand, p property) bool {
	switch {
	case p.field.readOnly:
		// "SHOULD NOT be sent as part of the request" (OpenAPI 3.0):
		// sending one is the rule layer's open case, if any.
		return false
	case p.required:
		return true
	}
	switch w.strategy(p.field).presence {
	case alwaysPresent:
		return true
	case sometimesPresent:
		return rng.IntN(2) == 0
	}
	return rng.IntN(4) != 0
}

// itemBounds is how many items an allowed array of f holds: the
// strategy's bounds within the schema's, else at least one (so that a
// break inside an item has an item to break) and a few more.
func (w walker) itemBounds(f *field) (int, int) {
	low, high := max(f.minItems, 1), max(f.minItems, 1)+3
	if s := w.strategy(f); s.maxItems > 0 {
		low, high = max(s.minItems, f.minItems), max(s.maxItems, f.minItems)
	}
	if f.maxItems >= 0 {
		low, high = min(low, f.maxItems), min(high, f.maxItems)
	}
	return low, high
}

func integerBounds(f *field) (int, int) {
	low, high := 0, 1000
	if f.minimum != nil {
		low = int(math.Ceil(*f.minimum))
		if f.exclusiveMin && float64(low) == *f.minimum {
			low++
		}
		high = low + 1000
	}
	if f.maximum != nil {
		high = int(math.Floor(*f.maximum))
		if f.exclusiveMax && float64(high) == *f.maximum {
			high--
		}
		if f.minimum == nil {
			low = high - 1000
		}
	}
	return low, max(low, high)
}

func numberBounds(f *field) (float64, float64) {
	low, high := 0.0, 1000.0
	if f.minimum != nil {
		low, high = *f.minimum, *f.minimum+1000
	}
	if f.maximum != nil {
		high = *f.maximum
		if f.minimum == nil {
			low = high - 1000
		}
	}
	// Stay off exclusive bounds: the middle of the range is never one.
	if f.exclusiveMin || f.exclusiveMax {
		return (low + high) / 2, (low + high) / 2
	}
	return low, high
}

// drawString draws a string of f's format, else one its pattern matches,
// else free text (see randomText), of a length f allows.
func drawString(rng *rand.Rand, f *field) string {
	if f.format != nil {
		for range strategyTries {
			if text := f.format.draw(rng); fitsLength(f, text) && (f.pattern == nil || f.pattern.MatchString(text)) {
				return text
			}
		}
	}
	if f.pattern != nil {
		if text, ok := patternText(rng, f); ok {
			return text
		}
	}
	for range strategyTries {
		if text := randomText(rng); fitsLength(f, text) {
			return text
		}
	}
	return lettersOfLength(rng, f.minLength+rng.IntN(lengthSpan(f)+1))
}

// lengthSpan is how far past its minimum length a free text of f may go.
func lengthSpan(f *field) int {
	if f.maxLength >= 0 {
		return max(0, f.maxLength-f.minLength)
	}
	return 24
}

func lettersOfLength(rng *rand.Rand, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = letters[rng.IntN(len(letters))]
	}
	return string(b)
}

// The two validators count a string's length differently: kin-openapi in
// UTF-16 code units, libopenapi-validator (as JSON Schema says) in code
// points, which differ for characters outside the Basic Multilingual Plane
// such as emoji. An allowed string must be allowed by both: at least
// minLength code points, at most maxLength UTF-16 units. A break must be
// refused by both: over maxLength in code points, under minLength in
// UTF-16 units.
func codePoints(s string) int { return utf8.RuneCountInString(s) }

func utf16Units(s string) int { return len(utf16.Encode([]rune(s))) }

// fitsLength reports whether both validators take s's length for f.
func fitsLength(f *field, s string) bool {
	return codePoints(s) >= f.minLength && (f.maxLength < 0 || utf16Units(s) <= f.maxLength)
}

// violations lists the kinds of f's own keywords that a validator may
// find v to break ("type", "enum", "maxLength"…); nested fields are theirs
// to judge. An empty list means v is allowed.
func violations(f *field, v any) []string {
	if f.jsonType != "" && !typeFits(f.jsonType, jsonType(v)) {
		return []string{"type"}
	}
	var out []string
	if len(f.enum) > 0 && !inEnum(f.enum, v) {
		out = append(out, "enum")
	}
	switch v := v.(type) {
	case string:
		if codePoints(v) < f.minLength {
			out = append(out, "minLength")
		}
		if f.maxLength >= 0 && utf16Units(v) > f.maxLength {
			out = append(out, "maxLength")
		}
		if f.pattern != nil && !f.pattern.MatchString(v) {
			out = append(out, "pattern")
		}
		if f.format != nil && f.format.check(v) != nil {
			out = append(out, "format")
		}
	case []any:
		if len(v) < f.minItems {
			out = append(out, "minItems")
		}
		if f.maxItems >= 0 && len(v) > f.maxItems {
			out = append(out, "maxItems")
		}
	case map[string]any:
		for _, p := range f.properties {
			if _, sent := v[p.name]; p.required && !p.field.readOnly && !sent {
				out = append(out, "required")
				break
			}
		}
	}
	if n, ok := number(v); ok {
		if f.minimum != nil && (n < *f.minimum || f.exclusiveMin && n == *f.minimum) {
			out = append(out, "minimum")
		}
		if f.maximum != nil && (n > *f.maximum || f.exclusiveMax && n == *f.maximum) {
			out = append(out, "maximum")
		}
	}
	return out
}

// typeFits reports whether a value of JSON type got is one of want: an
// integer is a number too.
func typeFits(want, got string) bool {
	return want == got || want == "number" && got == "integer"
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

func inEnum(enum []any, v any) bool {
	for _, allowed := range enum {
		if reflect.DeepEqual(allowed, v) {
			return true
		}
		if a, ok := number(allowed); ok {
			if b, ok := number(v); ok && a == b {
				return true
			}
		}
	}
	return false
}

// enumStrings lists a string enum's values.
func enumStrings(f *field) []string {
	var out []string
	for _, v := range f.enum {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// enumList writes an enum for a report: "GENERIC, GITHUB_ACTIONS".
func enumList(f *field) string { return strings.Join(enumStrings(f), ", ") }
