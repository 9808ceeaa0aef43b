package main

import (
	"cmp"
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
	if !opts.knownFailing.Empty() {
		if err := opts.knownFailing.CheckAgainst(runner.PlannedNames(cases)); err != nil {
			return fail("--known-failing %s: %v", opts.knownFailingFile, err)
		}
	}
	cases = cases.Shard(opts.shardIndex, opts.shardCount)

	fmt.Fprintf(stdout, "verifying %d cases of %s against %s (%s)\n", cases.Len(), joinAPIs(apis), target.BaseURL, describeRun(opts, runID))
	head := report.Run{Target: target.BaseURL, Seed: opts.seed, RunID: runID, Replay: "authcontract verify " + replayArgs(opts), Shard: opts.shard}
	files, err := createReportFiles(opts)
	if err != nil {
		return fail("%v", err)
	}
	defer files.close()
	// The reports are written as the cases finish: nothing of a case is
	// kept once it is reported, so a run's memory does not grow with
	// --cases.
	reports := report.NewStream(head, stdout, opts.verbose, files.json, files.junit)
	defer reports.Close()
	coverage := runner.NewCoverageTally(apis)
	var writeErr error
	runner.RunEach(ctx, cases, opts.parallel, func(result conformance.CaseResult) {
		opts.knownFailing.Apply(result.Outcomes)
		coverage.Add(result.Outcomes)
		writeErr = cmp.Or(writeErr, reports.Add(result.Outcomes), saveFailure(opts, result.Case, result.Outcomes))
	})
	if writeErr != nil {
		return fail("%v", writeErr)
	}
	end := report.Run{Coverage: coverage.Coverage(), Created: runner.Created()}
	if ctx.Err() != nil {
		// The reports still end well-formed, with every case reported
		// so far and the rest as not sent.
		if err := reports.Finish(end); err != nil {
			return fail("write report: %v", err)
		}
		fmt.Fprintln(stderr, "verify: interrupted")
		return exitUsage
	}
	if opts.cleanup {
		failures := runner.Cleanup(ctx)
		end.Cleanup = &report.CleanupResult{Deleted: len(end.Created) - len(failures), Failed: failures}
		for _, failure := range failures {
			fmt.Fprintf(stderr, "verify: --cleanup could not delete config %s: %s\n", failure.ID, failure.Why)
		}
	}
	if err := reports.Finish(end); err != nil {
		return fail("write report: %v", err)
	}
	if end.Cleanup != nil {
		fmt.Fprintf(stdout, "cleanup: deleted %d of the %d configs the run created\n", end.Cleanup.Deleted, len(end.Created))
	}
	if err := files.close(); err != nil {
		return fail("%v", err)
	}
	if reports.Counts().Failed > 0 {
		fmt.Fprintf(stdout, "replay: %s\n", head.Replay)
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

// reportFiles are the --report-json and --report-junit files, created
// before the run so that a path that cannot be written is known at once.
type reportFiles struct {
	// json and junit are nil when not asked for.
	json, junit io.Writer
	open        []*os.File
}

func createReportFiles(opts verifyOptions) (*reportFiles, error) {
	files := &reportFiles{}
	for _, f := range []struct {
		path string
		into *io.Writer
	}{{opts.reportJSON, &files.json}, {opts.reportJUnit, &files.junit}} {
		if f.path == "" {
			continue
		}
		file, err := os.Create(f.path)
		if err != nil {
			files.close()
			return nil, fmt.Errorf("create report %s: %w", f.path, err)
		}
		files.open = append(files.open, file)
		*f.into = file
	}
	return files, nil
}

// close closes the files once; a write the operating system had not
// finished shows here.
func (f *reportFiles) close() error {
	var errs []error
	for _, file := range f.open {
		if err := file.Close(); err != nil {
			errs = append(errs, fmt.Errorf("write report %s: %w", file.Name(), err))
		}
	}
	f.open = nil
	return errors.Join(errs...)
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
