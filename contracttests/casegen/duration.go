package casegen

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"
)

// The document: "가능한 유효한 시간 단위는 s, m, h입니다. 허용되는 최대 만료 기간은
// 24h입니다 … 기간 검증에 대한 자세한 내용은 https://pkg.go.dev/time#ParseDuration 을
// 참조하십시오." (Valid units are s, m, h; the maximum is 24h; validation is
// time.ParseDuration's.) It states no minimum, so zero is never generated
// either way.
const maxDuration = 24 * time.Hour

// durationSyntax is the spec's pattern: Go durations in h, m and s only.
var durationSyntax = regexp.MustCompile(`^(([0-9]+(\.[0-9]*)?|\.[0-9]+)[hms])+$`)

// isAllowedDuration reports whether the documents allow text: it parses as
// Go parses durations, uses only h, m and s, and lies in (0, 24h].
func isAllowedDuration(text string) bool {
	d, err := time.ParseDuration(text)
	return err == nil && durationSyntax.MatchString(text) && d > 0 && d <= maxDuration
}

// allowedDuration writes a duration of at most 24h in one of the many forms
// time.ParseDuration reads: compound ("1h30m15s"), one unit past its
// carry ("90m", "86400s"), fractions ("1.5h", ".5h"), explicit zero parts
// ("0h45m"), units out of order ("30m1h") and leading zeros ("01h").
func allowedDuration(rng *rand.Rand) string {
	boundaries := []int{1, 59, 60, 61, 3599, 3600, 3601, 86399, 86400}
	seconds := 1 + rng.IntN(86400)
	if rng.IntN(4) == 0 {
		seconds = boundaries[rng.IntN(len(boundaries))]
	}
	return writeDuration(rng, seconds)
}

// overMaximumDuration writes a duration over 24h, often just over it.
func overMaximumDuration(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return []string{"24h1s", "24h0m1s", "25h", "1441m", "86401s", "24.5h", "48h", "8760h"}[rng.IntN(8)]
	}
	return writeDuration(rng, 86401+rng.IntN(30*86400))
}

// writeDuration writes seconds in a form chosen by rng.
func writeDuration(rng *rand.Rand, seconds int) string {
	h, m, s := seconds/3600, seconds%3600/60, seconds%60
	switch form := rng.IntN(7); {
	case form == 0 && seconds%60 == 0:
		return fmt.Sprintf("%dm", seconds/60)
	case form == 1:
		return fmt.Sprintf("%ds", seconds)
	case form == 2 && seconds%360 == 0:
		hours := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.1f", float64(seconds)/3600), "0"), ".")
		if strings.HasPrefix(hours, "0.") && rng.IntN(2) == 0 {
			hours = hours[1:] // ".5h": Go reads a fraction without a leading digit
		}
		return hours + "h"
	case form == 3 && h > 0 && m > 0:
		return fmt.Sprintf("%dm%dh", m, h) + secondsPart(s, false)
	case form == 4:
		return fmt.Sprintf("%dh%dm%ds", h, m, s) // every part, zeros included
	case form == 5 && h > 0:
		return fmt.Sprintf("%02dh", h) + minutesPart(m) + secondsPart(s, false)
	}
	text := ""
	if h > 0 {
		text = fmt.Sprintf("%dh", h)
	}
	text += minutesPart(m) + secondsPart(s, text == "" && m == 0)
	return text
}

func minutesPart(m int) string {
	if m == 0 {
		return ""
	}
	return fmt.Sprintf("%dm", m)
}

func secondsPart(s int, always bool) string {
	if s == 0 && !always {
		return ""
	}
	return fmt.Sprintf("%ds", s)
}

// badUnitDuration uses a unit other than s, m and h, alone or after a valid
// part; some are units time.ParseDuration knows ("ms", "us", "µs", "ns"),
// others it does not ("d", "w").
func badUnitDuration(rng *rand.Rand) (string, string) {
	units := []string{"d", "w", "y", "ms", "us", "µs", "ns", "H", "M", "S", "sec", "min", "hr"}
	unit := units[rng.IntN(len(units))]
	text := fmt.Sprintf("%d%s", 1+rng.IntN(99), unit)
	if rng.IntN(3) == 0 {
		text = []string{"1h", "30m", "2h45m"}[rng.IntN(3)] + text
	}
	return text, unit
}

// notADuration are texts that time.ParseDuration refuses outright.
var notADuration = []string{
	"two hours", "1h 30m", " 1h", "1h ", "PT2H45M", "2h45", "h", "1hh", "--1h", "1.2.3h",
	"½h", "１h", "1_000s", "0x10m", "+-1h",
}
