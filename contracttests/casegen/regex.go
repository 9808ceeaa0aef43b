package casegen

import (
	"math/rand/v2"
	"regexp"
	"regexp/syntax"
	"strings"
)

// The document: "이 정규식은 RE2 형식으로 되어 있습니다." (This regular expression is
// in RE2 format.) Go's regexp implements RE2's syntax, so it decides.
// regexp.Compile refuses exactly what syntax.Parse with the Perl flags
// refuses (compiling a parsed expression cannot fail); parsing alone
// skips building the program, most of what drawing a case cost.
func isRE2(expression string) bool {
	_, err := syntax.Parse(expression, syntax.Perl)
	return err == nil
}

// re2Pieces are building blocks of valid RE2 expressions: literals of
// several scripts, classes, Unicode categories, anchors, flags, groups and
// bounded repetition.
var re2Pieces = []string{
	"repo:octo-org/octo-repo:.*", "^ci-[a-z]+$", ".*", `[0-9]{1,4}`, `\d+`, `\w+@example\.com`,
	`\p{Hangul}+`, `\p{Greek}`, `\pL`, `(?i)admin`, `(?s).`, `(?P<team>[a-z]+)`, `(?:ab|cd)*`,
	`^refs/heads/(main|release-[0-9.]+)$`, `[[:alpha:]]`, `\A.*\z`, `a{2,1000}`, `x*?`, `[^\n]`,
	`사용자-\d`, `🔑+`, `\x{1F600}`, `\Qa.b\E`, `[\p{Han}&&]?`,
}

// validRE2 joins one to three pieces, sometimes with a quoted literal of
// random text, and keeps only what compiles.
func validRE2(rng *rand.Rand) string {
	for {
		var parts []string
		for range 1 + rng.IntN(3) {
			if rng.IntN(4) == 0 {
				parts = append(parts, regexp.QuoteMeta(randomText(rng)))
				continue
			}
			parts = append(parts, re2Pieces[rng.IntN(len(re2Pieces))])
		}
		expression := strings.Join(parts, []string{"", "|"}[rng.IntN(2)])
		if isRE2(expression) && len(expression) < 4096 {
			return expression
		}
	}
}

// notRE2 are expressions RE2 refuses: Perl's lookaround and
// backreferences, which RE2 leaves out on purpose, and plain syntax errors.
var notRE2 = []struct{ expression, why string }{
	{`(?=x)`, "uses lookahead (?=…), which RE2 does not support"},
	{`(?!x)y`, "uses negative lookahead (?!…), which RE2 does not support"},
	{`(?<=a)b`, "uses lookbehind (?<=…), which RE2 does not support"},
	{`(?<!a)b`, "uses negative lookbehind (?<!…), which RE2 does not support"},
	{`(a)\1`, "uses a backreference \\1, which RE2 does not support"},
	{`(abc`, "has an unclosed group"},
	{`abc)`, "has an unopened group"},
	{`[z-a]`, "has a class range out of order"},
	{`a**`, "repeats a repetition"},
	{`x{1001}`, "repeats more than RE2's limit of 1000"},
	{`a\`, "ends in a lone backslash"},
	{`[[:word:]`, "has an unclosed class"},
	{`\8`, "has an invalid escape"},
	{`(?<name`, "has an unfinished group name"},
}
