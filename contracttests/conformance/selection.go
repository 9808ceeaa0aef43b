package conformance

import (
	"fmt"
	"iter"
	"slices"
	"strings"
)

// ParseChecks reads a comma-separated list of check names (--checks,
// --exclude-checks); a name that is not a check is an error, so that a
// typo cannot silently select nothing.
func ParseChecks(list string) ([]Check, error) {
	var checks []Check
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !slices.Contains(Checks(), Check(name)) {
			return nil, fmt.Errorf("%q is not a check; the checks are %s", name, checkNames())
		}
		checks = append(checks, Check(name))
	}
	return checks, nil
}

// SelectChecks is the checks a run judges: those named in include (all
// when include is empty) less those in exclude.
func SelectChecks(include, exclude []Check) []Check {
	if len(include) == 0 {
		include = Checks()
	}
	var selected []Check
	for _, check := range include {
		if !slices.Contains(exclude, check) {
			selected = append(selected, check)
		}
	}
	return selected
}

func checkNames() string {
	names := make([]string, len(Checks()))
	for i, check := range Checks() {
		names[i] = string(check)
	}
	return strings.Join(names, ", ")
}

// Planned is the checks the run judges of c: the case's own, less those
// the run did not select.
func (r *Runner) Planned(c Case) []Check {
	planned := c.Checks()
	if r.opts.Checks == nil {
		return planned
	}
	return slices.DeleteFunc(planned, func(check Check) bool { return !slices.Contains(r.opts.Checks, check) })
}

// PlannedNames are the api/check/case names a run of cases reports, made
// one case at a time.
func (r *Runner) PlannedNames(cases CaseList) iter.Seq[string] {
	return func(yield func(string) bool) {
		for c := range cases.All() {
			for _, check := range r.Planned(c) {
				if !yield(Outcome{API: c.API, Check: check, Case: c.Name()}.Name()) {
					return
				}
			}
		}
	}
}

// ParseShard reads "I/N" with 1 ≤ I ≤ N.
func ParseShard(text string) (index, count int, err error) {
	if _, err := fmt.Sscanf(text, "%d/%d", &index, &count); err != nil || fmt.Sprintf("%d/%d", index, count) != text {
		return 0, 0, fmt.Errorf("shard %q is not of the form I/N, e.g. 2/4", text)
	}
	if count < 1 || index < 1 || index > count {
		return 0, 0, fmt.Errorf("shard %q: I must lie between 1 and N", text)
	}
	return index, count, nil
}

// ParseHeader reads "Name: value" (--header), refusing a text that names no
// header.
func ParseHeader(text string) (name, value string, err error) {
	name, value, ok := strings.Cut(text, ":")
	if name = strings.TrimSpace(name); !ok || name == "" || strings.ContainsAny(name, " \t") {
		return "", "", fmt.Errorf("header %q is not 'Name: value'", text)
	}
	return name, strings.TrimSpace(value), nil
}
