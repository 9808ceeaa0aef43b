package conformance

import (
	"fmt"
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

// Coverage tallies outcomes, counting each case once per response and once
// per rule it involved: its own, those it names besides (the upstream rule
// it is tolerated under, the one that may mask it), and those its verdicts
// rested on.
func (r *Runner) Coverage(apis []openapi.API, outcomes []Outcome) []Coverage {
	var coverage []Coverage
	for _, api := range apis {
		responses := r.responses[api]
		c := Coverage{API: api}
		responseCount, ruleCount := map[string]int{}, map[string]int{}
		counted := map[string]bool{} // case + "\x00" + rule
		count := func(caseName, rule string) {
			if key := caseName + "\x00" + rule; !counted[key] {
				counted[key] = true
				ruleCount[rule]++
			}
		}
		seen := map[string]bool{}
		for _, o := range outcomes {
			if o.API != api {
				continue
			}
			if !seen[o.Case] {
				seen[o.Case] = true
				c.Cases++
				responseCount[responseFor(responses, o.Status)]++
				rule := o.Rule
				if rule == "" {
					rule = NoRule
				}
				count(o.Case, rule)
				for _, also := range o.AlsoRules {
					count(o.Case, also)
				}
			}
			if o.VerdictRule != "" && o.Result != Skipped {
				count(o.Case, o.VerdictRule)
			}
		}
		for _, name := range append(responses, NoResponse, Undocumented) {
			if n := responseCount[name]; n > 0 || name != NoResponse && name != Undocumented {
				c.Responses = append(c.Responses, Tally{name, n})
			}
		}
		for _, rule := range rulebook.Rules(api) {
			c.Rules = append(c.Rules, Tally{rule.ID, ruleCount[rule.ID]})
		}
		if n := ruleCount[NoRule]; n > 0 {
			c.Rules = append(c.Rules, Tally{NoRule, n})
		}
		coverage = append(coverage, c)
	}
	return coverage
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
