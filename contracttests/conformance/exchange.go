package conformance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// wrongToken is a token no target can accept.
const wrongToken = "authcontract-wrong-token"

// sent is a request as it went out, with the response that came back.
type sent struct {
	request     *http.Request
	requestBody []byte
	status      int
	header      http.Header
	body        []byte
	// err is set when no response came back (or it could not be read).
	err error
}

// build turns a request template into an HTTP request for the target.
func build(ctx context.Context, target Target, values fixture.Values, tmpl fixture.Request) (*http.Request, []byte, error) {
	u, err := url.Parse(strings.TrimRight(target.BaseURL, "/") + values.Expand(tmpl.Path))
	if err != nil {
		return nil, nil, fmt.Errorf("build URL for %s: %w", tmpl.Path, err)
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
	req, err := http.NewRequestWithContext(ctx, tmpl.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("build request %s %s: %w", tmpl.Method, u, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for name, value := range tmpl.Headers {
		req.Header.Set(name, values.Expand(value))
	}
	switch tmpl.Auth {
	case "", "valid":
		req.Header.Set("Authorization", "Bearer "+target.Token)
	case "wrong":
		req.Header.Set("Authorization", "Bearer "+wrongToken)
	case "basic":
		req.Header.Set("Authorization", "Basic "+target.Token)
	}
	return req, body, nil
}

// send runs one request and reads at most maxBody bytes of the answer.
func send(client *http.Client, req *http.Request, body []byte, maxBody int64) sent {
	result := sent{request: req, requestBody: body}
	resp, err := client.Do(req)
	if err != nil {
		result.err = fmt.Errorf("no response: %w", err)
		return result
	}
	defer resp.Body.Close()
	result.status, result.header = resp.StatusCode, resp.Header
	result.body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	switch {
	case err != nil:
		result.err = fmt.Errorf("read the %d response body: %w", resp.StatusCode, err)
	case int64(len(result.body)) > maxBody:
		result.err = fmt.Errorf("the %d response body exceeds %d bytes (--max-response-bytes)", resp.StatusCode, maxBody)
	}
	return result
}

// curl writes a command that sends req again. The credentials are written
// as $AUTHCONTRACT_TOKEN so that reports do not leak the token.
func curl(req *http.Request, body []byte, token string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -i -X %s %s", req.Method, shellQuote(req.URL.String()))
	names := make([]string, 0, len(req.Header))
	for name := range req.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, value := range req.Header[name] {
			header := name + ": " + value
			if token != "" && name == "Authorization" && strings.Contains(value, token) {
				header = `"` + name + ": " + strings.ReplaceAll(value, token, `$AUTHCONTRACT_TOKEN`) + `"`
				fmt.Fprintf(&b, " -H %s", header)
				continue
			}
			fmt.Fprintf(&b, " -H %s", shellQuote(header))
		}
	}
	switch {
	case len(body) > maxCurlBody:
		// A shell cannot take megabytes on one command line, and a report
		// should not repeat them for every check.
		fmt.Fprintf(&b, " --data-binary @request-body.json  # the %d-byte body is too large to show; --save-failures keeps it as a fixture", len(body))
	case len(body) > 0:
		b.Grow(len(body) + 16)
		b.WriteString(" --data-binary ")
		b.WriteString(shellQuote(string(body)))
	}
	return b.String()
}

// maxCurlBody is the largest body a reproduce line shows.
const maxCurlBody = 64 << 10

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
