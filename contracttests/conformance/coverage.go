package conformance

import (
	"sort"
	"strconv"

	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/contracttests/validation"
	"github.com/authcontract/authcontract/openapi"
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

// Coverage tallies outcomes, counting each case once.
func (r *Runner) Coverage(apis []openapi.API, outcomes []Outcome) []Coverage {
	var coverage []Coverage
	for _, api := range apis {
		responses := r.responses[api]
		c := Coverage{API: api}
		responseCount, ruleCount := map[string]int{}, map[string]int{}
		seen := map[string]bool{}
		for _, o := range outcomes {
			if o.API != api || seen[o.Case] {
				continue
			}
			seen[o.Case] = true
			c.Cases++
			responseCount[responseFor(responses, o.Status)]++
			rule := o.Rule
			if rule == "" {
				rule = NoRule
			}
			ruleCount[rule]++
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
// operations, numbers first, "default" last.
func documentedResponses(v *validation.Validator) []string {
	keys := map[string]bool{}
	for _, item := range v.Document().Paths.Map() {
		for _, op := range item.Operations() {
			for key := range op.Responses.Map() {
				keys[key] = true
			}
		}
	}
	list := make([]string, 0, len(keys))
	for key := range keys {
		list = append(list, key)
	}
	// "default" sorts after every status code.
	sort.Strings(list)
	return list
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
