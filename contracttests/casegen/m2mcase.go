package casegen

import (
	"fmt"
	"net/http"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// m2mPath is the ACS operation's only path.
const m2mPath = "/v1/auth/m2m"

// m2mCase is one generated AddAuthMachineToMachineConfig exchange: a valid
// config, and for a negative case the one thing that breaks it.
type m2mCase struct {
	about
	config m2mConfig
	breaks m2mBreak
	// method is "" for POST, the operation's method.
	method string
	// setup, when set, is an add sent first, with the case's issuer: one
	// that takes the issuer (uniqueness cases) or one that is refused
	// (a refusal leaves no trace). setupStatus is what its answer may be.
	setup       *m2mCase
	setupStatus fixture.Status
}

// m2mBreak breaks a request in one place: the config, the JSON body, the
// bytes on the wire, or the headers. The zero value breaks nothing.
type m2mBreak struct {
	config  func(*m2mConfig)
	body    func(map[string]any) any
	raw     func([]byte) []byte
	headers map[string]string
	auth    string
	// replacesBody is set when the break sends a body of its own, so that
	// the config is not sent and there is nothing in it to shrink.
	replacesBody bool
	// rawKeepsJSON is set when raw leaves well-formed JSON that a fixture
	// can hold as its body (and read back with encoding/json).
	rawKeepsJSON bool
	// droppable is set when the request is as valid without the change
	// (a huge value in an open case): shrinking then tries it without.
	droppable bool
	// probesGitHub is set when the break makes a GITHUB_ACTIONS config
	// whose verdict an existing one could mask.
	probesGitHub bool
}

// request renders config, broken as the case says.
func (c m2mCase) request(config m2mConfig) fixture.Request {
	config = config.clone()
	if c.breaks.config != nil {
		c.breaks.config(&config)
	}
	var body any = map[string]any{"config": config.object()}
	if c.breaks.body != nil {
		body = c.breaks.body(body.(map[string]any))
	}
	data := marshal(body)
	if c.breaks.raw != nil {
		data = c.breaks.raw(data)
	}
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	req := fixture.Request{Method: method, Path: m2mPath, Auth: c.breaks.auth, Headers: c.breaks.headers}
	// Only a raw break can make the bytes something other than JSON.
	if len(data) > 0 && (c.breaks.raw == nil || c.breaks.rawKeepsJSON) {
		req.Body = data
	} else {
		raw := string(data)
		req.RawBody = &raw
	}
	return req
}

func (c m2mCase) fixture(prefix string) fixture.Fixture {
	f := c.about.fixture(prefix, c.request(c.config))
	if c.setup != nil {
		f.Setup = []fixture.Exchange{{
			Request: c.setup.request(c.setup.config),
			Expect:  fixture.Expect{Status: c.setupStatus},
		}}
	}
	return f
}

// simpler lists the case with its config one step simpler; what breaks it,
// and any setup, stay as they are.
func (c m2mCase) simpler() []m2mCase {
	if c.breaks.replacesBody {
		return nil
	}
	var out []m2mCase
	if c.breaks.droppable {
		variant := c
		variant.breaks = m2mBreak{}
		out = append(out, variant)
	}
	for _, config := range c.config.simpler() {
		// A case with a setup is about the issuer it shares with it; a
		// simpler issuer would make it a different case.
		if c.setup != nil && !sameIssuer(config.issuer, c.config.issuer) {
			continue
		}
		variant := c
		variant.config = config
		out = append(out, variant)
	}
	return out
}

func sameIssuer(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// at picks the mapping a mutation breaks; the index is reduced modulo the
// mappings left, since shrinking may have removed the one first chosen.
func at(config *m2mConfig, index int) *m2mMapping {
	return &config.mappings[index%len(config.mappings)]
}

// quoted writes a value for a report line, cut short when it is long.
func quoted(s string) string {
	if runes := []rune(s); len(runes) > 60 {
		return fmt.Sprintf("%q… (%d bytes)", string(runes[:40]), len(s))
	}
	return fmt.Sprintf("%q", s)
}
