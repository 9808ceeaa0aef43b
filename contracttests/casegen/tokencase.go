package casegen

import (
	"maps"
	"net/url"
	"regexp"
	"strings"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// tokenCase is one generated Get Auth Token exchange: the operation's
// parameters, by name, as they are sent. A value is either a placeholder
// the runner fills in per target ({resourceGroupName:upper}, say) or a
// literal, such as a generated name.
type tokenCase struct {
	about
	rules *tokenRules

	method  string
	params  map[string]string // a parameter not in it is not sent
	creds   credentials
	headers map[string]string
	// shrinkParam, when set, names the parameter holding a generated name
	// that shrinking shortens while shrinkKeep (and the schema) holds.
	shrinkParam string
	shrinkKeep  func(string) bool
}

// placeholderShape is a whole value the runner fills in: {containerAppName},
// {resourceGroupName:upper}. Anything else is a literal, escaped as such.
var placeholderShape = regexp.MustCompile(`^\{[A-Za-z]+(:[a-z0-9]+)?\}$`)

func (c tokenCase) request() fixture.Request {
	req := fixture.Request{Method: c.method, Path: c.rules.op.path, Auth: c.creds.auth, Headers: merge(c.headers, c.creds.headers)}
	if req.Method == "" {
		req.Method = c.rules.op.method
	}
	for _, p := range c.rules.op.params {
		value, sent := c.params[p.name]
		if !sent {
			continue
		}
		switch p.in {
		case "path":
			if !placeholderShape.MatchString(value) {
				value = url.PathEscape(value)
			}
			req.Path = strings.Replace(req.Path, "{"+p.name+"}", value, 1)
		case "query":
			if req.Query == nil {
				req.Query = map[string]string{}
			}
			req.Query[p.name] = value
		case "header":
			req.Headers = merge(req.Headers, map[string]string{p.name: value})
		}
	}
	return req
}

func (c tokenCase) fixture(prefix string) fixture.Fixture {
	return c.about.fixture(prefix, c.request())
}

// simpler shortens the generated name, if the case has one; nothing else
// in a Get Auth Token request is worth shrinking.
func (c tokenCase) simpler() []tokenCase {
	if c.shrinkParam == "" {
		return nil
	}
	f := c.rules.op.param(c.shrinkParam).field
	keep := func(s string) bool { return c.shrinkKeep(s) && len(violations(f, s)) == 0 }
	var out []tokenCase
	for _, name := range shorterStrings(c.params[c.shrinkParam], "", keep) {
		variant := c
		variant.params = maps.Clone(c.params)
		variant.params[c.shrinkParam] = name
		out = append(out, variant)
	}
	return out
}

func merge(a, b map[string]string) map[string]string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
