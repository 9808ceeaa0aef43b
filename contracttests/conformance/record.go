package conformance

import (
	"context"
	"fmt"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
)

// Recording is what a live implementation answered to a fixture's request.
type Recording struct {
	Status int
	Body   []byte
	// Reproduce is a curl command that sends the request again.
	Reproduce string
}

// Record sends f's request (placeholders filled in as for any case) and
// returns f expecting exactly the status the target answered, with what it
// answered. The fixture is checked before it is returned.
func (r *Runner) Record(ctx context.Context, api openapi.API, f fixture.Fixture) (fixture.Fixture, Recording, error) {
	values := r.values()
	req, body, err := build(ctx, r.target, values, f.Request)
	if err != nil {
		return f, Recording{}, err
	}
	got := send(r.client, req, body, r.target.maxResponseBytes())
	r.noteCreated(Case{API: api, Fixture: f}, req, got)
	secrets := r.newScrubber()
	secrets.add(secretsIn(got.body, r.secretPaths[api])...)
	// What came back is shown to the user, so its secrets are redacted.
	recording := Recording{Status: got.status, Body: []byte(secrets.scrub(string(got.body))), Reproduce: curl(req, body, r.target.Token)}
	if got.err != nil {
		return f, recording, got.err
	}
	f.Expect.Status = fixture.Status{fmt.Sprint(got.status)}
	if err := fixture.Check(f); err != nil {
		return f, recording, fmt.Errorf("recorded fixture is incomplete: %w", err)
	}
	if err := checkSemanticsKnown(api, f); err != nil {
		return f, recording, err
	}
	return f, recording, nil
}
