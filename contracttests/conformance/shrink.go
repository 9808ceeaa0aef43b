package conformance

import (
	"cmp"
	"context"
	"slices"
)

// Shrinking sends at most maxShrinkAttempts simpler variants for one failing
// case and shrinkBudget for a whole run, so that a target that fails
// everything cannot keep a run busy; failures past the budget are reported
// as generated.
const (
	maxShrinkAttempts = 200
	shrinkBudget      = 2000
)

// RunShrunk runs the case and, when a generated case fails, shrinks it to a
// minimal request that fails the same check. It returns the case as
// reported (the shrunk one, if any) and its outcomes.
func (r *Runner) RunShrunk(ctx context.Context, c Case) (Case, []Outcome) {
	outcomes := r.Run(ctx, c)
	failed := firstFailedCheck(outcomes)
	// Without an answer there is nothing simpler to learn: the target did
	// not respond, whatever was sent.
	if failed == "" || c.Simpler == nil || outcomes[0].Status == 0 {
		return c, outcomes
	}
	return r.shrink(ctx, c, outcomes, failed)
}

// shrink is greedy: it moves to the first simpler variant that still fails
// the check, and starts over from there, until no variant fails or the
// attempts run out. Variants are tried smallest request first, so that a
// huge value is dropped before a small one is trimmed.
func (r *Runner) shrink(ctx context.Context, c Case, outcomes []Outcome, check Check) (Case, []Outcome) {
	steps, attempts := 0, 0
	limit := r.takeShrinkBudget()
	// A closure, so that what is returned is what is left at the end.
	defer func() { r.returnShrinkBudget(limit - attempts) }()
	for progressed := true; progressed && attempts < limit; {
		progressed = false
		variants := c.Simpler()
		slices.SortStableFunc(variants, func(a, b Case) int { return cmp.Compare(requestSize(a), requestSize(b)) })
		for _, variant := range variants {
			if attempts == limit || ctx.Err() != nil {
				break
			}
			attempts++
			variant.Index = c.Index
			variantOutcomes := r.Run(ctx, variant)
			if fails(variantOutcomes, check) {
				c, outcomes, progressed = variant, variantOutcomes, true
				steps++
				break
			}
		}
	}
	for i := range outcomes {
		outcomes[i].Shrunk = steps
	}
	return c, outcomes
}

// takeShrinkBudget reserves up to maxShrinkAttempts attempts from what is
// left of the run's budget.
func (r *Runner) takeShrinkBudget() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := min(maxShrinkAttempts, r.shrinkBudget)
	r.shrinkBudget -= n
	return n
}

func (r *Runner) returnShrinkBudget(unused int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.shrinkBudget += unused
}

func requestSize(c Case) int {
	size := len(c.Fixture.Request.Body)
	if c.Fixture.Request.RawBody != nil {
		size += len(*c.Fixture.Request.RawBody)
	}
	return size
}

func firstFailedCheck(outcomes []Outcome) Check {
	for _, o := range outcomes {
		if o.IsFailure() {
			return o.Check
		}
	}
	return ""
}

func fails(outcomes []Outcome, check Check) bool {
	for _, o := range outcomes {
		if o.Check == check && o.IsFailure() {
			return true
		}
	}
	return false
}
