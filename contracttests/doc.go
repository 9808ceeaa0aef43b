// Package contracttests is the conformance suite as `go test` runs it: every
// fixture in fixtures/ replayed against the embedded reference server, or
// against the implementation named by AUTHCONTRACT_TARGET, with one subtest
// per operation/check/case.
//
// The engine lives in conformance, the fixture format in fixture, the two
// validators in validation and the report writers in report.
package contracttests
