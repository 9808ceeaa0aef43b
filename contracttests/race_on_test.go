//go:build race

package contracttests_test

// raceDetector is true when the tests run under -race. The race detector
// makes every exchange several times slower, so sweeps over many seeds
// run a few of them under it — enough to catch a race in the runner — and
// `make test` runs them all again without it.
const raceDetector = true
