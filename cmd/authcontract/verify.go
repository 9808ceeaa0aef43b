package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

// verifyOptions are verify's flags.
type verifyOptions struct {
	api          string
	target       string
	token        string
	containerApp string
	apiVersion   string
	seed         int64
	cases        int
	parallel     int
	timeout      time.Duration
	maxResponse  int64
	saveFailures string
	fixturesDir  string
	reportJSON   string
	reportJUnit  string
	verbose      bool
	strict       bool
	roles        stringList
	issuer       issuerOptions
}

func verify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, ok := parseVerifyFlags(args, stderr)
	if !ok {
		return exitUsage
	}
	apis, err := selectAPIs(opts.api)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}

	target := conformance.Target{BaseURL: opts.target, Token: opts.token, ContainerApp: opts.containerApp, APIVersion: opts.apiVersion, Roles: opts.roles.values}
	if opts.target == "" {
		stop, embedded, err := startEmbeddedReference(opts.containerApp)
		if err != nil {
			fmt.Fprintf(stderr, "verify: start the reference server: %v\n", err)
			return exitUsage
		}
		defer stop()
		target = embedded
		target.APIVersion, target.Roles = opts.apiVersion, opts.roles.values
	}
	if target.ContainerApp == "" {
		target.ContainerApp = defaultContainerApp()
	}
	target.Timeout, target.MaxResponseBytes = opts.timeout, opts.maxResponse
	if err := reachable(ctx, target.BaseURL); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}

	issuers, stopIssuers, ok := opts.issuer.start(stdout, stderr)
	if !ok {
		return exitUsage
	}
	defer stopIssuers()
	runID := newRunID()
	runner, err := conformance.NewRunner(target, conformance.Options{RunID: runID, Now: time.Now, Strict: opts.strict, Issuers: issuers})
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}
	cases, err := loadCases(apis, opts)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}

	mode := "warnings do not fail the run"
	if opts.strict {
		mode = "strict: warnings fail the run"
	}
	fmt.Fprintf(stdout, "verifying %d cases of %s against %s (seed %d, %d generated per operation, run %s; %s)\n",
		len(cases), joinAPIs(apis), target.BaseURL, opts.seed, opts.cases, runID, mode)
	run := report.Run{Target: target.BaseURL, Seed: opts.seed, RunID: runID, Replay: "authcontract verify " + replayArgs(opts)}
	for _, result := range runner.RunAll(ctx, cases, opts.parallel, nil) {
		run.Outcomes = append(run.Outcomes, result.Outcomes...)
		if err := saveFailure(opts, result.Case, result.Outcomes); err != nil {
			fmt.Fprintf(stderr, "verify: %v\n", err)
			return exitUsage
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "verify: interrupted")
		return exitUsage
	}
	run.Coverage = runner.Coverage(apis, run.Outcomes)

	if err := report.WriteText(stdout, run, opts.verbose); err != nil {
		fmt.Fprintf(stderr, "verify: write report: %v\n", err)
		return exitUsage
	}
	if err := writeReportFile(opts.reportJSON, run, report.WriteJSON); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}
	if err := writeReportFile(opts.reportJUnit, run, report.WriteJUnit); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}
	if run.Count().Failed > 0 {
		fmt.Fprintf(stdout, "replay: %s\n", run.Replay)
		// A target that went away mid-run is unreachable, not in breach.
		if err := reachable(ctx, target.BaseURL); err != nil {
			fmt.Fprintf(stderr, "verify: the target stopped answering during the run: %v\n", err)
			return exitUsage
		}
		return exitViolation
	}
	return exitOK
}

func parseVerifyFlags(args []string, stderr io.Writer) (verifyOptions, bool) {
	var opts verifyOptions
	flags := flag.NewFlagSet("verify", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&opts.api, "api", "all", "which operation to verify: containerapps, acs-m2m or all")
	flags.StringVar(&opts.target, "target", os.Getenv("AUTHCONTRACT_TARGET"), "base URL of the implementation (default: $AUTHCONTRACT_TARGET, else the embedded reference server)")
	flags.StringVar(&opts.token, "token", os.Getenv("AUTHCONTRACT_TOKEN"), "bearer token the target accepts (default: $AUTHCONTRACT_TOKEN)")
	flags.StringVar(&opts.containerApp, "containerapp", os.Getenv("AUTHCONTRACT_CONTAINERAPP"), "resource id of a container app that exists on the target (default: $AUTHCONTRACT_CONTAINERAPP, else the document's sample app)")
	flags.StringVar(&opts.apiVersion, "api-version", conformance.DefaultAPIVersion, "Container Apps api-version the target supports")
	flags.Int64Var(&opts.seed, "seed", 0, "seed for every random choice (default: a fresh one, printed)")
	flags.IntVar(&opts.cases, "cases", defaultGeneratedCases, "how many generated cases to run per operation, besides the fixtures (0: fixtures only)")
	flags.IntVar(&opts.parallel, "parallel", 4, "how many cases to run at once; the report keeps the cases' order")
	flags.DurationVar(&opts.timeout, "timeout", conformance.DefaultTimeout, "how long one exchange with the target may take, body included")
	flags.Int64Var(&opts.maxResponse, "max-response-bytes", conformance.DefaultMaxResponseBytes, "the most of a response body that is read; a longer one fails the case")
	flags.StringVar(&opts.saveFailures, "save-failures", "", "write each failing generated case, shrunk, as a fixture in this directory (<dir>/<api>/*.json)")
	flags.StringVar(&opts.fixturesDir, "fixtures", "", "also run the fixtures in this directory (<dir>/<api>/*.json), e.g. ones --save-failures wrote")
	flags.StringVar(&opts.reportJSON, "report-json", "", "write a JSON report of every case to this file")
	flags.StringVar(&opts.reportJUnit, "report-junit", "", "write a JUnit XML report to this file")
	flags.BoolVar(&opts.verbose, "v", false, "list every outcome, not only failures and warnings")
	flags.BoolVar(&opts.strict, "strict", os.Getenv("AUTHCONTRACT_STRICT") == "1", "fail the run on warnings too: inputs only the schema forbids, which the real service accepts (default: $AUTHCONTRACT_STRICT=1)")
	opts.roles = stringList{values: conformance.ParseRoles(os.Getenv("AUTHCONTRACT_ROLES"))}
	opts.issuer.register(flags)
	flags.Var(&opts.roles, "role", "an ACS role that exists on the target, for the mappings of allowed configs (repeatable; default: $AUTHCONTRACT_ROLES, comma-separated, else the roles every Central has built in)")
	if err := flags.Parse(args); err != nil {
		return opts, false
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "verify: unexpected arguments %q\n", flags.Args())
		return opts, false
	}
	switch {
	case opts.cases < 0:
		fmt.Fprintf(stderr, "verify: --cases %d is negative\n", opts.cases)
		return opts, false
	case opts.parallel < 1:
		fmt.Fprintf(stderr, "verify: --parallel %d is not a count of workers\n", opts.parallel)
		return opts, false
	case opts.timeout <= 0:
		fmt.Fprintf(stderr, "verify: --timeout %s is not a positive duration\n", opts.timeout)
		return opts, false
	case opts.maxResponse <= 0:
		fmt.Fprintf(stderr, "verify: --max-response-bytes %d is not a positive size\n", opts.maxResponse)
		return opts, false
	}
	if opts.seed == 0 {
		opts.seed = randomSeed()
	}
	return opts, true
}

// defaultContainerApp is the Container Apps document's sample app.
func defaultContainerApp() string { return reference.DefaultConfig().ContainerApps.Apps[0] }

func selectAPIs(name string) ([]openapi.API, error) {
	if name == "all" {
		return openapi.APIs(), nil
	}
	for _, api := range openapi.APIs() {
		if string(api) == name {
			return []openapi.API{api}, nil
		}
	}
	return nil, fmt.Errorf("--api %q is not one of containerapps, acs-m2m, all", name)
}

func joinAPIs(apis []openapi.API) string {
	names := make([]string, len(apis))
	for i, api := range apis {
		names[i] = string(api)
	}
	return strings.Join(names, " and ")
}

// startEmbeddedReference serves both reference implementations on a free
// loopback port, with a fresh token, and with the given container app when
// one is named.
func startEmbeddedReference(containerApp string) (stop func(), target conformance.Target, err error) {
	cfg := reference.DefaultConfig()
	cfg.BearerToken = randomToken()
	if containerApp != "" {
		cfg.ContainerApps.Apps = []string{containerApp}
	}
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		return nil, target, err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, target, fmt.Errorf("listen on loopback: %w", err)
	}
	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go server.Serve(listener) // returns ErrServerClosed when stopped
	target = conformance.Target{
		BaseURL:      "http://" + listener.Addr().String(),
		Token:        cfg.BearerToken,
		ContainerApp: cfg.ContainerApps.Apps[0],
	}
	return func() { server.Close() }, target, nil
}

// reachable tells an unreachable target (exit 2) from one that answers badly
// (exit 1).
func reachable(ctx context.Context, base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("target %q is not an http or https URL", base)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	dialer := net.Dialer{Timeout: 5 * time.Second}
	conn, err := dialer.DialContext(ctx, "tcp", host)
	if err != nil {
		return fmt.Errorf("target %s is unreachable: %w", base, err)
	}
	return conn.Close()
}

func writeReportFile(path string, run report.Run, write func(io.Writer, report.Run) error) (err error) {
	if path == "" {
		return nil
	}
	file, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create report %s: %w", path, err)
	}
	defer func() { err = errors.Join(err, file.Close()) }()
	if err := write(file, run); err != nil {
		return fmt.Errorf("write report %s: %w", path, err)
	}
	return nil
}

// replayArgs is the command line that runs the same cases with the same seed.
func replayArgs(opts verifyOptions) string {
	args := []string{"--api", opts.api, "--seed", fmt.Sprint(opts.seed), "--cases", fmt.Sprint(opts.cases)}
	if opts.target != "" {
		args = append(args, "--target", opts.target)
	}
	if opts.containerApp != "" {
		args = append(args, "--containerapp", opts.containerApp)
	}
	if opts.apiVersion != conformance.DefaultAPIVersion {
		args = append(args, "--api-version", opts.apiVersion)
	}
	if opts.fixturesDir != "" {
		args = append(args, "--fixtures", opts.fixturesDir)
	}
	if opts.roles.set {
		for _, role := range opts.roles.values {
			args = append(args, "--role", shellWord(role))
		}
	}
	if opts.strict {
		args = append(args, "--strict")
	}
	args = append(args, opts.issuer.replayArgs()...)
	return strings.Join(args, " ")
}

// shellWord quotes a value for a command line when it needs it.
func shellWord(s string) string {
	if s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	}) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func randomSeed() int64 {
	var buf [8]byte
	rand.Read(buf[:])
	return int64(binary.BigEndian.Uint64(buf[:]) >> 1)
}

// newRunID names this run so that values a stateful target must keep unique
// (ACS issuers) differ from those of earlier runs.
func newRunID() string {
	var buf [4]byte
	rand.Read(buf[:])
	return fmt.Sprintf("%x", buf)
}
