package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
)

// numberedCase is a refused ACS add whose body names its number, so that
// a server can tell the cases apart.
func numberedCase(i int, runFirst bool) Case {
	raw := strconv.Itoa(i)
	return Case{API: openapi.ACSM2M, Fixture: fixture.Fixture{
		Name: fmt.Sprintf("case %d", i), Kind: fixture.Negative, RunFirst: runFirst,
		Request: fixture.Request{Method: http.MethodPost, Path: "/v1/auth/m2m", RawBody: &raw},
		Expect:  fixture.Expect{Status: fixture.Status{"4xx"}, Broken: "its body"},
	}}
}

// refusingAfter answers every add with a proper refusal, after the delay
// delay gives for the case number in the body; it records which cases it
// was sent, and how many it held at once.
type refusingAfter struct {
	delay            func(i int) time.Duration
	mu               sync.Mutex
	sent             []int
	inFlight, atOnce int
}

func (s *refusingAfter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	i, _ := strconv.Atoi(string(body))
	s.mu.Lock()
	s.sent = append(s.sent, i)
	s.inFlight++
	s.atOnce = max(s.atOnce, s.inFlight)
	s.mu.Unlock()
	time.Sleep(s.delay(i))
	s.mu.Lock()
	s.inFlight--
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, `{"code":3,"message":"no"}`)
}

func runnerFor(t *testing.T, handler http.Handler) *Runner {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return runnerAgainst(t, server.URL)
}

// runnerAgainst is a runner for the target at base, with a token and an
// app of the right shapes.
func runnerAgainst(t *testing.T, base string) *Runner {
	t.Helper()
	r, err := NewRunner(Target{BaseURL: base, Token: "test-token", ContainerApp: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app", APIVersion: DefaultAPIVersion}, Options{RunID: "unit"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRunEachHandsResultsOverInOrderWhateverOrderCasesFinishIn(t *testing.T) {
	const n = 40
	runsFirst := map[int]bool{17: true, 33: true}
	// Early cases are the slowest, so later ones finish first.
	server := &refusingAfter{delay: func(i int) time.Duration { return time.Duration(n-i) * time.Millisecond / 4 }}
	r := runnerFor(t, server)
	cases := NewCaseList(n, func(i int) Case { return numberedCase(i, runsFirst[i]) })

	var got []int
	r.RunEach(context.Background(), cases, 4, func(result CaseResult) { got = append(got, result.Case.Index) })

	want := []int{17, 33}
	for i := range n {
		if !runsFirst[i] {
			want = append(want, i)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("results came in the order\n%v, want\n%v", got, want)
	}
	t.Run("cases marked runFirst are sent before any other", func(t *testing.T) {
		firstTwo := map[int]bool{server.sent[0]: true, server.sent[1]: true}
		if !firstTwo[17] || !firstTwo[33] {
			t.Errorf("the first cases sent were %v", server.sent[:2])
		}
	})
	t.Run("no more cases are in flight than --parallel", func(t *testing.T) {
		if server.atOnce > 4 {
			t.Errorf("%d cases were in flight at once", server.atOnce)
		}
	})
}

func TestRunEachDoesNotRunFarAheadOfACaseThatHasNotFinished(t *testing.T) {
	const parallel = 2
	n := parallel*reorderWindow + 50
	release := make(chan struct{})
	var started atomic.Int64
	server := &refusingAfter{delay: func(int) time.Duration { return 0 }}
	r := runnerFor(t, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		started.Add(1)
		if req.Header.Get("X-Hold") != "" {
			<-release
		}
		server.ServeHTTP(w, req)
	}))
	cases := NewCaseList(n, func(i int) Case {
		c := numberedCase(i, false)
		if i == 0 {
			c.Fixture.Request.Headers = map[string]string{"X-Hold": "yes"}
		}
		return c
	})
	done := make(chan int)
	go func() {
		emitted := 0
		r.RunEach(context.Background(), cases, parallel, func(CaseResult) { emitted++ })
		done <- emitted
	}()
	// While case 0 hangs, the others run until the window is full.
	deadline := time.Now().Add(10 * time.Second)
	for started.Load() < int64(parallel*reorderWindow) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	if got := started.Load(); got != int64(parallel*reorderWindow) {
		t.Errorf("%d cases were sent while the first had not finished; the window holds %d", got, parallel*reorderWindow)
	}
	close(release)
	if emitted := <-done; emitted != n {
		t.Errorf("%d of %d results were handed over", emitted, n)
	}
}

// issuerStore answers adds as a Central store does: the first add of an
// issuer wins with its config echoed under a fresh id, later ones get 409.
// With checkThenSet, it looks the issuer up and stores it in two steps
// with a pause between, as a store without a transaction would: each step
// is safe (the race detector sees no race), the pair is not.
type issuerStore struct {
	checkThenSet bool
	mu           sync.Mutex
	issuers      map[string]bool
	ids          atomic.Int64
}

func (s *issuerStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Config map[string]any `json:"config"`
	}
	json.NewDecoder(r.Body).Decode(&body)
	issuer, _ := body.Config["issuer"].(string)
	taken := func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.issuers[issuer] }
	take := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.issuers[issuer] {
			return false
		}
		s.issuers[issuer] = true
		return true
	}
	won := false
	if s.checkThenSet {
		if !taken() {
			time.Sleep(20 * time.Millisecond)
			take()
			won = true
		}
	} else {
		won = take()
	}
	w.Header().Set("Content-Type", "application/json")
	if !won {
		w.WriteHeader(http.StatusConflict)
		io.WriteString(w, `{"code":6,"error":"issuer taken","message":"issuer taken","details":[]}`)
		return
	}
	body.Config["id"] = fmt.Sprintf("00000000-0000-4000-8000-%012d", s.ids.Add(1))
	json.NewEncoder(w).Encode(body)
}

func TestOfIdenticalAddsSentAtOnceExactlyOneMayWin(t *testing.T) {
	all, err := LoadCases(fixtures.FS, []openapi.API{openapi.ACSM2M})
	if err != nil {
		t.Fatal(err)
	}
	races := slices.DeleteFunc(all, func(c Case) bool { return c.Fixture.Kind != fixture.Race })
	if len(races) == 0 {
		t.Fatal("no race fixture")
	}
	for _, tc := range []struct {
		name  string
		store *issuerStore
		want  Result
	}{
		{"a store that takes an issuer in one step passes", &issuerStore{issuers: map[string]bool{}}, Passed},
		{"a store that checks, then takes, lets several win and fails", &issuerStore{issuers: map[string]bool{}, checkThenSet: true}, Failed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runnerFor(t, tc.store)
			for _, result := range r.RunAll(context.Background(), races, 4) {
				for _, o := range result.Outcomes {
					if o.Check == SingleWinner && o.Result != tc.want {
						t.Errorf("%s: %s, want %s (%s)", o.Case, o.Result, tc.want, o.Actual)
					}
				}
			}
		})
	}
}
