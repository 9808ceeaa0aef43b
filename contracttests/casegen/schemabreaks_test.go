package casegen

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
)

// The documents as embedded, and as they would be with a field of every
// keyword the walker reads: what the walker draws is judged by both
// validators, which share none of its code.
var keywordSpecs = []struct {
	name   string
	api    openapi.API
	change func(*openapi3.T)
}{
	{"the ACS document", openapi.ACSM2M, nil},
	{"the ACS document with a property of every keyword", openapi.ACSM2M, withPropertyOfEveryKeyword},
	{"the Container Apps document", openapi.ContainerApps, nil},
	{"the Container Apps document with a query parameter of every keyword", openapi.ContainerApps, withParameterOfEveryKeyword},
}

// withPropertyOfEveryKeyword gives the ACS config a property for each
// keyword the walker reads, one of them required and one an object.
func withPropertyOfEveryKeyword(doc *openapi3.T) {
	config := doc.Components.Schemas["V1AuthMachineToMachineConfig"].Value
	inner := openapi3.NewObjectSchema().WithProperty("code", openapi3.NewStringSchema().WithMaxLength(3)).WithRequired([]string{"code"})
	for name, schema := range map[string]*openapi3.Schema{
		"kwEnum":     openapi3.NewStringSchema().WithEnum("alpha", "beta"),
		"kwPattern":  openapi3.NewStringSchema().WithPattern(`^[a-z]{3}-[0-9]{2,4}$`),
		"kwLengths":  openapi3.NewStringSchema().WithMinLength(2).WithMaxLength(5),
		"kwUUID":     openapi3.NewStringSchema().WithFormat("uuid"),
		"kwByte":     openapi3.NewBytesSchema(),
		"kwDate":     openapi3.NewStringSchema().WithFormat("date"),
		"kwDateTime": openapi3.NewDateTimeSchema(),
		"kwEmail":    openapi3.NewStringSchema().WithFormat("email"),
		"kwInteger":  openapi3.NewIntegerSchema().WithMin(1).WithMax(9),
		"kwNumber":   openapi3.NewFloat64Schema().WithMin(0.5).WithMax(2.5),
		"kwList":     openapi3.NewArraySchema().WithItems(openapi3.NewStringSchema()).WithMinItems(1).WithMaxItems(3),
		"kwFlag":     openapi3.NewBoolSchema(),
		"kwObject":   inner,
	} {
		config.Properties[name] = schema.NewRef()
	}
	config.Required = append(config.Required, "kwPattern")
	withoutExamples(doc)
}

// withParameterOfEveryKeyword gives the Container Apps operation a query
// parameter for each keyword a parameter's schema may have, one of them
// required.
func withParameterOfEveryKeyword(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		op := item.Post
		for name, schema := range map[string]*openapi3.Schema{
			"kwEnum":    openapi3.NewStringSchema().WithEnum("alpha", "beta"),
			"kwPattern": openapi3.NewStringSchema().WithPattern(`^[a-z]{3}-[0-9]{2,4}$`),
			"kwLengths": openapi3.NewStringSchema().WithMinLength(2).WithMaxLength(5),
			"kwDate":    openapi3.NewStringSchema().WithFormat("date"),
			"kwInteger": openapi3.NewIntegerSchema().WithMin(1).WithMax(9),
		} {
			p := openapi3.NewQueryParameter(name).WithSchema(schema)
			p.Required = name == "kwPattern"
			op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Value: p})
		}
	}
}

// breaksPerSite is how many times each break is drawn.
const breaksPerSite = 12

// Every break the walker lists, as the rule layer reads it (refused,
// accepted upstream or open), is a request both validators refuse, which
// differs in exactly one place from the allowed request it was made from,
// which both validators admit.
func TestEverySchemaBreakIsRefusedByBothValidatorsInExactlyOnePlace(t *testing.T) {
	for _, tc := range keywordSpecs {
		t.Run("in "+tc.name, func(t *testing.T) {
			t.Parallel()
			s := specWith(t, tc.api, tc.change)
			for _, b := range s.generator.schemaBreaks() {
				t.Run(b.field.where+" "+b.kind, func(t *testing.T) {
					for seed := range uint64(breaksPerSite) {
						// The break starts from the allowed request the
						// same random stream draws first.
						allowed, broken := s.generator.schemaBreakOf(b, seed)
						if result := s.judged(t, allowed.Request); !result.OK() {
							t.Fatalf("the allowed request a break starts from is refused: %s\n%s", result, describe(allowed.Request))
						}
						result := s.judged(t, broken.Request)
						if result.OK() || result.Disagree() {
							t.Fatalf("%q is not refused by both validators: %s\n%s", broken.Name, result, describe(broken.Request))
						}
						if n := placesThatDiffer(t, allowed.Request, broken.Request); n != 1 {
							t.Fatalf("%q differs from the allowed request in %d places, not one:\n%s\n%s", broken.Name, n, describe(allowed.Request), describe(broken.Request))
						}
					}
				})
			}
		})
	}
}

// Every request the generator says is allowed — a positive case, a race,
// a setup that must be accepted — is admitted by both validators, placeholders
// filled as a run against the reference fills them.
func TestEveryAllowedRequestIsAdmittedByBothValidators(t *testing.T) {
	for _, tc := range keywordSpecs {
		t.Run("in "+tc.name, func(t *testing.T) {
			t.Parallel()
			s := specWith(t, tc.api, tc.change)
			for seed := int64(1); seed <= 3; seed++ {
				for _, c := range s.generator.Cases(seed, 200, 0) {
					f := c.Fixture
					if f.Kind == fixture.Positive || f.Kind == fixture.Race {
						if result := s.judged(t, f.Request); !result.OK() {
							t.Fatalf("seed %d: %q is refused: %s\n%s", seed, f.Name, result, describe(f.Request))
						}
					}
					for _, step := range f.Setup {
						if len(step.Expect.Status) == 1 && step.Expect.Status[0] == "200" {
							if result := s.judged(t, step.Request); !result.OK() {
								t.Fatalf("seed %d: the setup of %q must be accepted, but is refused: %s", seed, f.Name, result)
							}
						}
					}
				}
			}
		})
	}
}

// describe writes a request for a failure message.
func describe(req fixture.Request) string {
	body := string(req.Body)
	if req.RawBody != nil {
		body = *req.RawBody
	}
	return req.Method + " " + req.Path + " " + fmtQuery(req.Query) + " " + short(body)
}

func fmtQuery(query map[string]string) string {
	data, _ := json.Marshal(query)
	return string(data)
}

func short(s string) string {
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// placesThatDiffer counts the places two requests differ in: path
// segments, query parameters, and the leaves of their JSON bodies (a
// property there in one and not the other is one place).
func placesThatDiffer(t *testing.T, a, b fixture.Request) int {
	t.Helper()
	n := 0
	segmentsA, segmentsB := strings.Split(a.Path, "/"), strings.Split(b.Path, "/")
	if len(segmentsA) != len(segmentsB) {
		t.Fatalf("paths %s and %s have different shapes", a.Path, b.Path)
	}
	for i := range segmentsA {
		if segmentsA[i] != segmentsB[i] {
			n++
		}
	}
	for name := range union(a.Query, b.Query) {
		valueA, inA := a.Query[name]
		valueB, inB := b.Query[name]
		if inA != inB || valueA != valueB {
			n++
		}
	}
	if len(a.Body) > 0 || len(b.Body) > 0 {
		var bodyA, bodyB any
		if json.Unmarshal(a.Body, &bodyA) != nil || json.Unmarshal(b.Body, &bodyB) != nil {
			t.Fatalf("bodies are not JSON:\n%s\n%s", a.Body, b.Body)
		}
		n += jsonDifferences(bodyA, bodyB)
	}
	return n
}

func union(a, b map[string]string) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func jsonDifferences(a, b any) int {
	objectA, isObjectA := a.(map[string]any)
	objectB, isObjectB := b.(map[string]any)
	if isObjectA && isObjectB {
		n := 0
		for k := range objectA {
			if _, ok := objectB[k]; !ok {
				n++
			}
		}
		for k, v := range objectB {
			if w, ok := objectA[k]; !ok {
				n++
			} else {
				n += jsonDifferences(w, v)
			}
		}
		return n
	}
	arrayA, isArrayA := a.([]any)
	arrayB, isArrayB := b.([]any)
	if isArrayA && isArrayB && len(arrayA) == len(arrayB) {
		n := 0
		for i := range arrayA {
			n += jsonDifferences(arrayA[i], arrayB[i])
		}
		return n
	}
	if reflect.DeepEqual(a, b) {
		return 0
	}
	return 1
}
