package validation

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// The string formats the documents use whose meaning the two validators
// would otherwise each decide for themselves: kin-openapi reads uuid and
// byte with its own regular expressions (uuid only when asked to),
// libopenapi-validator with its JSON Schema library's (and byte not at all).
// Each validator is handed the functions below instead, so that when they
// disagree about a response the libraries truly differ, not our set-up.

// CheckUUID accepts the textual form of a UUID that RFC 9562 §4 gives: 32
// hexadecimal digits in groups of 8-4-4-4-12 separated by hyphens, in
// either case. Any version and variant is accepted, the nil and max UUIDs
// included: the documents say "UUID" and name no version, and a server may
// well use v7 or another generator, so judging the version would fail
// servers for what the contract does not say. Other spellings some parsers
// accept (braces, no hyphens, a urn:uuid: prefix) are refused: they are
// not the form the format names, and a client reading the id as the 36
// characters would choke on them.
func CheckUUID(value string) error {
	const length = 36
	if len(value) != length {
		return fmt.Errorf("%q is not a UUID: want %d characters in the form 8-4-4-4-12, got %d", value, length, len(value))
	}
	for i := range length {
		c := value[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return fmt.Errorf("%q is not a UUID: want a hyphen at position %d in the form 8-4-4-4-12", value, i+1)
			}
		default:
			if !isHexDigit(c) {
				return fmt.Errorf("%q is not a UUID: %q at position %d is not a hexadecimal digit", value, c, i+1)
			}
		}
	}
	return nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// CheckByte accepts padded base64 in the standard alphabet (RFC 4648 §4),
// the empty string included (it encodes no bytes). OpenAPI 3.0 defines
// byte as base64-encoded characters, and §4 is the base64 RFC 4648 names
// without qualification; it is also what Central's protojson writes for a
// bytes field such as ProtobufAny.value. Refused: missing padding, the
// URL-safe alphabet (§5, a different encoding), whitespace and line breaks
// (which Go's decoder would silently skip), and non-zero padding bits (§3.5:
// no encoder produces them, so they betray a broken one).
func CheckByte(value string) error {
	if i := strings.IndexFunc(value, notInStandardAlphabet); i >= 0 {
		r, _ := utf8.DecodeRuneInString(value[i:])
		return fmt.Errorf("%q is not standard base64: %q at byte %d is outside A-Z, a-z, 0-9, +, / and =", value, r, i+1)
	}
	if len(value)%4 != 0 {
		return fmt.Errorf("%q is not padded base64: its length %d is not a multiple of 4", value, len(value))
	}
	if _, err := base64.StdEncoding.Strict().DecodeString(value); err != nil {
		return fmt.Errorf("%q is not padded standard base64: %w", value, err)
	}
	return nil
}

func notInStandardAlphabet(r rune) bool {
	return !('A' <= r && r <= 'Z' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '+' || r == '/' || r == '=')
}

// stringFormats names each shared definition by the format it defines; a
// function rather than a package variable, so that nothing can change it.
func stringFormats() map[string]func(string) error {
	return map[string]func(string) error{
		"uuid": CheckUUID,
		"byte": CheckByte,
	}
}

// forLib adapts a string check to libopenapi-validator, which hands a
// format every JSON value the schema applies to. A format constrains
// strings only; a value of another type is the schema's type keyword's
// business, so it passes here rather than being reported twice.
func forLib(check func(string) error) func(any) error {
	return func(value any) error {
		s, ok := value.(string)
		if !ok {
			return nil
		}
		return check(s)
	}
}
