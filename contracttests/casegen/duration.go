package casegen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/authcontract/authcontract/openapi/facts"
)

// The document: "가능한 유효한 시간 단위는 s, m, h입니다. 허용되는 최대 만료 기간은
// 24h입니다 … 기간 검증에 대한 자세한 내용은 https://pkg.go.dev/time#ParseDuration 을
// 참조하십시오." (Valid units are s, m, h; the maximum is 24h; validation is
// time.ParseDuration's.) It states no minimum; Central refuses less than a
// minute (rulebook.DurationMinimum), so allowed durations start there and
// shorter ones are open cases.
const (
	minDuration = facts.MinTokenExpiration
	maxDuration = facts.MaxTokenExpiration
)

// isAllowedDuration reports whether the documents' stated rules and
// Central allow text: it parses as Go parses durations and lies in
// [1m, 24h]. That it uses only h, m and s is the spec's pattern, which the
// walker checks with every value it draws.
func isAllowedDuration(text string) bool {
	d, err := time.ParseDuration(text)
	return err == nil && d >= minDuration && d <= maxDuration
}

// durationBounds are both bounds in the forms users write them.
var durationBounds = []string{"1m", "60s", "24h", "1440m", "86400s"}

// allowedDuration writes a duration in [1m, 24h] in one of the many forms
// time.ParseDuration reads: compound ("1h30m15s"), one unit past its
// carry ("90m", "86400s"), fractions ("1.5h", ".5h"), explicit zero parts
// ("0h45m"), units out of order ("30m1h") and leading zeros ("01h"); often
// a bound itself or a second inside it.
func allowedDuration(rng *rand.Rand) string {
	switch rng.IntN(8) {
	case 0:
		return durationBounds[rng.IntN(len(durationBounds))]
	case 1:
		near := []int{60, 61, 3599, 3600, 3601, 86399, 86400}
		return writeDuration(rng, near[rng.IntN(len(near))])
	}
	return writeDuration(rng, 60+rng.IntN(86400-60+1))
}

// underMinimumDuration writes a duration the document allows but Central
// refuses: more than zero, less than a minute.
func underMinimumDuration(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return []string{"59s", "1s", "30s", ".5m", "0.9m", "59.5s", "0h0m59s"}[rng.IntN(7)]
	}
	return fmt.Sprintf("%ds", 1+rng.IntN(59))
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

// unknownUnitDuration uses a unit time.ParseDuration does not know, alone
// or after a valid part, so that no implementation reading the document's
// reference can take it.
func unknownUnitDuration(rng *rand.Rand) (string, string) {
	units := []string{"d", "w", "y", "H", "M", "S", "sec", "min", "hr"}
	unit := units[rng.IntN(len(units))]
	text := fmt.Sprintf("%d%s", 1+rng.IntN(99), unit)
	if rng.IntN(3) == 0 {
		text = []string{"1h", "30m", "2h45m"}[rng.IntN(3)] + text
	}
	return text, unit
}

// goUnitDuration uses a unit time.ParseDuration knows but the document does
// not list ("ms", "us", "µs", "ns"), for a total within [1m, 24h]: Central
// accepts it (rulebook.AnyGoDurationUnit), the schema's pattern does not.
func goUnitDuration(rng *rand.Rand) (string, string) {
	units := []struct {
		name  string
		scale int64 // per second
	}{{"ms", 1e3}, {"us", 1e6}, {"µs", 1e6}, {"ns", 1e9}}
	unit := units[rng.IntN(len(units))]
	seconds := int64(60 + rng.IntN(86399-60+1))
	if rng.IntN(2) == 0 {
		return fmt.Sprintf("%d%s", seconds*unit.scale, unit.name), unit.name
	}
	// A valid part with a small remainder in the other unit: "1h5ms".
	return writeDuration(rng, int(seconds)) + fmt.Sprintf("%d%s", 1+rng.Int64N(unit.scale-1), unit.name), unit.name
}

// notADuration are texts that time.ParseDuration refuses outright.
var notADuration = []string{
	"two hours", "1h 30m", " 1h", "1h ", "PT2H45M", "2h45", "h", "1hh", "--1h", "1.2.3h",
	"½h", "１h", "1_000s", "0x10m", "+-1h",
}
