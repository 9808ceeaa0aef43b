package casegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Generated request bodies are plain decoded JSON: map[string]any for an
// object, []any for an array, and strings, numbers and booleans. Keeping
// them as data, rather than as Go structs with one field per property,
// is what lets a property the Go code has never heard of travel from the
// schema into a request.

// path names one place in a JSON value, each step an object key (string)
// or an array index (int), and reads as reports show it:
// "config.mappings[0].key". An empty path is the value itself.
type path []any

// anyItem stands, in a field's path, for "some item of the array": a case
// picks the index, and applying it reduces the index modulo the items
// there are, since shrinking may have removed the one first picked.
const anyItem = -1

func (p path) String() string {
	var b strings.Builder
	for _, step := range p {
		switch step := step.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(step)
		case int:
			if step == anyItem {
				b.WriteString("[]")
			} else {
				fmt.Fprintf(&b, "[%d]", step)
			}
		}
	}
	if b.Len() == 0 {
		return "the body"
	}
	return b.String()
}

// child is p with one more step, in a fresh slice, so that siblings never
// share (and overwrite) one backing array.
func (p path) child(step any) path {
	return append(append(make(path, 0, len(p)+1), p...), step)
}

// clone copies a JSON value deeply, so that an edit cannot touch the
// original.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			out[k] = clone(item)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = clone(item)
		}
		return out
	}
	return v
}

// lookup returns the value at p, and whether there is one.
func lookup(v any, p path) (any, bool) {
	for _, step := range p {
		var ok bool
		if v, ok = stepInto(v, step); !ok {
			return nil, false
		}
	}
	return v, true
}

func stepInto(v any, step any) (any, bool) {
	switch step := step.(type) {
	case string:
		object, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		item, ok := object[step]
		return item, ok
	case int:
		array, ok := v.([]any)
		if !ok || len(array) == 0 {
			return nil, false
		}
		return array[itemIndex(step, len(array))], true
	}
	return nil, false
}

func itemIndex(step, n int) int {
	if step < 0 {
		return 0
	}
	return step % n
}

// with sets the value at p (creating the last key of an object) and
// returns the root, which is value itself when p is empty. It edits root
// in place: clone it first. A place that is not there is left alone.
func with(root any, p path, value any) any {
	if len(p) == 0 {
		return value
	}
	parent, ok := lookup(root, p[:len(p)-1])
	if !ok {
		return root
	}
	switch step := p[len(p)-1].(type) {
	case string:
		if object, ok := parent.(map[string]any); ok {
			object[step] = value
		}
	case int:
		if array, ok := parent.([]any); ok && len(array) > 0 {
			array[itemIndex(step, len(array))] = value
		}
	}
	return root
}

// without removes the object key at p, in place, and returns the root.
func without(root any, p path) any {
	if len(p) == 0 {
		return root
	}
	if parent, ok := lookup(root, p[:len(p)-1]); ok {
		if object, ok := parent.(map[string]any); ok {
			delete(object, fmt.Sprint(p[len(p)-1]))
		}
	}
	return root
}

// marshal writes JSON without HTML escaping, so that a saved fixture reads
// as it was sent. Object keys come out sorted, so a value always writes the
// same bytes.
func marshal(value any) []byte {
	var b bytes.Buffer
	encoder := json.NewEncoder(&b)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(value); err != nil {
		// Every value here is built from strings, numbers, maps and slices.
		panic("casegen: marshal: " + err.Error())
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// jsonType names the JSON type of a decoded value as a schema's type
// keyword would: object, array, string, integer, number, boolean, null.
func jsonType(v any) string {
	switch v := v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	case int, int64:
		return "integer"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
