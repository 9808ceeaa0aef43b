// Package casegen generates conformance cases from the specs' schemas and
// the documents' rules: requests the documents allow, which a target must
// accept, and requests broken in exactly one place, which it must refuse.
//
// Every choice comes from the seed, so a seed names a run's cases exactly;
// case i depends only on the seed, the API and i, so fewer cases are a
// prefix of more. Each generated case knows its simpler variants, which
// conformance.Runner.Shrink walks to a minimal failing request.
package casegen

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
)

// Generate returns n cases of api drawn from seed. firstIndex numbers them
// after the cases already loaded.
func Generate(api openapi.API, seed int64, n, firstIndex int) []conformance.Case {
	cases := make([]conformance.Case, 0, n)
	for i := range n {
		rng := caseRand(api, seed, i)
		name := fmt.Sprintf("generated %03d: ", i+1)
		var c conformance.Case
		switch api {
		case openapi.ContainerApps:
			c = toCase(api, name, newContainerAppsCase(rng))
		case openapi.ACSM2M:
			c = toCase(api, name, newM2MCase(rng))
		default:
			return nil
		}
		c.Index = firstIndex + i
		cases = append(cases, c)
	}
	return cases
}

// caseRand is the random source of one case: a PCG stream keyed by the
// seed, the API and the case's number.
func caseRand(api openapi.API, seed int64, i int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(api))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()^uint64(i)))
}

// generated is what both APIs' case models offer: the fixture they render
// (its name starting with prefix) and their simpler variants.
type generated[T any] interface {
	fixture(prefix string) fixture.Fixture
	simpler() []T
}

func toCase[T generated[T]](api openapi.API, prefix string, g T) conformance.Case {
	f := g.fixture(prefix)
	f.Sentence = rulebook.MustFind(api, f.Rule).Sentence
	return conformance.Case{API: api, Fixture: f, Simpler: func() []conformance.Case {
		var out []conformance.Case
		for _, variant := range g.simpler() {
			out = append(out, toCase(api, prefix, variant))
		}
		return out
	}}
}
