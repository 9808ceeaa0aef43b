package casegen

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"regexp/syntax"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// operation is what a document says a request to its operation is: the
// method, the path template, the parameters and the JSON body, each
// described by its schema. Cases are drawn from it and from nothing else
// the Go code restates.
type operation struct {
	method string
	// path is the template, parameters written {name}.
	path   string
	params []param
	// body is nil when the operation takes no JSON body.
	body *field
}

// param is one parameter: where it goes, whether it must be sent, and its
// schema.
type param struct {
	in       string // path, query or header
	name     string
	required bool
	field    *field
}

// field is one value a request carries, as its schema describes it: the
// body, a property, an array's items, or a parameter. Only the keywords
// below are read; a schema that relies on others (allOf, oneOf…) is
// refused when the document is read rather than drawn from wrongly.
type field struct {
	// name is where the field sits, an array's items written "[]"
	// ("config.mappings[].key"), or a parameter's name. The rule layer
	// registers its strategies under it.
	name string
	// at is the same place as a path, an array's items as anyItem. A
	// parameter has none: it is not inside the body.
	at path
	// where says it in a report: "config.mappings[].key", "the query
	// parameter api-version".
	where string

	jsonType string // "" when the schema names none
	enum     []any
	def      any
	readOnly bool

	format    *stringFormat // nil for none, or one casegen does not know
	pattern   *regexp.Regexp
	patternRE *syntax.Regexp // parsed, to draw strings that match
	minLength int
	maxLength int // -1 for none

	minItems, maxItems int // maxItems -1 for none
	minimum, maximum   *float64
	exclusiveMin       bool
	exclusiveMax       bool

	properties []property // sorted by name
	items      *field
}

// property is one named property of an object field.
type property struct {
	name     string
	required bool
	field    *field
}

// maxSchemaDepth bounds how deep the walker follows nested schemas: a
// schema that refers to itself would otherwise never end.
const maxSchemaDepth = 32

// readOperation reads the document's one operation. Both documents
// describe exactly one, and a case generator for several would need to
// know which one a rule speaks of.
func readOperation(doc *openapi3.T) (*operation, error) {
	if doc == nil || doc.Paths == nil {
		return nil, errors.New("the document has no paths")
	}
	var found []*operation
	for _, template := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(template)
		for method, op := range item.Operations() {
			read, err := readOne(method, template, item, op)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, template, err)
			}
			found = append(found, read)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("the document describes %d operations; casegen draws cases for a document with exactly one", len(found))
	}
	return found[0], nil
}

func readOne(method, template string, item *openapi3.PathItem, op *openapi3.Operation) (*operation, error) {
	read := &operation{method: method, path: template}
	// An operation's parameter overrides the path item's of the same name
	// and place.
	params := map[string]*openapi3.Parameter{}
	var order []string
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				return nil, errors.New("a parameter is not resolved")
			}
			key := ref.Value.In + " " + ref.Value.Name
			if _, seen := params[key]; !seen {
				order = append(order, key)
			}
			params[key] = ref.Value
		}
	}
	names := map[string]bool{}
	for _, key := range order {
		p := params[key]
		switch p.In {
		case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInHeader:
		default:
			return nil, fmt.Errorf("parameter %s is in %s; casegen sends path, query and header parameters only", p.Name, p.In)
		}
		if names[p.Name] {
			return nil, fmt.Errorf("two parameters are named %s", p.Name)
		}
		names[p.Name] = true
		if p.Schema == nil {
			return nil, fmt.Errorf("parameter %s has no schema", p.Name)
		}
		f, err := readField(p.Name, nil, fmt.Sprintf("the %s parameter %s", p.In, p.Name), p.Schema, 0)
		if err != nil {
			return nil, err
		}
		read.params = append(read.params, param{in: p.In, name: p.Name, required: p.Required || p.In == openapi3.ParameterInPath, field: f})
	}
	if op.RequestBody != nil {
		if op.RequestBody.Value == nil {
			return nil, errors.New("the request body is not resolved")
		}
		media := op.RequestBody.Value.Content.Get("application/json")
		if media == nil || media.Schema == nil {
			return nil, errors.New("the request body has no application/json schema")
		}
		body, err := readField("", path{}, "the body", media.Schema, 0)
		if err != nil {
			return nil, err
		}
		read.body = body
	}
	return read, nil
}

// readField reads one schema, and those nested in it, into a field.
func readField(name string, at path, where string, ref *openapi3.SchemaRef, depth int) (*field, error) {
	if depth > maxSchemaDepth {
		return nil, fmt.Errorf("%s: schemas nest deeper than %d (does one refer to itself?)", where, maxSchemaDepth)
	}
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s: the schema is not resolved", where)
	}
	s := ref.Value
	if len(s.AllOf)+len(s.AnyOf)+len(s.OneOf) > 0 || s.Not != nil {
		return nil, fmt.Errorf("%s: the schema combines schemas (allOf, anyOf, oneOf or not), which casegen does not read", where)
	}
	f := &field{
		name: name, at: at, where: where,
		enum: s.Enum, def: s.Default, readOnly: s.ReadOnly,
		minLength: int(s.MinLength), maxLength: -1,
		minItems: int(s.MinItems), maxItems: -1,
		minimum: s.Min, maximum: s.Max,
		exclusiveMin: s.ExclusiveMin.IsTrue(), exclusiveMax: s.ExclusiveMax.IsTrue(),
	}
	if s.Type != nil {
		types := slices.DeleteFunc(s.Type.Slice(), func(t string) bool { return t == openapi3.TypeNull })
		if len(types) > 1 {
			return nil, fmt.Errorf("%s: the schema allows the types %v; casegen reads one", where, types)
		}
		if len(types) == 1 {
			f.jsonType = types[0]
		}
	}
	if s.MaxLength != nil {
		f.maxLength = int(*s.MaxLength)
	}
	if s.MaxItems != nil {
		f.maxItems = int(*s.MaxItems)
	}
	if s.Format != "" {
		f.format = formats()[s.Format]
	}
	if s.Pattern != "" {
		var err error
		if f.pattern, err = regexp.Compile(s.Pattern); err != nil {
			return nil, fmt.Errorf("%s: pattern %q: %w", where, s.Pattern, err)
		}
		if f.patternRE, err = syntax.Parse(s.Pattern, syntax.Perl); err != nil {
			return nil, fmt.Errorf("%s: pattern %q: %w", where, s.Pattern, err)
		}
	}
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	for _, propName := range slices.Sorted(maps.Keys(s.Properties)) {
		childName := propName
		if name != "" {
			childName = name + "." + propName
		}
		child, err := readField(childName, at.child(propName), childName, s.Properties[propName], depth+1)
		if err != nil {
			return nil, err
		}
		f.properties = append(f.properties, property{name: propName, required: required[propName], field: child})
	}
	if s.Items != nil {
		itemsName := name + "[]"
		var itemsAt path
		if at != nil {
			itemsAt = at.child(anyItem)
		}
		items, err := readField(itemsName, itemsAt, itemsName, s.Items, depth+1)
		if err != nil {
			return nil, err
		}
		f.items = items
	}
	return f, nil
}

// find returns the field named name under f (f itself for its own name).
func (f *field) find(name string) *field {
	if f == nil {
		return nil
	}
	if f.name == name {
		return f
	}
	for _, p := range f.properties {
		if found := p.field.find(name); found != nil {
			return found
		}
	}
	return f.items.find(name)
}

// child is the field one step of a body path leads to from f: a
// property's for a name, the items' for an index; nil when f has none.
func (f *field) child(step any) *field {
	if _, isIndex := step.(int); isIndex {
		return f.items
	}
	for _, p := range f.properties {
		if p.name == step {
			return p.field
		}
	}
	return nil
}

// each calls visit for f and every field nested in it, parents first,
// properties in name order: the order sites of breaks are listed in, so
// that a seed always names the same ones.
func (f *field) each(visit func(*field)) {
	if f == nil {
		return
	}
	visit(f)
	for _, p := range f.properties {
		p.field.each(visit)
	}
	f.items.each(visit)
}

// param returns the operation's parameter named name.
func (op *operation) param(name string) *param {
	for i := range op.params {
		if op.params[i].name == name {
			return &op.params[i]
		}
	}
	return nil
}
