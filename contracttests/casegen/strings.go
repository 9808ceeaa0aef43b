package casegen

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// freeText are values for fields the documents leave free (mapping keys and
// roles): plain words, scripts other than Latin, characters JSON must
// escape, astral-plane emoji, whitespace at the edges, and long strings.
// None is empty, since the documents do not say whether empty is allowed.
var freeText = []string{
	"sub", "aud", "repository", "job_workflow_ref", "email",
	"Admin", "Analyst", "Continuous Integration", "Sensor Creator",
	"사용자", "관리자", "ключ", "ロール", "مفتاح", "κλειδί",
	"🔑", "role-🚀-ci", "e\u0301", // a combining accent
	`quote"inside`, `back\slash`, "tab\tinside", "line\nbreak",
	"<script>", "a&b", " padded ", "{}", "null", "0",
}

// randomText draws a free-text value: from the list above, or built from
// random runes of several scripts, sometimes long.
func randomText(rng *rand.Rand) string {
	switch rng.IntN(4) {
	case 0, 1:
		return freeText[rng.IntN(len(freeText))]
	case 2:
		return randomRunes(rng, 1+rng.IntN(24))
	default:
		// Long values: the documents set no length limit, and a target
		// that truncates would not echo the config back.
		return strings.Repeat(randomRunes(rng, 1+rng.IntN(8)), 16+rng.IntN(48))
	}
}

// runeRanges are the blocks randomRunes draws from: ASCII letters and
// digits, Latin-1, Greek, Cyrillic, Hangul, CJK and emoji.
var runeRanges = [][2]rune{
	{'a', 'z'}, {'A', 'Z'}, {'0', '9'}, {0x00C0, 0x00FF}, {0x0391, 0x03C9},
	{0x0410, 0x044F}, {0xAC00, 0xD7A3}, {0x4E00, 0x4FFF}, {0x1F600, 0x1F64F},
}

func randomRunes(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		r := runeRanges[rng.IntN(len(runeRanges))]
		b.WriteRune(r[0] + rune(rng.IntN(int(r[1]-r[0]+1))))
	}
	return b.String()
}

// shorterStrings lists values one step simpler than s that keep holds for:
// a canonical simple value first, then each half, then (for short values)
// s without one rune. Halves come first so that a long value loses most of
// itself in few steps; single runes go only once it is short.
func shorterStrings(s, canonical string, keep func(string) bool) []string {
	var out []string
	seen := map[string]bool{s: true}
	try := func(candidate string) {
		if !seen[candidate] && utf8.ValidString(candidate) && keep(candidate) {
			seen[candidate] = true
			out = append(out, candidate)
		}
	}
	// The canonical value is simpler when it is no longer, or when it is
	// plain ASCII and s is not; either way shrinking cannot come back to s.
	shorter := utf8.RuneCountInString(canonical) <= utf8.RuneCountInString(s)
	plainer := !strings.ContainsFunc(canonical, notASCII) && strings.ContainsFunc(s, notASCII)
	if canonical != "" && (shorter || plainer) {
		try(canonical)
	}
	runes := []rune(s)
	if len(runes) > 1 {
		try(string(runes[:len(runes)/2]))
		try(string(runes[len(runes)/2:]))
	}
	if len(runes) > 1 && len(runes) <= 12 {
		for i := range runes {
			try(string(runes[:i]) + string(runes[i+1:]))
		}
	}
	return out
}

func notASCII(r rune) bool { return r >= utf8.RuneSelf }

// nonEmpty is the only constraint the documents put on free text: none, so
// shrinking just keeps it from vanishing.
func nonEmpty(s string) bool { return strings.TrimSpace(s) != "" }
