package casegen

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A schema's pattern is the one place that says what a value of the field
// looks like, so a value is drawn from the pattern itself: the parsed
// expression is walked, taking a random branch of each alternation, a
// random count of each repetition, a random rune of each class. Anchors
// and word boundaries produce nothing; the result is checked against the
// compiled pattern afterwards, and drawn again when a boundary or
// anchor in an odd place made it miss.

// extraRepeats is how far past its minimum an open repetition (*, +,
// {n,}) goes: enough for variety, short enough to stay within any
// maxLength a field is likely to have.
const extraRepeats = 4

// patternText draws a string f's pattern matches, with a length f allows;
// ok is false when no try found one (a pattern and lengths that cannot
// both hold, say).
func patternText(rng *rand.Rand, f *field) (string, bool) {
	for range 64 {
		var b strings.Builder
		writeMatch(rng, &b, f.patternRE)
		text := b.String()
		if utf8.ValidString(text) && f.pattern.MatchString(text) && fitsLength(f, text) {
			return text, true
		}
	}
	return "", false
}

func writeMatch(rng *rand.Rand, b *strings.Builder, re *syntax.Regexp) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.IntN(2) == 0 {
				r = unicode.SimpleFold(r)
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		b.WriteRune(classRune(rng, re.Rune))
	case syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		b.WriteRune(rune(' ' + rng.IntN('~'-' '+1)))
	case syntax.OpCapture:
		writeMatch(rng, b, re.Sub[0])
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			writeMatch(rng, b, sub)
		}
	case syntax.OpAlternate:
		writeMatch(rng, b, re.Sub[rng.IntN(len(re.Sub))])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		low, high := repeatBounds(re)
		for range low + rng.IntN(high-low+1) {
			writeMatch(rng, b, re.Sub[0])
		}
	}
	// OpEmptyMatch, anchors and word boundaries write nothing; OpNoMatch
	// cannot be matched, and the check afterwards says so.
}

func repeatBounds(re *syntax.Regexp) (int, int) {
	switch re.Op {
	case syntax.OpStar:
		return 0, extraRepeats
	case syntax.OpPlus:
		return 1, 1 + extraRepeats
	case syntax.OpQuest:
		return 0, 1
	}
	if re.Max < 0 {
		return re.Min, re.Min + extraRepeats
	}
	return re.Min, min(re.Max, re.Min+extraRepeats)
}

// classRune picks a rune of a class given as sorted pairs of bounds,
// preferring printable ASCII where the class has some, so that values
// read well in reports.
func classRune(rng *rand.Rand, ranges []rune) rune {
	var printable [][2]rune
	for i := 0; i+1 < len(ranges); i += 2 {
		low, high := max(ranges[i], ' '), min(ranges[i+1], '~')
		if low <= high {
			printable = append(printable, [2]rune{low, high})
		}
	}
	if len(printable) > 0 && rng.IntN(4) != 0 {
		r := printable[rng.IntN(len(printable))]
		return r[0] + rune(rng.IntN(int(r[1]-r[0]+1)))
	}
	if len(ranges) == 0 {
		return 'x'
	}
	i := 2 * rng.IntN(len(ranges)/2)
	low, high := ranges[i], min(ranges[i+1], unicode.MaxRune)
	r := low + rune(rng.Int64N(int64(high-low)+1))
	if !utf8.ValidRune(r) || !unicode.IsPrint(r) {
		return low
	}
	return r
}

// nonMatching are strings tried, in this order after the field's own
// variants, for a value a pattern refuses.
var nonMatching = []string{"", " ", "!", "~~", "not matching", "\u00e9", "0", "x"}

// patternBreak finds a string f's pattern refuses, of a length f allows:
// first the allowed value with a character added or taken away, then
// plain strings. ok is false when the pattern matches them all (a pattern
// such as ".*" cannot be broken).
func patternBreak(rng *rand.Rand, f *field, allowed string) (string, bool) {
	candidates := []string{allowed + "!", "!" + allowed, allowed + " "}
	if runes := []rune(allowed); len(runes) > 0 {
		candidates = append(candidates, "!"+string(runes[1:]), string(runes[:len(runes)-1]))
	}
	candidates = append(candidates, nonMatching...)
	candidates = append(candidates, randomText(rng))
	for _, text := range candidates {
		if !f.pattern.MatchString(text) && fitsLength(f, text) {
			return text, true
		}
	}
	return "", false
}
