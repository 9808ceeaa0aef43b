package casegen

import (
	"math/rand/v2"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// schemaBreaks lists every schema break the generator's rule layer
// draws cases from, whatever it makes of them.
func (g *Generator) schemaBreaks() []ruledBreak {
	if g.m2m != nil {
		var out []ruledBreak
		for _, field := range g.m2m.refused {
			out = append(out, field...)
		}
		return append(append(out, g.m2m.tolerated...), g.m2m.open...)
	}
	var out []ruledBreak
	for _, param := range g.tokens.refused {
		out = append(out, param...)
	}
	return out
}

// schemaBreakOf draws the case of break b from seed, and the allowed
// request it starts from: for ACS the case's own body left unbroken, for
// Container Apps the parameters the same random stream draws first.
func (g *Generator) schemaBreakOf(b ruledBreak, seed uint64) (allowed, broken fixture.Fixture) {
	stream := func() *rand.Rand { return rand.New(rand.NewPCG(seed, 1)) }
	if g.m2m != nil {
		c := g.m2m.schemaBreak(stream(), b)
		unbroken := g.m2m.caseOf(stream(), about{})
		unbroken.body = c.body
		return unbroken.fixture(""), c.fixture("")
	}
	return g.tokens.caseOf(stream(), about{}).fixture(""), g.tokens.schemaBreak(stream(), b).fixture("")
}
