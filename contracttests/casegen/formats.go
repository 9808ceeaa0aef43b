package casegen

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/mail"
	"net/netip"
	"net/url"
	"regexp"
	"time"

	"github.com/authcontract/authcontract/openapi/validation"
)

// stringFormat is what casegen knows of one string format: how to tell a
// value of it, draw one, and values that are plainly not of it. A format
// it does not know is left to the schema's other keywords: its values are
// drawn as free text, and no case breaks it.
type stringFormat struct {
	name  string
	check func(string) error
	draw  func(*rand.Rand) string
	// bad are values no reading of the format takes; a break uses the
	// first that breaks nothing else of the field. None for a format a
	// validator may leave unchecked.
	bad []string
}

// formats lists the formats casegen draws, and those it breaks: uuid and
// byte, checked as the suite's validators check them
// (openapi/validation), and OpenAPI 3.0's date and date-time, which both
// validators assert. JSON Schema's email, uri, ipv4, ipv6 and hostname
// are drawn valid, as their RFCs have them, but never broken: OpenAPI 3.0
// leaves asserting them to the tool (kin-openapi does not), so a target
// that takes "no-at-sign" for an email breaks nothing it was promised.
func formats() map[string]*stringFormat {
	list := []*stringFormat{
		{"uuid", validation.CheckUUID, drawUUID, []string{"not-a-uuid", "0123456789abcdef0123456789abcdef", "01234567-89ab-cdef-0123-456789abcdeg"}},
		{"byte", validation.CheckByte, drawBase64, []string{"not base64!", "YWJjZA", "YW Jj"}},
		{"date-time", checkTime(time.RFC3339Nano), drawDateTime, []string{"yesterday", "2024-13-01T00:00:00Z", "2024-01-01 00:00:00"}},
		{"date", checkTime(time.DateOnly), drawDate, []string{"2024-02-30", "01/02/2024", "tomorrow"}},
		{"email", checkEmail, drawEmail, nil},
		{"uri", checkURI, drawURI, nil},
		{"ipv4", checkIP(netip.Addr.Is4), drawIPv4, nil},
		{"ipv6", checkIP(netip.Addr.Is6), drawIPv6, nil},
		{"hostname", checkHostname, drawHostname, nil},
	}
	out := make(map[string]*stringFormat, len(list))
	for _, f := range list {
		out[f.name] = f
	}
	return out
}

func drawUUID(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48))
}

func drawBase64(rng *rand.Rand) string {
	data := make([]byte, 1+rng.IntN(24))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	return base64.StdEncoding.EncodeToString(data)
}

func drawDateTime(rng *rand.Rand) string {
	t := time.Unix(946684800+rng.Int64N(40*365*86400), int64(rng.IntN(1e9))).UTC()
	if rng.IntN(2) == 0 {
		return t.Format(time.RFC3339)
	}
	return t.In(time.FixedZone("", (rng.IntN(27)-12)*3600)).Format(time.RFC3339Nano)
}

func drawDate(rng *rand.Rand) string {
	return time.Unix(946684800+rng.Int64N(40*365*86400), 0).UTC().Format(time.DateOnly)
}

func drawEmail(rng *rand.Rand) string { return fmt.Sprintf("user-%x@example.com", rng.Uint32()) }

func drawURI(rng *rand.Rand) string {
	return fmt.Sprintf("https://example.com/%x", rng.Uint32())
}

func drawIPv4(rng *rand.Rand) string {
	return fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(223), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
}

func drawIPv6(rng *rand.Rand) string {
	return fmt.Sprintf("2001:db8::%x:%x", rng.IntN(1<<16), rng.IntN(1<<16))
}

func drawHostname(rng *rand.Rand) string { return fmt.Sprintf("host-%x.example.com", rng.Uint32()) }

func checkTime(layout string) func(string) error {
	return func(s string) error {
		_, err := time.Parse(layout, s)
		return err
	}
}

func checkEmail(s string) error {
	address, err := mail.ParseAddress(s)
	if err != nil {
		return err
	}
	if address.Address != s || address.Name != "" {
		return fmt.Errorf("%q is not a bare address", s)
	}
	return nil
}

func checkURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if !u.IsAbs() || u.Host == "" && u.Opaque == "" {
		return fmt.Errorf("%q is not an absolute URI", s)
	}
	return nil
}

func checkIP(family func(netip.Addr) bool) func(string) error {
	return func(s string) error {
		addr, err := netip.ParseAddr(s)
		if err != nil {
			return err
		}
		if !family(addr) || addr.Zone() != "" {
			return fmt.Errorf("%q is not an address of this family", s)
		}
		return nil
	}
}

// hostnameShape is RFC 1123's: labels of letters, digits and inner
// hyphens, separated by dots.
var hostnameShape = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$`)

func checkHostname(s string) error {
	if len(s) > 253 || !hostnameShape.MatchString(s) {
		return errors.New("not an RFC 1123 host name")
	}
	return nil
}
