package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/knownfailing"
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
	// caCerts are PEM files of roots trusted besides the system's.
	caCerts stringList
	// headers are added to every request.
	headers http.Header
	cleanup bool
	// shard is "I/N" as given; shardIndex and shardCount are its parts.
	shard                  string
	shardIndex, shardCount int
	// checks are the checks the run judges; nil means all.
	checks           []conformance.Check
	knownFailing     *knownfailing.List
	knownFailingFile string
	// issuer serves the OIDC discovery documents of the run's issuers.
	issuer issuerOptions
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
	flags.Var(&opts.caCerts, "ca-cert", "a PEM file of CA certificates to trust for an https target, besides the system's (repeatable; SSL_CERT_FILE replaces the system's)")
	var headers stringList
	flags.Var(&headers, "header", "a header 'Name: value' to send with every request, except where a case is about that header (repeatable)")
	flags.BoolVar(&opts.cleanup, "cleanup", os.Getenv("AUTHCONTRACT_CLEANUP") == "1", "after the run, delete every ACS config it created (DELETE /v1/auth/m2m/{id}); default: $AUTHCONTRACT_CLEANUP=1")
	flags.StringVar(&opts.shard, "shard", os.Getenv("AUTHCONTRACT_SHARD"), "run shard I of N, e.g. 2/4: every Nth case by its place in the run, so that the N shards of one seed are the whole run (default: $AUTHCONTRACT_SHARD)")
	checks := flags.String("checks", os.Getenv("AUTHCONTRACT_CHECKS"), "judge only these checks, comma-separated (default: $AUTHCONTRACT_CHECKS, else all)")
	excludeChecks := flags.String("exclude-checks", os.Getenv("AUTHCONTRACT_EXCLUDE_CHECKS"), "judge every check but these, comma-separated (default: $AUTHCONTRACT_EXCLUDE_CHECKS)")
	flags.StringVar(&opts.knownFailingFile, "known-failing", os.Getenv("AUTHCONTRACT_KNOWN_FAILING"), "a file of api/check/case patterns (* within a segment, ** across) whose failures do not fail the run; a listed case that passes does (default: $AUTHCONTRACT_KNOWN_FAILING)")
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
	if err := opts.parseSelections(headers.values, *checks, *excludeChecks); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return opts, false
	}
	if opts.seed == 0 {
		opts.seed = randomSeed()
	}
	return opts, true
}

// parseSelections reads the flags whose values need parsing: headers,
// the shard, the checks and the known-failing list. A mistake in any is a
// usage error.
func (opts *verifyOptions) parseSelections(headers []string, checks, excludeChecks string) error {
	opts.headers = http.Header{}
	for _, h := range headers {
		name, value, err := conformance.ParseHeader(h)
		if err != nil {
			return fmt.Errorf("--header: %w", err)
		}
		opts.headers.Add(name, value)
	}
	opts.shardIndex, opts.shardCount = 1, 1
	if opts.shard != "" {
		var err error
		if opts.shardIndex, opts.shardCount, err = conformance.ParseShard(opts.shard); err != nil {
			return fmt.Errorf("--shard: %w", err)
		}
	}
	include, err := conformance.ParseChecks(checks)
	if err != nil {
		return fmt.Errorf("--checks: %w", err)
	}
	exclude, err := conformance.ParseChecks(excludeChecks)
	if err != nil {
		return fmt.Errorf("--exclude-checks: %w", err)
	}
	if include != nil || exclude != nil {
		opts.checks = conformance.SelectChecks(include, exclude)
		if len(opts.checks) == 0 {
			return fmt.Errorf("--checks and --exclude-checks leave no check to judge")
		}
	}
	if opts.knownFailingFile != "" {
		file, err := os.Open(opts.knownFailingFile)
		if err != nil {
			return fmt.Errorf("--known-failing: %w", err)
		}
		defer file.Close()
		if opts.knownFailing, err = knownfailing.Parse(file, opts.knownFailingFile); err != nil {
			return fmt.Errorf("--known-failing: %w", err)
		}
	}
	return nil
}
