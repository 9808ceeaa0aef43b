// Package knownfailing reads a list of outcomes an implementation is known
// to fail, so that a team can adopt the suite before its implementation
// passes everything: a listed failure does not fail the run, a listed case
// that now passes does (so the list only shrinks), and a pattern that
// names no case is an error (so the list cannot rot).
//
// A list is text, one pattern per line, naming outcomes as api/check/case
// (`acs-m2m/negative_rejection/a token expiration over 24h is refused`).
// In a pattern, `*` stands for any text within one segment and `**` for
// any text across segments; blank lines and lines starting with # are
// ignored. This is connectrpc/conformance's known-failing format.
package knownfailing

import (
	"bufio"
	"fmt"
	"io"
	"iter"
	"regexp"
	"strings"

	"github.com/authcontract/authcontract/contracttests/conformance"
)

// List is a parsed known-failing list.
type List struct {
	patterns []pattern
}

type pattern struct {
	text string
	line int
	re   *regexp.Regexp
}

// Parse reads a list; source names it in errors.
func Parse(r io.Reader, source string) (*List, error) {
	list := &List{}
	scanner := bufio.NewScanner(r)
	for line := 1; scanner.Scan(); line++ {
		text := strings.TrimSpace(scanner.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		re, err := compile(text)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", source, line, err)
		}
		list.patterns = append(list.patterns, pattern{text: text, line: line, re: re})
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", source, err)
	}
	return list, nil
}

// compile turns a pattern into a regular expression anchored at both ends.
func compile(text string) (*regexp.Regexp, error) {
	if strings.Count(text, "/") < 2 && !strings.Contains(text, "**") {
		return nil, fmt.Errorf("pattern %q does not name api/check/case", text)
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(text); i++ {
		switch {
		case strings.HasPrefix(text[i:], "**"):
			b.WriteString(".*")
			i++
		case text[i] == '*':
			b.WriteString("[^/]*")
		default:
			b.WriteString(regexp.QuoteMeta(text[i : i+1]))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// Empty reports whether the list names nothing.
func (l *List) Empty() bool { return l == nil || len(l.patterns) == 0 }

// CheckAgainst fails when a pattern matches none of the planned outcome
// names, so that a stale or mistyped entry is found before the run. The
// names are read once, as they come.
func (l *List) CheckAgainst(planned iter.Seq[string]) error {
	if l == nil {
		return nil
	}
	matched := make([]bool, len(l.patterns))
	for name := range planned {
		for i, p := range l.patterns {
			matched[i] = matched[i] || p.re.MatchString(name)
		}
	}
	var unmatched []string
	for i, p := range l.patterns {
		if !matched[i] {
			unmatched = append(unmatched, fmt.Sprintf("line %d: %s", p.line, p.text))
		}
	}
	if len(unmatched) > 0 {
		return fmt.Errorf("known-failing patterns that match no case of this run: %s", strings.Join(unmatched, "; "))
	}
	return nil
}

// Apply marks the outcomes the list names: a failure becomes a known
// failure, which does not fail the run; a pass becomes a failure, since a
// listed outcome that passes must leave the list. Warnings and skipped
// outcomes are left as they are.
func (l *List) Apply(outcomes []conformance.Outcome) {
	if l.Empty() {
		return
	}
	for i := range outcomes {
		o := &outcomes[i]
		p, listed := l.match(o.Name())
		if !listed {
			continue
		}
		switch {
		case o.IsFailure():
			o.Result = conformance.KnownFailure
			o.Expected = fmt.Sprintf("%s (known failing: %q, line %d)", o.Expected, p.text, p.line)
		case o.Result == conformance.Passed:
			o.Result = conformance.Failed
			o.Expected = fmt.Sprintf("a failure, as the known-failing list says (%q, line %d); it passes now: remove it from the list", p.text, p.line)
		}
	}
}

func (l *List) match(name string) (pattern, bool) {
	for _, p := range l.patterns {
		if p.re.MatchString(name) {
			return p, true
		}
	}
	return pattern{}, false
}
