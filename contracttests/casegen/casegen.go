// Package casegen generates conformance cases from the specs' schemas and
// the documents' rules: requests the documents allow, which a target must
// accept, and requests broken in exactly one place, which it must refuse.
//
// A walker reads the operation's schemas from the loaded document — the
// ACS request body and everything it refers to, the Container Apps path
// and query parameters — and draws every value from them: types, enums,
// formats, patterns, lengths, item bounds, required properties and
// defaults. The rules a document states in words, which no schema keyword
// carries, live in a rule layer per API that registers strategies for
// the fields they speak of and reads each schema break as refused,
// accepted by the real service (a warning) or open. What the rule layer
// does not know — a property or an enum value a new version of the
// document adds — comes from the schema alone, so a change to the spec
// changes the cases without a change to this package.
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

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
)

// Generator draws the cases of one API from one document. It only reads
// its fields after New, so cases (and their Simpler) may be used from
// several goroutines.
type Generator struct {
	api openapi.API
	// One rule layer per API: m2m for ACS, tokens for Container Apps.
	m2m    *m2mRules
	tokens *tokenRules
}

// New reads the API's operation from doc and checks that the rule layer
// finds the fields its rules speak of, and that the walker can draw an
// allowed request from every schema in it.
func New(api openapi.API, doc *openapi3.T) (*Generator, error) {
	op, err := readOperation(doc)
	if err != nil {
		return nil, fmt.Errorf("casegen %s: %w", api, err)
	}
	g := &Generator{api: api}
	switch api {
	case openapi.ACSM2M:
		g.m2m, err = newM2MRules(op)
	case openapi.ContainerApps:
		g.tokens, err = newTokenRules(op)
	default:
		err = fmt.Errorf("no rules for API %q", api)
	}
	if err != nil {
		return nil, fmt.Errorf("casegen %s: %w", api, err)
	}
	return g, nil
}

// Cases returns n cases drawn from seed. firstIndex numbers them after the
// cases already loaded.
func (g *Generator) Cases(seed int64, n, firstIndex int) []conformance.Case {
	cases := make([]conformance.Case, 0, n)
	for c := range g.List(seed, n).All() {
		c.Index += firstIndex
		cases = append(cases, c)
	}
	return cases
}

// List is the n cases drawn from seed, each drawn when a run reaches it:
// case i depends on the seed and i alone.
func (g *Generator) List(seed int64, n int) conformance.CaseList {
	return conformance.NewCaseList(n, func(i int) conformance.Case {
		return g.draw(caseRand(g.api, seed, i), fmt.Sprintf("generated %03d: ", i+1))
	})
}

// draw draws one case, its name starting with prefix.
func (g *Generator) draw(rng *rand.Rand, prefix string) conformance.Case {
	if g.m2m != nil {
		return toCase(g.api, prefix, g.m2m.newCase(rng))
	}
	return toCase(g.api, prefix, g.tokens.newCase(rng))
}

// Generate returns n cases of api drawn from seed and the embedded
// document. firstIndex numbers them after the cases already loaded.
func Generate(api openapi.API, seed int64, n, firstIndex int) []conformance.Case {
	g, err := embedded(api)
	if err != nil {
		// The embedded documents are part of the binary, and the tests
		// read them: a failure here is a broken build.
		panic(err)
	}
	return g.Cases(seed, n, firstIndex)
}

// List is n cases of api drawn from seed and the embedded document, each
// drawn when a run reaches it.
func List(api openapi.API, seed int64, n int) conformance.CaseList {
	g, err := embedded(api)
	if err != nil {
		panic(err) // as in Generate
	}
	return g.List(seed, n)
}

// embedded is the generator over the API's embedded document.
func embedded(api openapi.API) (*Generator, error) {
	spec, err := openapi.Spec(api)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("load the %s document: %w", api, err)
	}
	return New(api, doc)
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
