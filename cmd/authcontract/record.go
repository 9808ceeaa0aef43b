package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
)

// record sends one request to a live implementation and writes it as a
// fixture that expects the status the implementation gave.
func record(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		f                         fixture.Fixture
		api, target, token, app   string
		apiVersion, bodyFile, out string
		kind                      string
		queries, headers          = &stringList{}, &stringList{}
	)
	flags := flag.NewFlagSet("record", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&api, "api", "", "which operation the request is for: containerapps or acs-m2m (required)")
	flags.StringVar(&target, "target", os.Getenv("AUTHCONTRACT_TARGET"), "base URL of the live implementation (required; default $AUTHCONTRACT_TARGET)")
	flags.StringVar(&token, "token", os.Getenv("AUTHCONTRACT_TOKEN"), "bearer token the target accepts (default $AUTHCONTRACT_TOKEN)")
	flags.StringVar(&app, "containerapp", os.Getenv("AUTHCONTRACT_CONTAINERAPP"), "resource id of a container app on the target, for the {…} placeholders (default: the document's sample app)")
	flags.StringVar(&apiVersion, "api-version", conformance.DefaultAPIVersion, "api-version for the {apiVersion} placeholder")
	flags.StringVar(&f.Name, "name", "", "the case's name, a sentence (required)")
	flags.StringVar(&f.Sentence, "sentence", "", "the document sentence the case enforces (required)")
	flags.StringVar(&kind, "kind", string(fixture.Documented), "positive, negative, auth, documented or tolerant")
	flags.StringVar(&f.Expect.Broken, "broken", "", "for a negative case: the single thing the request breaks")
	flags.StringVar(&f.Request.Method, "method", "POST", "HTTP method")
	flags.StringVar(&f.Request.Path, "path", "", "request path; placeholders such as {containerAppName} are allowed (required)")
	flags.Var(queries, "query", "query parameter name=value (repeatable)")
	flags.Var(headers, "header", "request header 'Name: value' (repeatable)")
	flags.StringVar(&f.Request.Auth, "auth", "valid", "valid, none, wrong or basic")
	flags.StringVar(&bodyFile, "body", "", "file holding the JSON body, or - for standard input")
	flags.StringVar(&out, "out", "", "write the fixture to this file (default: standard output)")
	if err := flags.Parse(args); err != nil {
		return exitUsage
	}
	f.Kind = fixture.Kind(kind)
	if _, err := selectAPIs(api); err != nil || api == "all" || target == "" {
		fmt.Fprintln(stderr, "record: --api containerapps|acs-m2m and --target URL are required")
		return exitUsage
	}
	if err := fillRequest(&f.Request, queries.values, headers.values, bodyFile); err != nil {
		fmt.Fprintf(stderr, "record: %v\n", err)
		return exitUsage
	}
	if app == "" {
		app = defaultContainerApp()
	}
	runner, err := conformance.NewRunner(conformance.Target{BaseURL: target, Token: token, ContainerApp: app, APIVersion: apiVersion}, conformance.Options{RunID: newRunID(), Now: time.Now})
	if err != nil {
		fmt.Fprintf(stderr, "record: %v\n", err)
		return exitUsage
	}
	if err := runner.Probe(ctx); err != nil {
		fmt.Fprintf(stderr, "record: set-up: %v\n", err)
		return exitUsage
	}
	recorded, answer, err := runner.Record(ctx, openapi.API(api), f)
	if err != nil {
		fmt.Fprintf(stderr, "record: %v\n", err)
		return exitUsage
	}
	data, err := fixture.Encode(recorded)
	if err != nil {
		fmt.Fprintf(stderr, "record: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "recorded %d %s\nsent: %s\n", answer.Status, excerptText(answer.Body), answer.Reproduce)
	if out == "" {
		stdout.Write(data)
		return exitOK
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		fmt.Fprintf(stderr, "record: write %s: %v\n", out, err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "wrote %s\n", out)
	return exitOK
}

func fillRequest(req *fixture.Request, queries, headers []string, bodyFile string) error {
	for _, q := range queries {
		name, value, ok := strings.Cut(q, "=")
		if !ok {
			return fmt.Errorf("--query %q is not name=value", q)
		}
		if req.Query == nil {
			req.Query = map[string]string{}
		}
		req.Query[name] = value
	}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return fmt.Errorf("--header %q is not 'Name: value'", h)
		}
		if req.Headers == nil {
			req.Headers = map[string]string{}
		}
		req.Headers[strings.TrimSpace(name)] = strings.TrimSpace(value)
	}
	if bodyFile == "" {
		return nil
	}
	var body []byte
	var err error
	if bodyFile == "-" {
		body, err = io.ReadAll(os.Stdin)
	} else {
		body, err = os.ReadFile(bodyFile)
	}
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	if json.Valid(body) {
		req.Body = json.RawMessage(body)
	} else {
		text := string(body)
		req.RawBody = &text
	}
	return nil
}

func excerptText(body []byte) string {
	text := strings.Join(strings.Fields(string(body)), " ")
	if len(text) > 200 {
		return text[:200] + "…"
	}
	return text
}
