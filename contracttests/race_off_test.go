//go:build !race

package contracttests_test

// raceDetector: see race_on_test.go.
const raceDetector = false
