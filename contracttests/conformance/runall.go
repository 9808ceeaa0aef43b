package conformance

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
)

// CaseResult is one case as reported: shrunk if it was a failing generated
// case, with its outcomes.
type CaseResult struct {
	Case     Case
	Outcomes []Outcome
}

// timeoutsInARow is how many cases in a row may end in a timeout before
// the rest are reported without being sent: a target that has stopped
// answering would otherwise hold a run for cases × --timeout.
const timeoutsInARow = 3

// RunAll runs the cases, parallel at a time, and returns their results in
// the order of cases, however they were scheduled. Cases marked runFirst
// all finish before any other starts: they probe rules that state other
// cases create could mask. done, if not nil, is called as each case
// finishes (from several goroutines when parallel > 1).
func (r *Runner) RunAll(ctx context.Context, cases []Case, parallel int, done func(CaseResult)) []CaseResult {
	results := make([]CaseResult, len(cases))
	breaker := &timeoutBreaker{}
	first, rest := Phases(cases)
	for _, phase := range [][]int{first, rest} {
		next := make(chan int)
		var wg sync.WaitGroup
		for range max(1, parallel) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					results[i] = r.runGuarded(ctx, cases[i], breaker)
					if done != nil {
						done(results[i])
					}
				}
			}()
		}
		for _, i := range phase {
			next <- i
		}
		close(next)
		wg.Wait()
	}
	return results
}

// Phases splits the indices of cases into those that must run first and
// the rest, each in the order of cases.
func Phases(cases []Case) (first, rest []int) {
	for i, c := range cases {
		if c.Fixture.RunFirst {
			first = append(first, i)
		} else {
			rest = append(rest, i)
		}
	}
	return first, rest
}

func (r *Runner) runGuarded(ctx context.Context, c Case, breaker *timeoutBreaker) CaseResult {
	if len(r.Planned(c)) == 0 {
		// None of its checks is selected: nothing to send it for.
		return CaseResult{Case: c}
	}
	if why := breaker.tripped(); why != "" {
		return CaseResult{c, r.notSent(c, why)}
	}
	if ctx.Err() != nil {
		return CaseResult{c, r.notSent(c, "the run was interrupted")}
	}
	reported, outcomes := r.RunShrunk(ctx, c)
	breaker.record(outcomes)
	return CaseResult{reported, outcomes}
}

// notSent reports every check of a case that was not sent as failed.
func (r *Runner) notSent(c Case, why string) []Outcome {
	return r.allFailed(c, baseOutcome(c), "not sent: "+why)
}

// timeoutBreaker trips after timeoutsInARow cases in a row end in a timeout.
type timeoutBreaker struct {
	mu       sync.Mutex
	inARow   int
	lastCase string
}

func (b *timeoutBreaker) record(outcomes []Outcome) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(outcomes) > 0 && outcomes[0].timedOut {
		b.inARow++
		b.lastCase = outcomes[0].Case
		return
	}
	if b.inARow < timeoutsInARow {
		b.inARow = 0
	}
}

func (b *timeoutBreaker) tripped() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.inARow < timeoutsInARow {
		return ""
	}
	return fmt.Sprintf("the target timed out on %d cases in a row (the last: %q)", b.inARow, b.lastCase)
}

// isTimeout tells a target that did not answer in time from one that
// answered badly.
func isTimeout(err error) bool {
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout()
}
