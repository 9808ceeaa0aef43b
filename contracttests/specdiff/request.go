package specdiff

import (
	"context"
	"net/http"

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
// placeholders filled, as conformance does it.
func buildRequest(values fixture.Values, tmpl fixture.Request) (*http.Request, []byte, error) {
	req, body, err := tmpl.Fill(context.Background(), baseURL, values, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", credentials)
	return req, body, nil
}
