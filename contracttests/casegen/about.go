package casegen

import (
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
)

// about is what every generated case says of itself: its kind, the rule it
// exercises and its grounds, its title (for a negative case, the one thing
// it breaks, which reports quote) and what the answer must be.
type about struct {
	kind      fixture.Kind
	rule      string
	grounds   rulebook.Grounds
	title     string
	status    fixture.Status
	semantics []string
	// acceptedUpstream names the upstream rule under which the real
	// service accepts a negative case: accepting it is a warning.
	acceptedUpstream string
	// maskedBy is a refusal that state on the target may give instead of
	// the rule a negative case probes; runFirst probes it before this run
	// creates that state.
	maskedBy *fixture.Mask
	runFirst bool
	// copies is how many times a race case sends its request at once.
	copies int
}

// fixture is the case as a fixture named prefix + title, sending req.
func (a about) fixture(prefix string, req fixture.Request) fixture.Fixture {
	f := fixture.Fixture{
		Name:     prefix + a.title,
		Rule:     a.rule,
		Grounds:  a.grounds,
		Kind:     a.kind,
		RunFirst: a.runFirst,
		Request:  req,
		Copies:   a.copies,
		Expect:   fixture.Expect{Status: a.status, Semantics: a.semantics, AcceptedUpstream: a.acceptedUpstream, MaskedBy: a.maskedBy},
	}
	if a.kind == fixture.Negative {
		f.Expect.Broken = a.title
	}
	return f
}
