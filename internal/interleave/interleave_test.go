package interleave

import (
	"testing"
	"time"
)

func TestEveryOpRunsExactlyNTimes(t *testing.T) {
	for _, n := range []int{1, 7, 100, 1234} {
		counts := make([]int, 3)
		ops := []func(){func() { counts[0]++ }, func() { counts[1]++ }, func() { counts[2]++ }}
		ns := NsPerOp(n, ops...)
		for i, c := range counts {
			if c != n {
				t.Fatalf("n=%d: op %d ran %d times", n, i, c)
			}
		}
		if len(ns) != len(ops) {
			t.Fatalf("n=%d: %d figures for %d ops", n, len(ns), len(ops))
		}
	}
}

func TestASlowerOpMeasuresSlower(t *testing.T) {
	ns := NsPerOp(200, func() {}, func() { time.Sleep(50 * time.Microsecond) })
	if ns[1] <= ns[0] {
		t.Fatalf("sleeping op measured %.0f ns, empty op %.0f ns", ns[1], ns[0])
	}
}
