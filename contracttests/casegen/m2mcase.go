package casegen

import (
	"reflect"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// m2mCase is one generated AddAuthMachineToMachineConfig exchange: an
// allowed body, and for any other case the one thing done to it.
type m2mCase struct {
	about
	rules *m2mRules
	// body is the allowed request body, {"config": {…}}, as decoded JSON.
	body   any
	breaks m2mBreak
	// method is "" for the operation's.
	method string
	// setup, when set, is an add sent first, with the case's issuer: one
	// that takes the issuer (uniqueness cases) or one that is refused
	// (a refusal leaves no trace). setupStatus is what its answer may be.
	setup       *m2mCase
	setupStatus fixture.Status
	// pinned are places shrinking leaves as they are: the issuer a case
	// shares with its setup is what the case is about.
	pinned []path
	// shared, when set, is a body of several MiB the case sends instead of
	// rendering its own, built once per generator (see huge.go).
	shared *sharedBody
}

// m2mBreak is what a case does to its allowed body: an edit of the decoded
// JSON, of the bytes on the wire, or of the headers. The zero value does
// nothing.
type m2mBreak struct {
	// edit changes a copy of the body and returns it (or another value
	// altogether).
	edit    func(body any) any
	raw     func([]byte) []byte
	headers map[string]string
	auth    string
	// replacesBody is set when the break sends a body of its own, so
	// that the allowed body is not sent and there is nothing in it to
	// shrink.
	replacesBody bool
	// rawKeepsJSON is set when raw leaves well-formed JSON that a fixture
	// can hold as its body (and read back with encoding/json).
	rawKeepsJSON bool
	// probesGitHub is set when the break makes a GITHUB_ACTIONS config
	// whose verdict an existing one could mask.
	probesGitHub bool
}

// setAt is an edit that puts value at p.
func setAt(p path, value any) func(any) any {
	return func(body any) any { return with(body, p, value) }
}

// request renders body, broken as the case says.
func (c m2mCase) request(body any) fixture.Request {
	method := c.method
	if method == "" {
		method = c.rules.op.method
	}
	req := fixture.Request{Method: method, Path: c.rules.op.path, Auth: c.breaks.auth, Headers: c.breaks.headers}
	if c.shared != nil {
		c.shared.into(&req)
		return req
	}
	body = clone(body)
	if c.breaks.edit != nil {
		body = c.breaks.edit(body)
	}
	data := marshal(body)
	if c.breaks.raw != nil {
		data = c.breaks.raw(data)
	}
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
	f := c.about.fixture(prefix, c.request(c.body))
	if c.setup != nil {
		f.Setup = []fixture.Exchange{{
			Request: c.setup.request(c.setup.body),
			Expect:  fixture.Expect{Status: c.setupStatus},
		}}
	}
	return f
}

// simpler lists the case with its body one step simpler; what breaks it,
// and any setup, stay as they are.
func (c m2mCase) simpler() []m2mCase {
	if c.shared != nil {
		// A huge value the request is as valid without (an open case) is
		// dropped first; a huge body that is the break stays whole.
		if !c.shared.droppable {
			return nil
		}
		variant := c
		variant.shared = nil
		return []m2mCase{variant}
	}
	if c.breaks.replacesBody {
		return nil
	}
	var out []m2mCase
	for _, body := range c.rules.simplerValues(c.rules.op.body, c.body) {
		if !c.keepsPinned(body) {
			continue
		}
		variant := c
		variant.body = body
		out = append(out, variant)
	}
	return out
}

func (c m2mCase) keepsPinned(body any) bool {
	for _, p := range c.pinned {
		was, _ := lookup(c.body, p)
		now, _ := lookup(body, p)
		if !reflect.DeepEqual(was, now) {
			return false
		}
	}
	return true
}
