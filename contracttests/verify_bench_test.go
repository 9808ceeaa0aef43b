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
	// bulkBytes splits the cases: one that sends a body larger than this
	// (the several-MiB cases) is timed by the bytes it moves, not by the
	// case.
	bulkBytes = 64 << 10
)

// BenchmarkVerifyThroughputVersusBareRoundTrip measures what a verify run
// does per case against the in-process reference server — draw the cases,
// send them, judge the answers with both validators, shrink nothing (the
// reference passes), tally coverage and stream the text and JSON reports —
// against its floor: the very requests that run sent, replayed raw to the
// same reference server with the same parallelism and their answers read
// and thrown away. The reference server's own work is on both sides, so
// the ratio is what the harness adds.
//
// Cases whose requests all fit in 64 KiB give x-roundtrip (ns per case
// over the floor's ns for that case's requests; req/case says how many
// exchanges a case sends, setup and the generated client's second send
// included). The several-MiB cases give bulk-x-loopback: the time verify
// takes to move their bytes over the time the raw replay takes.
// Compiling the validators (NewRunner) is a fixed cost per run and is
// left out.
func BenchmarkVerifyThroughputVersusBareRoundTrip(b *testing.B) {
	recorder := &requestRecorder{}
	server, target := startBenchReference(b, recorder)
	runner, err := conformance.NewRunner(target, conformance.Options{RunID: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()

	// One untimed pass runs each case alone, proves the reference passes
	// it (a failure would time shrinking, not verifying), and records the
	// requests it sent: the floor replays them.
	cases := benchCaseList(b)
	var ordinary, bulk benchShare
	for i := range cases.Len() {
		c := cases.At(i)
		recorder.start()
		for _, o := range runner.Run(ctx, c) {
			if o.IsFailure() {
				b.Fatal("the reference fails a case, so the benchmark would time shrinking:\n" + report.FailureBlock(o, fmt.Sprintf("seed %d", benchSeed)))
			}
		}
		sent := recorder.stop()
		share := &ordinary
		if sent.largestBody() > bulkBytes {
			share = &bulk
		}
		share.positions = append(share.positions, i)
		share.requests = append(share.requests, sent...)
	}
	replay := newReplayer(server.URL)

	b.ResetTimer()
	// Each iteration times verify and its floor back to back, so that a
	// machine slowing down during the benchmark slows both alike. Each
	// starts on a collected heap, as a fresh `authcontract verify` does.
	var verifyOrdinary, floorOrdinary, verifyBulk, floorBulk time.Duration
	for range b.N {
		verifyOrdinary += timed(func() { verifyRun(ctx, runner, ordinary.of(cases)) })
		floorOrdinary += timed(func() { replay.all(b, ordinary.requests) })
		verifyBulk += timed(func() { verifyRun(ctx, runner, bulk.of(cases)) })
		floorBulk += timed(func() { replay.all(b, bulk.requests) })
	}
	b.StopTimer()
	perCase := func(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(b.N*n) }

	b.ReportMetric(0, "ns/op")
	b.ReportMetric(1e9/perCase(verifyOrdinary, len(ordinary.positions)), "cases/s")
	b.ReportMetric(perCase(verifyOrdinary, len(ordinary.positions)), "ns/case")
	b.ReportMetric(perCase(floorOrdinary, len(ordinary.positions)), "roundtrip-ns")
	b.ReportMetric(float64(verifyOrdinary)/float64(floorOrdinary), "x-roundtrip")
	b.ReportMetric(float64(len(ordinary.requests))/float64(len(ordinary.positions)), "req/case")
	b.ReportMetric(float64(bulk.bytes())*float64(b.N)/verifyBulk.Seconds()/(1<<20), "bulk-MiB/s")
	b.ReportMetric(float64(verifyBulk)/float64(floorBulk), "bulk-x-loopback")
}

// BenchmarkVerifyAtScale runs verify, as the command does, over 1,000 and
// then 10,000 generated cases per operation (the fixtures, a fixed cost
// per run, left out), and reports for each the peak
// heap per case (heap-bytes/case, the peak of the live heap during the run
// over the cases run) and the cases per second; then how the second run
// compares with the first: heap-ratio (its heap-bytes/case over the
// first's) and scale-ratio (its cases/s over the first's). A run whose
// memory grows with its length, or slows as it goes, shows here. The
// in-process reference server's heap, which holds every config stored, is
// part of the figure.
func BenchmarkVerifyAtScale(b *testing.B) {
	type measured struct{ heapPerCase, casesPerSecond float64 }
	results := map[int]measured{}
	for _, perAPI := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("cases=%d", perAPI), func(b *testing.B) {
			_, target := startBenchReference(b, nil)
			var m measured
			for i := range b.N {
				runner, err := conformance.NewRunner(target, conformance.Options{RunID: fmt.Sprintf("scale%d-%d", perAPI, i)})
				if err != nil {
					b.Fatal(err)
				}
				cases := generatedCases(perAPI)
				// A first pass over every 50th case builds what a run builds
				// once (the shared several-MiB bodies, the connections), so
				// that both scales time the same per-case work.
				verifyRun(context.Background(), runner, cases.Shard(1, 50))
				runtime.GC()
				peak := watchPeakHeap()
				elapsed := timed(func() { verifyRun(context.Background(), runner, cases) })
				m.heapPerCase += float64(peak()) / float64(cases.Len()) / float64(b.N)
				m.casesPerSecond += float64(cases.Len()) / elapsed.Seconds() / float64(b.N)
			}
			results[perAPI] = m
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(m.heapPerCase, "heap-bytes/case")
			b.ReportMetric(m.casesPerSecond, "cases/s")
		})
	}
	b.Run("10000-against-1000", func(b *testing.B) {
		small, large := results[1000], results[10000]
		if small.casesPerSecond == 0 || large.casesPerSecond == 0 {
			b.Skip("both scales must run in the same invocation")
		}
		b.ReportMetric(0, "ns/op")
		b.ReportMetric(large.heapPerCase/small.heapPerCase, "heap-ratio")
		b.ReportMetric(large.casesPerSecond/small.casesPerSecond, "scale-ratio")
	})
}

// verifyRun is what `authcontract verify` does with cases once its runner
// is built: run them in order, tally coverage, stream the text and JSON
// reports (here to nowhere).
func verifyRun(ctx context.Context, runner *conformance.Runner, cases conformance.CaseList) {
	stream := report.NewStream(report.Run{Seed: benchSeed}, io.Discard, false, io.Discard, nil)
	coverage := runner.NewCoverageTally(openapi.APIs())
	runner.RunEach(ctx, cases, benchParallel, func(result conformance.CaseResult) {
		coverage.Add(result.Outcomes)
		stream.Add(result.Outcomes)
	})
	stream.Finish(report.Run{Coverage: coverage.Coverage()})
}

// watchPeakHeap samples the live heap until the returned function is
// called, which stops sampling and returns the peak over the heap at the
// start.
func watchPeakHeap() func() uint64 {
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	base := heap()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		ticker := time.NewTicker(20 * time.Millisecond)
		defer ticker.Stop()
		for {
			if h := heap(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-stop:
				return
			case <-ticker.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return max(peak.Load(), base) - base
	}
}

func timed(f func()) time.Duration {
	runtime.GC()
	start := time.Now()
	f()
	return time.Since(start)
}

// startBenchReference serves the reference implementation in-process,
// through recorder when it is not nil.
func startBenchReference(b *testing.B, recorder *requestRecorder) (*httptest.Server, conformance.Target) {
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "bench-token"
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if recorder != nil {
		recorder.next = handler
		handler = recorder
	}
	server := httptest.NewServer(handler)
	b.Cleanup(server.Close)
	return server, conformance.Target{
		BaseURL:      server.URL,
		Token:        cfg.BearerToken,
		ContainerApp: cfg.ContainerApps.Apps[0],
		APIVersion:   conformance.DefaultAPIVersion,
	}
}

// benchCaseList is what verify runs by default: every fixture of both APIs
// and the generated cases.
func benchCaseList(tb testing.TB) conformance.CaseList {
	return benchCasesPerAPI(tb, benchGeneratedPerAPI)
}

func benchCasesPerAPI(tb testing.TB, perAPI int) conformance.CaseList {
	builtIn, err := conformance.LoadCases(fixtures.FS, openapi.APIs())
	if err != nil {
		tb.Fatal(err)
	}
	return conformance.Concat(conformance.ListOf(builtIn...), generatedCases(perAPI))
}

// generatedCases is perAPI cases of each API drawn from benchSeed.
func generatedCases(perAPI int) conformance.CaseList {
	var lists []conformance.CaseList
	for _, api := range openapi.APIs() {
		lists = append(lists, casegen.List(api, benchSeed, perAPI))
	}
	return conformance.Concat(lists...)
}

// benchShare is the cases of one kind (ordinary or bulk) and the requests
// they sent when recorded.
type benchShare struct {
	positions []int
	requests  recordedRequests
}

// of is the share's cases, each drawn when the run reaches it, as verify
// draws them.
func (s benchShare) of(cases conformance.CaseList) conformance.CaseList {
	return conformance.NewCaseList(len(s.positions), func(i int) conformance.Case { return cases.At(s.positions[i]) })
}

func (s benchShare) bytes() int {
	n := 0
	for _, r := range s.requests {
		n += len(r.body)
	}
	return n
}

// recordedRequest is one request as the reference server received it.
type recordedRequest struct {
	method, url string
	header      http.Header
	body        []byte
}

type recordedRequests []recordedRequest

func (rs recordedRequests) largestBody() int {
	largest := 0
	for _, r := range rs {
		largest = max(largest, len(r.body))
	}
	return largest
}

// requestRecorder keeps the requests the server receives between start
// and stop.
type requestRecorder struct {
	next http.Handler
	mu   sync.Mutex
	on   bool
	got  recordedRequests
}

func (rec *requestRecorder) start() {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.on, rec.got = true, nil
}

func (rec *requestRecorder) stop() recordedRequests {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.on = false
	return rec.got
}

func (rec *requestRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	on := rec.on
	rec.mu.Unlock()
	if on {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec.mu.Lock()
		rec.got = append(rec.got, recordedRequest{r.Method, r.URL.RequestURI(), r.Header.Clone(), body})
		rec.mu.Unlock()
	}
	rec.next.ServeHTTP(w, r)
}

// replayer sends recorded requests raw: no validation, no judging, the
// answer read and thrown away.
type replayer struct {
	base   string
	client *http.Client
}

func newReplayer(base string) replayer {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	return replayer{base: base, client: &http.Client{Transport: transport}}
}

// all sends the requests, benchParallel at a time like verify.
func (p replayer) all(b *testing.B, requests recordedRequests) {
	var next atomic.Int64
	errs := make(chan error, benchParallel)
	var wg sync.WaitGroup
	for range benchParallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(len(requests)); i = next.Add(1) - 1 {
				if err := p.send(requests[i]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatalf("replay: %v", err)
	}
}

func (p replayer) send(r recordedRequest) error {
	req, err := http.NewRequest(r.method, p.base+r.url, bytes.NewReader(r.body))
	if err != nil {
		return err
	}
	req.Header = r.header.Clone()
	resp, err := p.client.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}
