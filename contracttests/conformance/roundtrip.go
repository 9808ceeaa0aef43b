package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	acsgen "github.com/authcontract/authcontract/generated/acsm2m"
	azuregen "github.com/authcontract/authcontract/generated/containerapps"
	"github.com/authcontract/authcontract/openapi"
)

// client_roundtrip sends each allowed case a second time through the
// client oapi-codegen generates from the document, and reads the answer
// with its typed parser. A target the raw checks pass but the generated
// stubs cannot talk to — a media type they do not read, a body their types
// cannot hold — is a finding the users of those stubs need.

// clients are the generated clients of both documents, aimed at the
// target over the run's transport.
type clients struct {
	acs   *acsgen.ClientWithResponses
	azure *azuregen.ClientWithResponses
}

func newClients(target Target, doer *http.Client) (clients, error) {
	limited := limitedDoer{client: doer, maxBody: target.maxResponseBytes()}
	acs, err := acsgen.NewClientWithResponses(target.BaseURL, acsgen.WithHTTPClient(limited))
	if err != nil {
		return clients{}, fmt.Errorf("generated ACS client: %w", err)
	}
	azure, err := azuregen.NewClientWithResponses(target.BaseURL, azuregen.WithHTTPClient(limited))
	if err != nil {
		return clients{}, fmt.Errorf("generated Container Apps client: %w", err)
	}
	return clients{acs: acs, azure: azure}, nil
}

// roundtrip sends c's request again, with fresh values (a new {unique},
// so a new issuer), through the generated client, and judges whether the
// client made the call and read a documented answer — and, when the first
// send was accepted, whether this one was too.
func (r *Runner) roundtrip(ctx context.Context, c Case, firstStatus int, secrets *scrubber) (Result, string, string) {
	const expected = "the generated client makes the call and reads a documented answer"
	values := r.values()
	req, body, err := build(ctx, r.target, values, c.Fixture.Request)
	if err != nil {
		return Failed, expected, err.Error()
	}
	if err := r.registerIssuer(body); err != nil {
		return Failed, expected, err.Error()
	}
	credentials := func(_ context.Context, out *http.Request) error {
		for name, list := range r.target.Headers {
			out.Header[name] = append([]string(nil), list...)
		}
		out.Header.Set("Authorization", "Bearer "+r.target.Token)
		return nil
	}
	var status int
	var read bool
	var answer []byte
	switch c.API {
	case openapi.ACSM2M:
		var typed acsgen.V1AddAuthMachineToMachineConfigRequest
		if err := json.Unmarshal(body, &typed); err != nil {
			return Failed, expected, fmt.Sprintf("the case's body does not fit the generated request type: %v", err)
		}
		resp, err := r.clients.acs.AuthServiceAddAuthMachineToMachineConfigWithResponse(ctx, typed, credentials)
		if err != nil {
			return Failed, expected, "the generated client failed: " + err.Error()
		}
		status, answer = resp.StatusCode(), resp.Body
		read = resp.JSON200 != nil || !accepted(status) && resp.JSONDefault != nil
		r.noteCreated(c, req, sent{request: req, status: status, body: answer})
	case openapi.ContainerApps:
		subscription, group, app, err := tokenRequestParts(req.URL)
		if err != nil {
			return Failed, expected, err.Error()
		}
		params := &azuregen.ContainerAppsGetAuthTokenParams{ApiVersion: req.URL.Query().Get("api-version")}
		resp, err := r.clients.azure.ContainerAppsGetAuthTokenWithResponse(ctx, subscription, group, app, params, credentials)
		if err != nil {
			return Failed, expected, "the generated client failed: " + err.Error()
		}
		status, answer = resp.StatusCode(), resp.Body
		read = resp.JSON200 != nil || !accepted(status) && (resp.JSONDefault != nil || r.isBodiless(c.API, status))
	default:
		return Failed, expected, "no generated client for " + string(c.API)
	}
	secrets.add(secretsIn(answer, r.secretPaths[c.API])...)
	actual := fmt.Sprintf("%d %s", status, excerpt(answer))
	switch {
	case !read:
		return Failed, expected, "the generated parser found no typed answer in " + actual
	case accepted(firstStatus) && !accepted(status):
		return Failed, expected + fmt.Sprintf(", accepted as the first send was (%d)", firstStatus), actual
	}
	return Passed, expected, actual
}

// tokenRequestParts takes the Container Apps path apart into the
// parameters the generated client takes.
func tokenRequestParts(u *url.URL) (subscription, group, app string, err error) {
	segments := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(segments) < 9 {
		return "", "", "", fmt.Errorf("%s is not the Get Auth Token path", u.Path)
	}
	segments = segments[len(segments)-9:]
	unescape := func(s string) string {
		text, err := url.PathUnescape(s)
		if err != nil {
			return s
		}
		return text
	}
	return unescape(segments[1]), unescape(segments[3]), unescape(segments[7]), nil
}

// limitedDoer reads at most maxBody bytes of an answer, as every exchange
// does, so that the generated parser, which reads the whole body, cannot
// be made to hold an endless one.
type limitedDoer struct {
	client  *http.Client
	maxBody int64
}

func (d limitedDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, d.maxBody+1))
	resp.Body.Close()
	switch {
	case err != nil:
		return nil, fmt.Errorf("read the %d response body: %w", resp.StatusCode, err)
	case int64(len(body)) > d.maxBody:
		return nil, errors.New("the response body exceeds --max-response-bytes")
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
