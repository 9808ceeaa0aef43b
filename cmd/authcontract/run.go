package main

import (
	"context"
	"fmt"
	"io"
)

// Exit codes scripts depend on.
const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
)

const usage = `usage: authcontract <command> [flags]

commands:
  verify     check an implementation (default: the embedded reference) against the documents
  record     send one request to a live implementation and write it as a fixture
  serve      run both reference implementations on one address
  spec-diff  show what changing a document does: its breaking changes and the fixtures it no longer admits
  help       print this text

Run 'authcontract <command> -h' for a command's flags.
`

// run dispatches a command line and returns the process exit code; it takes
// its output streams so that tests can run the CLI in-process.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "verify":
		return verify(ctx, args[1:], stdout, stderr)
	case "record":
		return record(ctx, args[1:], stdout, stderr)
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "spec-diff":
		return specDiff(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "authcontract: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
