package main

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

func verify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, ok := parseVerifyFlags(args, stderr)
	if !ok {
		return exitUsage
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "verify: "+format+"\n", args...)
		return exitUsage
	}
	apis, err := selectAPIs(opts.api)
	if err != nil {
		return fail("%v", err)
	}
	roots, err := conformance.RootsWith(opts.caCerts.values)
	if err != nil {
		return fail("--ca-cert: %v", err)
	}

	target := conformance.Target{BaseURL: opts.target, Token: opts.token, ContainerApp: opts.containerApp}
	if opts.target == "" {
		stop, embedded, err := startEmbeddedReference(opts.containerApp)
		if err != nil {
			return fail("start the reference server: %v", err)
		}
		defer stop()
		target = embedded
	}
	if target.ContainerApp == "" {
		target.ContainerApp = defaultContainerApp()
	}
	target.APIVersion, target.Roles = opts.apiVersion, opts.roles.values
	target.Timeout, target.MaxResponseBytes = opts.timeout, opts.maxResponse
	target.RootCAs, target.Headers = roots, opts.headers

	issuers, stopIssuers, ok := opts.issuer.start(stdout, stderr)
	if !ok {
		return exitUsage
	}
	defer stopIssuers()
	runID := newRunID()
	runner, err := conformance.NewRunner(target, conformance.Options{RunID: runID, Now: time.Now, Strict: opts.strict, Checks: opts.checks, Issuers: issuers})
	if err != nil {
		return fail("%v", err)
	}
	// One exchange through the same transport as every case: proxies,
	// trusted roots and TLS are set up right, or nothing runs.
	if err := runner.Probe(ctx); err != nil {
		return fail("set-up: %v", err)
	}
	cases, err := loadCases(apis, opts)
	if err != nil {
		return fail("%v", err)
	}
	// Known-failing patterns are checked against the whole run, so that
	// every shard of a CI matrix accepts the same list.
	if err := opts.knownFailing.CheckAgainst(plannedNames(runner, cases)); err != nil {
		return fail("--known-failing %s: %v", opts.knownFailingFile, err)
	}
	cases = conformance.Shard(cases, opts.shardIndex, opts.shardCount)

	fmt.Fprintf(stdout, "verifying %d cases of %s against %s (%s)\n", len(cases), joinAPIs(apis), target.BaseURL, describeRun(opts, runID))
	run := report.Run{Target: target.BaseURL, Seed: opts.seed, RunID: runID, Replay: "authcontract verify " + replayArgs(opts), Shard: opts.shard}
	for _, result := range runner.RunAll(ctx, cases, opts.parallel, nil) {
		opts.knownFailing.Apply(result.Outcomes)
		run.Outcomes = append(run.Outcomes, result.Outcomes...)
		if err := saveFailure(opts, result.Case, result.Outcomes); err != nil {
			return fail("%v", err)
		}
	}
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "verify: interrupted")
		return exitUsage
	}
	run.Coverage = runner.Coverage(apis, run.Outcomes)
	run.Created = runner.Created()
	if opts.cleanup {
		failures := runner.Cleanup(ctx)
		run.Cleanup = &report.CleanupResult{Deleted: len(run.Created) - len(failures), Failed: failures}
		for _, failure := range failures {
			fmt.Fprintf(stderr, "verify: --cleanup could not delete config %s: %s\n", failure.ID, failure.Why)
		}
	}

	if err := report.WriteText(stdout, run, opts.verbose); err != nil {
		return fail("write report: %v", err)
	}
	if run.Cleanup != nil {
		fmt.Fprintf(stdout, "cleanup: deleted %d of the %d configs the run created\n", run.Cleanup.Deleted, len(run.Created))
	}
	if err := writeReportFile(opts.reportJSON, run, report.WriteJSON); err != nil {
		return fail("%v", err)
	}
	if err := writeReportFile(opts.reportJUnit, run, report.WriteJUnit); err != nil {
		return fail("%v", err)
	}
	if run.Count().Failed > 0 {
		fmt.Fprintf(stdout, "replay: %s\n", run.Replay)
		// A target that went away mid-run is unreachable, not in breach.
		if err := runner.Probe(ctx); err != nil {
			return fail("the target stopped answering during the run: %v", err)
		}
		return exitViolation
	}
	return exitOK
}

// describeRun is the first line's account of how the run was made.
func describeRun(opts verifyOptions, runID string) string {
	parts := []string{fmt.Sprintf("seed %d, %d generated per operation, run %s", opts.seed, opts.cases, runID)}
	if opts.shard != "" {
		parts = append(parts, "shard "+opts.shard)
	}
	if opts.checks != nil {
		parts = append(parts, fmt.Sprintf("checks %v", opts.checks))
	}
	if opts.strict {
		parts = append(parts, "strict: warnings fail the run")
	} else {
		parts = append(parts, "warnings do not fail the run")
	}
	return strings.Join(parts, "; ")
}

// plannedNames are the api/check/case names a run of cases reports.
func plannedNames(runner *conformance.Runner, cases []conformance.Case) []string {
	var names []string
	for _, c := range cases {
		for _, check := range runner.Planned(c) {
			names = append(names, conformance.Outcome{API: c.API, Check: check, Case: c.Name()}.Name())
		}
	}
	return names
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
	if opts.shard != "" {
		args = append(args, "--shard", opts.shard)
	}
	for _, check := range opts.checks {
		args = append(args, "--checks", string(check))
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
