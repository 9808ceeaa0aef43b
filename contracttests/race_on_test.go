//go:build race

package contracttests_test

import "time"

// raceDetector is true when the tests run under -race. The race detector
// makes every exchange several times slower, so sweeps over many seeds
// run one of them under it — enough to catch a race in the runner — and
// `make test` runs them all again without it.
const raceDetector = true

// exchangeTimeout is how long one exchange may take in these tests: a
// multi-MiB case under the race detector, on a loaded two-core machine,
// takes several seconds.
const exchangeTimeout = 60 * time.Second
