package casegen

import (
	"maps"
	"reflect"
)

// Shrinking a generated case walks its request to a smaller one that still
// shows the same failure. The walker lists, for an allowed value, the
// values one step simpler that are just as allowed — by the schema and by
// the rule layer's strategies — so that a positive case stays positive
// and a broken one stays broken in the same one place: one array item
// fewer (down to the schema's and the strategy's minimum, and at least
// one), an optional property left out (one the real service needs is
// kept; one with a default only when it holds the default), a string
// shorter or plainer.

// simplerValues lists values of f one step simpler than v.
func (w walker) simplerValues(f *field, v any) []any {
	switch v := v.(type) {
	case map[string]any:
		return w.simplerObjects(f, v)
	case []any:
		return w.simplerArrays(f, v)
	case string:
		return w.simplerStrings(f, v)
	}
	return nil
}

func (w walker) simplerObjects(f *field, object map[string]any) []any {
	var out []any
	for _, p := range f.properties {
		value, sent := object[p.name]
		if !sent {
			continue
		}
		if w.droppable(p, value) {
			variant := maps.Clone(object)
			delete(variant, p.name)
			out = append(out, variant)
		}
		for _, simpler := range w.simplerValues(p.field, value) {
			variant := maps.Clone(object)
			variant[p.name] = simpler
			out = append(out, variant)
		}
	}
	return out
}

// droppable reports whether leaving p out keeps the request as allowed.
func (w walker) droppable(p property, value any) bool {
	if p.required || w.strategy(p.field).presence == alwaysPresent {
		return false
	}
	// Leaving out a property with a default sends the default.
	return p.field.def == nil || reflect.DeepEqual(p.field.def, value)
}

func (w walker) simplerArrays(f *field, items []any) []any {
	var out []any
	low, _ := w.itemBounds(f)
	if len(items) > max(low, 1) {
		for i := range items {
			variant := append(append(make([]any, 0, len(items)-1), items[:i]...), items[i+1:]...)
			out = append(out, variant)
		}
	}
	for i, item := range items {
		for _, simpler := range w.simplerValues(f.items, item) {
			variant := append([]any(nil), items...)
			variant[i] = simpler
			out = append(out, variant)
		}
	}
	return out
}

func (w walker) simplerStrings(f *field, s string) []any {
	st := w.strategy(f)
	keep := func(candidate string) bool { return st.filled || len(violations(f, candidate)) == 0 }
	var candidates []string
	if st.shrink != nil {
		candidates = st.shrink(s)
	} else {
		candidates = shorterStrings(s, "", keep)
	}
	var out []any
	for _, candidate := range candidates {
		if keep(candidate) {
			out = append(out, candidate)
		}
	}
	return out
}
