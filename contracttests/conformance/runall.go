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

// reorderWindow is how many cases, per worker, may finish ahead of the
// earliest one still running: their results wait to be reported in order,
// and a slow case must not let them pile up without bound.
const reorderWindow = 64

// RunEach runs the cases, parallel at a time, and hands each result to emit
// as soon as every case before it has been handed over: in the order of
// cases, except that cases marked runFirst all finish, and are handed
// over, before any other starts (they probe rules that state other cases
// create could mask). emit is called from RunEach's goroutine, one result at a
// time; a result it does not keep is garbage, so a run's memory does not
// grow with its length.
func (r *Runner) RunEach(ctx context.Context, cases CaseList, parallel int, emit func(CaseResult)) {
	breaker := &timeoutBreaker{}
	first, rest := Phases(cases)
	for _, phase := range [][]int{first, rest} {
		r.runInOrder(ctx, cases, phase, max(1, parallel), breaker, emit)
	}
}

// RunAll runs the cases as RunEach does and returns their results in the order
// RunEach hands them over.
func (r *Runner) RunAll(ctx context.Context, cases []Case, parallel int) []CaseResult {
	results := make([]CaseResult, 0, len(cases))
	r.RunEach(ctx, ListOf(cases...), parallel, func(result CaseResult) { results = append(results, result) })
	return results
}

// runInOrder runs the cases at the given positions, parallel at a time,
// and emits their results in that order.
func (r *Runner) runInOrder(ctx context.Context, cases CaseList, positions []int, parallel int, breaker *timeoutBreaker, emit func(CaseResult)) {
	type job struct{ turn, position int }
	type done struct {
		turn   int
		result CaseResult
	}
	// A slot is taken when a case is handed to a worker and given back
	// when its result is emitted.
	slots := make(chan struct{}, parallel*reorderWindow)
	jobs := make(chan job)
	finished := make(chan done)
	var workers sync.WaitGroup
	for range parallel {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for j := range jobs {
				finished <- done{j.turn, r.runGuarded(ctx, cases.At(j.position), breaker)}
			}
		}()
	}
	go func() {
		for turn, position := range positions {
			slots <- struct{}{}
			jobs <- job{turn, position}
		}
		close(jobs)
		workers.Wait()
		close(finished)
	}()
	waiting := map[int]CaseResult{}
	next := 0
	for d := range finished {
		waiting[d.turn] = d.result
		for {
			result, ok := waiting[next]
			if !ok {
				break
			}
			delete(waiting, next)
			emit(result)
			<-slots
			next++
		}
	}
}

// Phases splits the positions of cases into those that must run first and
// the rest, each in the order of cases. It makes every case once.
func Phases(cases CaseList) (first, rest []int) {
	for i := range cases.Len() {
		if cases.At(i).Fixture.RunFirst {
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
