package casegen

import "github.com/authcontract/authcontract/contracttests/fixture"

// about is what every generated case says of itself: its kind, the rule it
// exercises, its title (for a negative case, the one thing it breaks, which
// reports quote) and what the answer must be.
type about struct {
	kind      fixture.Kind
	rule      string
	title     string
	status    fixture.Status
	semantics []string
}

// fixture is the case as a fixture named prefix + title, sending req.
func (a about) fixture(prefix string, req fixture.Request) fixture.Fixture {
	f := fixture.Fixture{
		Name:    prefix + a.title,
		Rule:    a.rule,
		Kind:    a.kind,
		Request: req,
		Expect:  fixture.Expect{Status: a.status, Semantics: a.semantics},
	}
	if a.kind == fixture.Negative {
		f.Expect.Broken = a.title
	}
	return f
}
