package conformance

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
)

// Coverage says, for one API, which documented responses the target gave
// and which documented rules the cases exercised, with how many cases each.
type Coverage struct {
	API   openapi.API `json:"api"`
	Cases int         `json:"cases"`
	// Responses lists every response the document gives the operation
	// ("200", "404", "default"), then any other answer seen.
	Responses []Tally `json:"responses"`
	// Rules lists every rule of the rulebook, in its order, then cases that
	// name no rule.
	Rules []Tally `json:"rules"`
}

// Tally is how many cases fell under one name; zero means not exercised.
type Tally struct {
	Name  string `json:"name"`
	Cases int    `json:"cases"`
}

// Names of tallies that are not a documented response or rule.
const (
	NoResponse   = "no response"
	Undocumented = "undocumented"
	NoRule       = "no rule named"
)

// CoverageTally counts a run's cases as they finish, so that a run's
// coverage is known without keeping its outcomes. It counts each case once
// per response and once per rule it involved: its own, those it names
// besides (the upstream rule it is tolerated under, the one that may mask
// it), and those its verdicts rested on.
type CoverageTally struct {
	apis      []openapi.API
	responses map[openapi.API][]string
	cases     map[openapi.API]int
	// byResponse and byRule count cases per API and name.
	byResponse map[openapi.API]map[string]int
	byRule     map[openapi.API]map[string]int
}

// NewCoverageTally starts the tally of the given APIs' cases.
func (r *Runner) NewCoverageTally(apis []openapi.API) *CoverageTally {
	t := &CoverageTally{apis: apis, responses: r.responses, cases: map[openapi.API]int{},
		byResponse: map[openapi.API]map[string]int{}, byRule: map[openapi.API]map[string]int{}}
	for _, api := range apis {
		t.byResponse[api], t.byRule[api] = map[string]int{}, map[string]int{}
	}
	return t
}

// Add counts one case from its outcomes (all of them the same case's). A
// case with no outcomes (none of its checks selected) is not counted.
func (t *CoverageTally) Add(outcomes []Outcome) {
	if len(outcomes) == 0 || t.byRule[outcomes[0].API] == nil {
		return
	}
	first := outcomes[0]
	t.cases[first.API]++
	t.byResponse[first.API][responseFor(t.responses[first.API], first.Status)]++
	rules := []string{cmp.Or(first.Rule, NoRule)}
	rules = append(rules, first.AlsoRules...)
	for _, o := range outcomes {
		if o.VerdictRule != "" && o.Result != Skipped {
			rules = append(rules, o.VerdictRule)
		}
	}
	slices.Sort(rules)
	for _, rule := range slices.Compact(rules) {
		t.byRule[first.API][rule]++
	}
}

// Coverage is the tally so far, an entry per API: every documented
// response and every rule of the rulebook, with zero for those no case
// exercised.
func (t *CoverageTally) Coverage() []Coverage {
	var coverage []Coverage
	for _, api := range t.apis {
		c := Coverage{API: api, Cases: t.cases[api]}
		for _, name := range append(slices.Clone(t.responses[api]), NoResponse, Undocumented) {
			if n := t.byResponse[api][name]; n > 0 || name != NoResponse && name != Undocumented {
				c.Responses = append(c.Responses, Tally{name, n})
			}
		}
		for _, rule := range rulebook.Rules(api) {
			c.Rules = append(c.Rules, Tally{rule.ID, t.byRule[api][rule.ID]})
		}
		if n := t.byRule[api][NoRule]; n > 0 {
			c.Rules = append(c.Rules, Tally{NoRule, n})
		}
		coverage = append(coverage, c)
	}
	return coverage
}

// Coverage tallies a run's outcomes, in which each case's outcomes come
// together, as a CoverageTally does.
func (r *Runner) Coverage(apis []openapi.API, outcomes []Outcome) []Coverage {
	tally := r.NewCoverageTally(apis)
	for start := 0; start < len(outcomes); {
		end := start + 1
		for end < len(outcomes) && outcomes[end].API == outcomes[start].API && outcomes[end].Case == outcomes[start].Case {
			end++
		}
		tally.Add(outcomes[start:end])
		start = end
	}
	return tally.Coverage()
}

// documentedResponses lists the response keys of the document's
// operations, numbers first, "default" last, and those the document gives
// no content (Container Apps' 404), which may come with any body or none.
func documentedResponses(v *validation.Validator) (keys []string, bodiless map[string]bool) {
	seen, bodiless := map[string]bool{}, map[string]bool{}
	for _, item := range v.Document().Paths.Map() {
		for _, op := range item.Operations() {
			for key, response := range op.Responses.Map() {
				if !seen[key] {
					seen[key] = true
					keys = append(keys, key)
				}
				if response.Value != nil && len(response.Value.Content) == 0 {
					bodiless[key] = true
				}
			}
		}
	}
	// "default" sorts after every status code.
	sort.Strings(keys)
	return keys, bodiless
}

// configTypeSchema is the schema of the ACS config's type enum.
const configTypeSchema = "V1AuthMachineToMachineConfigType"

// enumOf reads a string enum of the document, in the document's order.
func enumOf(v *validation.Validator, schema string) ([]string, error) {
	ref := v.Document().Components.Schemas[schema]
	if ref == nil || ref.Value == nil {
		return nil, fmt.Errorf("%s document has no schema %s", v.API(), schema)
	}
	var names []string
	for _, value := range ref.Value.Enum {
		name, ok := value.(string)
		if !ok {
			return nil, fmt.Errorf("%s document: enum %s holds %v, not a string", v.API(), schema, value)
		}
		names = append(names, name)
	}
	return names, nil
}

func responseFor(documented []string, status int) string {
	if status == 0 {
		return NoResponse
	}
	code := strconv.Itoa(status)
	hasDefault := false
	for _, name := range documented {
		if name == code {
			return name
		}
		hasDefault = hasDefault || name == "default"
	}
	if hasDefault {
		return "default"
	}
	return Undocumented
}
