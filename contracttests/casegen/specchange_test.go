package casegen

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
)

// casesPerChange is how many cases each changed spec draws: enough that a
// break of one keyword of one field turns up several times.
const casesPerChange = 3000

// A change to a copy of a spec, made in memory, shows in the generated
// cases with no change to Go: the walker reads the new keyword, and the
// rule layer, which does not know it, leaves it to the schema.
func TestCasesFollowAChangedSpec(t *testing.T) {
	config := func(t *testing.T, doc *openapi3.T) *openapi3.Schema {
		return componentSchema(t, doc, "V1AuthMachineToMachineConfig")
	}
	cases := []struct {
		name   string
		api    openapi.API
		change func(t *testing.T, doc *openapi3.T)
		// check looks at the cases of the changed spec; before at those
		// of the embedded one, to show the change is what made them so.
		check, before func(t *testing.T, s spec, cases []conformance.Case)
	}{
		{
			name: "a type the enum gains is sent as an open case, never as an unknown type",
			api:  openapi.ACSM2M,
			change: func(t *testing.T, doc *openapi3.T) {
				enum := componentSchema(t, doc, "V1AuthMachineToMachineConfigType")
				enum.Enum = append(enum.Enum, "GITLAB")
			},
			check: func(t *testing.T, s spec, cases []conformance.Case) {
				open := 0
				for _, c := range cases {
					if sentType(c) != "GITLAB" {
						continue
					}
					if c.Fixture.Kind != fixture.Tolerant || c.Fixture.Rule != rulebook.TypeEnum {
						t.Fatalf("%q sends type GITLAB as a %s case of %s, not an open type-enum case", c.Name(), c.Fixture.Kind, c.Fixture.Rule)
					}
					open++
				}
				if open == 0 {
					t.Fatal("no case sends the new type GITLAB")
				}
			},
			before: func(t *testing.T, s spec, cases []conformance.Case) {
				for _, c := range cases {
					if sentType(c) == "GITLAB" && c.Fixture.Expect.AcceptedUpstream == rulebook.UnknownTypeIgnored {
						return
					}
				}
				t.Fatal("before the change, no case sent GITLAB as a type outside the enum")
			},
		},
		{
			name: "a string property with maxLength 10 is sent within it, and over it in a break",
			api:  openapi.ACSM2M,
			change: func(t *testing.T, doc *openapi3.T) {
				config(t, doc).Properties["audience"] = openapi3.NewStringSchema().WithMaxLength(10).NewRef()
			},
			check: func(t *testing.T, s spec, cases []conformance.Case) {
				allowed, over := 0, 0
				for _, c := range cases {
					audience, sent := sentAudience(c)
					switch {
					case !sent:
					case c.Fixture.Kind == fixture.Positive:
						if utf8.RuneCountInString(audience) > 10 {
							t.Fatalf("%q sends audience %q, over 10 characters", c.Name(), audience)
						}
						if result := s.judged(t, c.Fixture.Request); !result.OK() {
							t.Fatalf("%q is refused by the changed spec: %s", c.Name(), result)
						}
						allowed++
					case utf8.RuneCountInString(audience) > 10:
						if c.Fixture.Kind != fixture.Negative || c.Fixture.Rule != rulebook.SchemaConstraint || c.Grounds() != rulebook.Schema {
							t.Fatalf("%q sends audience over 10 characters as a %s case of %s", c.Name(), c.Fixture.Kind, c.Fixture.Rule)
						}
						if result := s.judged(t, c.Fixture.Request); result.OK() || result.Disagree() {
							t.Fatalf("%q is not refused by both validators: %s", c.Name(), result)
						}
						over++
					}
				}
				if allowed == 0 || over == 0 {
					t.Fatalf("%d allowed configs send audience, %d breaks send it over 10 characters; want some of each", allowed, over)
				}
			},
		},
		{
			name: "a newly required property is in every allowed config, and missing in a break",
			api:  openapi.ACSM2M,
			change: func(t *testing.T, doc *openapi3.T) {
				c := config(t, doc)
				c.Properties["audience"] = openapi3.NewStringSchema().NewRef()
				c.Required = append(c.Required, "audience")
				// The document's examples lack it, and would no longer
				// load; they are not what this change is about.
				withoutExamples(doc)
			},
			check: func(t *testing.T, s spec, cases []conformance.Case) {
				missing := 0
				for _, c := range cases {
					_, sent := sentAudience(c)
					switch {
					case c.Fixture.Kind == fixture.Positive || c.Fixture.Kind == fixture.Race:
						if !sent {
							t.Fatalf("%q is allowed but does not send the required audience", c.Name())
						}
						if result := s.judged(t, c.Fixture.Request); !result.OK() {
							t.Fatalf("%q is refused by the changed spec: %s", c.Name(), result)
						}
					case strings.Contains(c.Fixture.Expect.Broken, "required property config.audience is missing"):
						if sent || c.Fixture.Rule != rulebook.SchemaConstraint {
							t.Fatalf("%q claims audience is missing, sends it: %v, rule %s", c.Name(), sent, c.Fixture.Rule)
						}
						if result := s.judged(t, c.Fixture.Request); result.OK() || result.Disagree() {
							t.Fatalf("%q is not refused by both validators: %s", c.Name(), result)
						}
						missing++
					}
				}
				if missing == 0 {
					t.Fatal("no case leaves the required audience out")
				}
			},
		},
		{
			name: "a changed maxLength of resourceGroupName moves the over-length break",
			api:  openapi.ContainerApps,
			change: func(t *testing.T, doc *openapi3.T) {
				groupSchema(t, doc).WithMaxLength(40)
			},
			check: func(t *testing.T, s spec, cases []conformance.Case) {
				checkGroupLengths(t, s, cases, 40)
			},
			before: func(t *testing.T, s spec, cases []conformance.Case) {
				checkGroupLengths(t, s, cases, 90)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			changed := specWith(t, tc.api, func(doc *openapi3.T) { tc.change(t, doc) })
			tc.check(t, changed, changed.generator.Cases(1, casesPerChange, 0))
			if tc.before != nil {
				embedded := specWith(t, tc.api, nil)
				tc.before(t, embedded, embedded.generator.Cases(1, casesPerChange, 0))
			}
		})
	}
}

// withoutExamples drops the examples of every request and response body.
func withoutExamples(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil {
				for _, media := range op.RequestBody.Value.Content {
					media.Examples = nil
				}
			}
			for _, response := range op.Responses.Map() {
				for _, media := range response.Value.Content {
					media.Examples = nil
				}
			}
		}
	}
}

func groupSchema(t *testing.T, doc *openapi3.T) *openapi3.Schema {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, p := range item.Post.Parameters {
			if p.Value.Name == groupParam {
				return p.Value.Schema.Value
			}
		}
	}
	t.Fatal("no resourceGroupName parameter")
	return nil
}

// checkGroupLengths checks that the over-length breaks of the resource
// group name are just over longest, refused by both validators, and that
// the names of groups a target does not have stay within it.
func checkGroupLengths(t *testing.T, s spec, cases []conformance.Case, longest int) {
	t.Helper()
	over := 0
	for _, c := range cases {
		group := sentGroup(t, c)
		switch {
		case strings.Contains(c.Fixture.Expect.Broken, "maxLength"):
			if n := utf8.RuneCountInString(group); n <= longest || n > 2*longest+8 {
				t.Fatalf("%q sends a group name of %d characters, not just over %d", c.Name(), n, longest)
			}
			if result := s.judged(t, c.Fixture.Request); result.OK() || result.Disagree() {
				t.Fatalf("%q is not refused by both validators: %s", c.Name(), result)
			}
			over++
		case c.Fixture.Kind == fixture.Documented && strings.Contains(c.Fixture.Name, "resource group"):
			if n := utf8.RuneCountInString(group); n > longest {
				t.Fatalf("%q names a group of %d characters, over the maxLength %d", c.Name(), n, longest)
			}
		}
	}
	if over == 0 {
		t.Fatalf("no case sends a resource group name over %d characters", longest)
	}
}

func sentGroup(t *testing.T, c conformance.Case) string {
	t.Helper()
	segments := strings.Split(c.Fixture.Request.Path, "/")
	if len(segments) < 5 {
		t.Fatalf("%q: path %s has no resource group", c.Name(), c.Fixture.Request.Path)
	}
	group, err := url.PathUnescape(segments[4])
	if err != nil {
		t.Fatal(err)
	}
	return group
}

func sentType(c conformance.Case) string {
	config, _ := sentConfig(c.Fixture.Request.Body)
	return fmt.Sprint(config["type"])
}

func sentAudience(c conformance.Case) (string, bool) {
	config, ok := sentConfig(c.Fixture.Request.Body)
	if !ok {
		return "", false
	}
	audience, sent := config["audience"]
	text, _ := audience.(string)
	return text, sent
}
