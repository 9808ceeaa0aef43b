//go:build !race

package contracttests_test

import "github.com/authcontract/authcontract/contracttests/conformance"

// raceDetector: see race_on_test.go.
const raceDetector = false

// exchangeTimeout: see race_on_test.go.
const exchangeTimeout = conformance.DefaultTimeout
