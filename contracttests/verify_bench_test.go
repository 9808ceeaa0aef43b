package contracttests_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/casegen"
	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

// What `authcontract verify` runs by default: its --parallel and --cases.
// The seed is fixed so that every run times the same cases.
const (
	benchParallel        = 4
	benchGeneratedPerAPI = 100
	benchSeed            = 1
)

// BenchmarkVerifyThroughputVersusBareRoundTrip measures what a verify run
// does per case against the in-process reference server (load the
// fixtures, generate the cases, RunAll with verify's parallelism), against
// the limit: a bare loopback round trip to a handler that does nothing,
// sent with the same parallelism. Both are measured in the same run, so
// x-roundtrip (ns per case over ns per bare round trip) is comparable
// across machines; req/case says how many exchanges a case sends (setup
// steps included), so x-roundtrip over req/case is the harness's cost per
// exchange. Compiling the validators (NewRunner) is a fixed cost per run,
// not per case, and is left out.
func BenchmarkVerifyThroughputVersusBareRoundTrip(b *testing.B) {
	var served atomic.Int64
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "bench-token"
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		b.Fatal(err)
	}
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		handler.ServeHTTP(w, r)
	}))
	defer server.Close()
	target := conformance.Target{
		BaseURL:      server.URL,
		Token:        cfg.BearerToken,
		ContainerApp: cfg.ContainerApps.Apps[0],
		APIVersion:   conformance.DefaultAPIVersion,
	}
	runner, err := conformance.NewRunner(target, conformance.Options{RunID: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()

	// One untimed run proves the reference passes (a failure would time
	// shrinking, not verifying) and counts the exchanges a case sends.
	cases := benchCases(b)
	for _, result := range runner.RunAll(ctx, cases, benchParallel) {
		for _, o := range result.Outcomes {
			if o.IsFailure() {
				b.Fatal("the reference fails a case, so the benchmark would time shrinking:\n" + report.FailureBlock(o, fmt.Sprintf("seed %d", benchSeed)))
			}
		}
	}
	requestsPerCase := float64(served.Load()) / float64(len(cases))

	bare := startBareTarget(b)
	b.ResetTimer()
	// Each iteration times one verify run and as many bare round trips as
	// it ran cases, back to back, so that a machine slowing down during the
	// benchmark slows both alike. Each starts on a collected heap: the
	// megabytes a verify run leaves behind would otherwise be collected
	// during, and charged to, the round trips, and a verify run starts from
	// a small heap as a fresh `authcontract verify` process does.
	var verifyTime, bareTime time.Duration
	for range b.N {
		runtime.GC()
		start := time.Now()
		runner.RunAll(ctx, benchCases(b), benchParallel)
		verifyTime += time.Since(start)
		runtime.GC()
		bareTime += bare.roundTrips(b, len(cases))
	}
	verifyNsPerCase := float64(verifyTime.Nanoseconds()) / float64(b.N*len(cases))
	roundTripNs := float64(bareTime.Nanoseconds()) / float64(b.N*len(cases))
	b.StopTimer()

	b.ReportMetric(0, "ns/op")
	b.ReportMetric(1e9/verifyNsPerCase, "cases/s")
	b.ReportMetric(verifyNsPerCase, "ns/case")
	b.ReportMetric(roundTripNs, "roundtrip-ns")
	b.ReportMetric(verifyNsPerCase/roundTripNs, "x-roundtrip")
	b.ReportMetric(requestsPerCase, "req/case")
}

// benchCases is what verify runs by default: every fixture of both APIs and
// the generated cases.
func benchCases(tb testing.TB) []conformance.Case {
	cases, err := conformance.LoadCases(fixtures.FS, openapi.APIs())
	if err != nil {
		tb.Fatal(err)
	}
	for _, api := range openapi.APIs() {
		cases = append(cases, casegen.Generate(api, benchSeed, benchGeneratedPerAPI, len(cases))...)
	}
	return cases
}

// bareTarget is the limit a verify run is measured against: a loopback
// server whose handler only drains the body and answers {}, and a client
// configured as the runner's (an idle connection kept for every worker).
type bareTarget struct {
	url    string
	client *http.Client
}

func startBareTarget(b *testing.B) bareTarget {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, "{}")
	}))
	b.Cleanup(server.Close)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	b.Cleanup(transport.CloseIdleConnections)
	return bareTarget{url: server.URL + "/v1/auth/m2m", client: &http.Client{Transport: transport}}
}

// roundTrips sends n small JSON POSTs, benchParallel at a time like
// RunAll, and returns how long they took.
func (t bareTarget) roundTrips(b *testing.B, n int) time.Duration {
	body := []byte(`{"config":{"type":"GENERIC","issuer":"https://issuer.example","tokenExpirationDuration":"2h45m","mappings":[{"key":"sub","valueExpression":"ci-.*","role":"Admin"}]}}`)
	var left atomic.Int64
	left.Store(int64(n))
	errs := make(chan error, benchParallel)
	var wg sync.WaitGroup
	start := time.Now()
	for range benchParallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				req, err := http.NewRequest(http.MethodPost, t.url, bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer bench-token")
				resp, err := t.client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		b.Fatalf("bare round trip: %v", err)
	}
	return elapsed
}
