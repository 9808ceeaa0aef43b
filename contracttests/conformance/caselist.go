package conformance

import "iter"

// CaseList is a run's cases in order. A case is made when the run reaches
// it, so that a run of any length holds only the cases in flight: a
// generated case is drawn from its seed and number alone, and made again
// when it is needed again. A case's Index is its position in the whole
// run, which a shard keeps.
type CaseList struct {
	n  int
	at func(i int) Case
}

// NewCaseList is the list of n cases whose case i is at(i), numbered i.
// at must be safe to call from several goroutines, and give the same case
// each time.
func NewCaseList(n int, at func(i int) Case) CaseList {
	return CaseList{n: n, at: numbered(at)}
}

func numbered(at func(i int) Case) func(i int) Case {
	return func(i int) Case {
		c := at(i)
		c.Index = i
		return c
	}
}

// ListOf is a list of cases already made.
func ListOf(cases ...Case) CaseList {
	return NewCaseList(len(cases), func(i int) Case { return cases[i] })
}

// Len is how many cases the list holds.
func (l CaseList) Len() int { return l.n }

// At makes case i.
func (l CaseList) At(i int) Case { return l.at(i) }

// All makes the cases one after the other.
func (l CaseList) All() iter.Seq[Case] {
	return func(yield func(Case) bool) {
		for i := range l.n {
			if !yield(l.At(i)) {
				return
			}
		}
	}
}

// Slice makes every case: for tests and small runs.
func (l CaseList) Slice() []Case {
	cases := make([]Case, 0, l.n)
	for c := range l.All() {
		cases = append(cases, c)
	}
	return cases
}

// Concat is the cases of the lists one after the other, numbered anew.
func Concat(lists ...CaseList) CaseList {
	n := 0
	for _, l := range lists {
		n += l.n
	}
	return NewCaseList(n, func(i int) Case {
		for _, l := range lists {
			if i < l.n {
				return l.At(i)
			}
			i -= l.n
		}
		panic("conformance: case index out of range")
	})
}

// Shard is one CI job's share of a run: the cases whose position in the
// run is index-1 modulo count (--shard index/count, index from 1), in
// order, each keeping its number in the whole run. The shards of one seed
// together are exactly the unsharded run.
func (l CaseList) Shard(index, count int) CaseList {
	if count <= 1 {
		return l
	}
	n := 0
	if l.n >= index {
		n = (l.n-index)/count + 1
	}
	return CaseList{n: n, at: func(i int) Case { return l.At(i*count + index - 1) }}
}
