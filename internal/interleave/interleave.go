// Package interleave times several operations against each other for
// benchmarks that report ratios: the operations take turns, so that a
// machine slowing down mid-benchmark (another process, the GC, the CPU
// clock) slows each of them alike and their ratios hold.
package interleave

import "time"

// rounds is how many turns the operations take.
const rounds = 100

// NsPerOp runs every op n times, in rounds that take turns, and returns each
// op's mean wall time in nanoseconds.
func NsPerOp(n int, ops ...func()) []float64 {
	total := make([]time.Duration, len(ops))
	done := 0
	for round := range rounds {
		batch := n*(round+1)/rounds - done
		for i, op := range ops {
			start := time.Now()
			for range batch {
				op()
			}
			total[i] += time.Since(start)
		}
		done += batch
	}
	ns := make([]float64, len(ops))
	for i, t := range total {
		ns[i] = float64(t.Nanoseconds()) / float64(n)
	}
	return ns
}
