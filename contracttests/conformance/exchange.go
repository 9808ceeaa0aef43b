package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
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
	// The user's headers go under the case's, so that what a case is
	// about wins: its media type, its credentials.
	under := target.Headers.Clone()
	if tmpl.Auth == "none" {
		under.Del("Authorization")
	}
	req, body, err := tmpl.Fill(ctx, target.BaseURL, values, under)
	if err != nil {
		return nil, nil, err
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
			if scheme, credential, _ := strings.Cut(value, " "); token != "" && name == "Authorization" && credential == token {
				fmt.Fprintf(&b, ` -H "%s: %s $AUTHCONTRACT_TOKEN"`, name, scheme)
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

// keptHeaders are the response headers an outcome keeps, so that a reader
// can tell who answered: the media type, challenges and redirects, and what
// proxies and mocks add (Via, Server, Prism's sl-violations).
func keptHeaders(header http.Header) map[string]string {
	kept := map[string]string{}
	for name, values := range header {
		switch canonical := http.CanonicalHeaderKey(name); {
		case canonical == "Content-Type", canonical == "Www-Authenticate", canonical == "Allow",
			canonical == "Location", canonical == "Via", canonical == "Server",
			strings.HasPrefix(canonical, "Sl-"):
			kept[canonical] = strings.Join(values, ", ")
		}
	}
	if len(kept) == 0 {
		return nil
	}
	return kept
}

// intermediary says when an answer is plainly a proxy's or mock's own
// rather than the target's: a problem+json error (Prism's validating proxy
// answers that way), or Prism's report of violations it saw.
func intermediary(header http.Header, body []byte) string {
	var said []string
	mediaType, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mediaType == "application/problem+json" {
		var problem struct {
			Type   string `json:"type"`
			Title  string `json:"title"`
			Detail string `json:"detail"`
		}
		json.Unmarshal(body, &problem)
		who := "a proxy's or mock's own error (application/problem+json)"
		if strings.Contains(problem.Type, "stoplight.io/prism") {
			who = "Prism's own error (" + problem.Type[strings.LastIndex(problem.Type, "#")+1:] + ")"
		}
		said = append(said, strings.TrimSpace(who+": "+problem.Title+" "+problem.Detail))
	}
	if violations := header.Get("Sl-Violations"); violations != "" {
		said = append(said, "Prism's validating proxy reports violations: "+excerpt([]byte(violations)))
	}
	return strings.Join(said, "; ")
}
