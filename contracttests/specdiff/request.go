package specdiff

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// baseURL is where the requests judged are addressed. Nothing is sent, and
// the validators route on the path alone.
const baseURL = "http://spec-diff.invalid"

// credentials stand in for the request's own: whether credentials are right
// is the target's business, and a document change cannot make a fixture's
// "none" or "wrong" credentials admissible or not.
const credentials = "Bearer spec-diff"

// buildRequest turns a request template into the request a run would send,
// placeholders filled, as conformance does it: query values and headers
// expanded, a body sent as application/json unless the fixture says
// otherwise.
func buildRequest(values fixture.Values, tmpl fixture.Request) (*http.Request, []byte, error) {
	u, err := url.Parse(baseURL + values.Expand(tmpl.Path))
	if err != nil {
		return nil, nil, fmt.Errorf("build the URL of %s: %w", tmpl.Path, err)
	}
	if len(tmpl.Query) > 0 {
		query := u.Query()
		for name, value := range tmpl.Query {
			query.Set(name, values.Expand(value))
		}
		u.RawQuery = query.Encode()
	}
	var body []byte
	switch {
	case tmpl.RawBody != nil:
		body = []byte(values.Expand(*tmpl.RawBody))
	case tmpl.Body != nil:
		body = values.ExpandJSON(tmpl.Body)
	}
	req, err := http.NewRequest(tmpl.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("build the request %s %s: %w", tmpl.Method, tmpl.Path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for name, value := range tmpl.Headers {
		req.Header.Set(name, values.Expand(value))
	}
	req.Header.Set("Authorization", credentials)
	return req, body, nil
}
