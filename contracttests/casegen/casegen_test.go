package casegen

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
)

func encoded(t *testing.T, cases []conformance.Case) []string {
	t.Helper()
	out := make([]string, len(cases))
	for i, c := range cases {
		data, err := fixture.Encode(c.Fixture)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(data)
	}
	return out
}

func TestASeedNamesItsCasesExactly(t *testing.T) {
	for _, api := range openapi.APIs() {
		t.Run(string(api), func(t *testing.T) {
			first, again := encoded(t, Generate(api, 42, 50, 0)), encoded(t, Generate(api, 42, 50, 0))
			for i := range first {
				if first[i] != again[i] {
					t.Fatalf("case %d differs between two runs of seed 42:\n%s\n%s", i, first[i], again[i])
				}
			}
			t.Run("fewer cases are a prefix of more", func(t *testing.T) {
				fewer := encoded(t, Generate(api, 42, 10, 0))
				for i := range fewer {
					if fewer[i] != first[i] {
						t.Fatalf("case %d of 10 differs from case %d of 50", i, i)
					}
				}
			})
			t.Run("another seed gives other cases", func(t *testing.T) {
				other := encoded(t, Generate(api, 43, 50, 0))
				if strings.Join(other, "") == strings.Join(first, "") {
					t.Fatal("seeds 42 and 43 gave the same cases")
				}
			})
		})
	}
}

func TestEveryGeneratedCaseIsACompleteFixtureTiedToARule(t *testing.T) {
	for _, api := range openapi.APIs() {
		t.Run(string(api), func(t *testing.T) {
			for seed := int64(1); seed <= 5; seed++ {
				names := map[string]bool{}
				for _, c := range Generate(api, seed, 100, 0) {
					f := c.Fixture
					if err := fixture.Check(f); err != nil {
						t.Fatalf("seed %d: %v", seed, err)
					}
					if names[f.Name] {
						t.Fatalf("seed %d: name %q is used twice", seed, f.Name)
					}
					names[f.Name] = true
					rule, err := rulebook.Find(api, f.Rule)
					if err != nil || f.Sentence != rule.Sentence {
						t.Fatalf("seed %d: %q is not tied to its rule's sentence (%v)", seed, f.Name, err)
					}
					if c.Simpler == nil {
						t.Fatalf("seed %d: %q cannot be shrunk", seed, f.Name)
					}
				}
			}
		})
	}
}

func TestEveryRuleAndKindIsGenerated(t *testing.T) {
	for _, api := range openapi.APIs() {
		t.Run(string(api), func(t *testing.T) {
			rules, kinds := map[string]int{}, map[fixture.Kind]int{}
			for seed := int64(1); seed <= 5; seed++ {
				for _, c := range Generate(api, seed, 100, 0) {
					rules[c.Fixture.Rule]++
					rules[c.Fixture.Expect.AcceptedUpstream]++
					if mask := c.Fixture.Expect.MaskedBy; mask != nil {
						rules[mask.Rule]++
					}
					kinds[c.Fixture.Kind]++
				}
			}
			for _, rule := range rulebook.Rules(api) {
				// github-unreachable explains a skipped answer; no case
				// asks for one. Every keyword the ACS document's schemas
				// declare today is one a rule stated in words already
				// names (the field table, the enum, the duration's units,
				// Central's non-empty expressions), so schema-constraint
				// is exercised there only by a document that adds one:
				// see TestCasesFollowAChangedSpec.
				unclaimed := rule.ID == rulebook.SchemaConstraint && api == openapi.ACSM2M
				if rules[rule.ID] == 0 && !rulebook.ForEveryAnswer(rule.ID) && rule.ID != rulebook.GitHubUnreachable && !unclaimed {
					t.Errorf("no case exercises %s", rule.ID)
				}
			}
			for _, kind := range []fixture.Kind{fixture.Positive, fixture.Negative, fixture.Auth, fixture.Method} {
				if kinds[kind] == 0 {
					t.Errorf("no %s case", kind)
				}
			}
		})
	}
}

// Every GENERIC issuer a case may get stored — allowed, open, racing, or
// sent first to take an issuer — begins with {issuerBase}, so that a run
// with an issuer server can answer a target's discovery request for it.
func TestEveryGenericIssuerACaseMayStoreCanBeServedByTheIssuerServer(t *testing.T) {
	for seed := int64(1); seed <= 5; seed++ {
		for _, c := range Generate(openapi.ACSM2M, seed, 200, 0) {
			f := c.Fixture
			if f.Kind == fixture.Method || f.Kind == fixture.Auth {
				continue
			}
			requests := []fixture.Request{f.Request}
			for _, step := range f.Setup {
				requests = append(requests, step.Request)
			}
			for _, req := range requests {
				var sent struct {
					Config struct {
						Type   string  `json:"type"`
						Issuer *string `json:"issuer"`
					} `json:"config"`
				}
				if json.Unmarshal(req.Body, &sent) != nil || sent.Config.Issuer == nil {
					continue // not a config with an issuer: nothing to discover
				}
				issuer, storable := *sent.Config.Issuer, f.Kind != fixture.Negative || f.Expect.AcceptedUpstream != ""
				generic := sent.Config.Type == "" || sent.Config.Type == "GENERIC"
				if storable && generic && strings.HasPrefix(issuer, "https://") {
					t.Fatalf("seed %d: %q sends the made-up issuer %q, which no issuer server can serve", seed, f.Name, issuer)
				}
			}
		}
	}
}

// The checks below restate the documents' rules without the generators'
// helpers, so that a generator bug cannot hide behind itself.
var durationPart = regexp.MustCompile(`([0-9.]*)([^0-9.]*)`)

// units lists the units a duration is written in: "1h30ms" has h and ms.
func units(d string) []string {
	var out []string
	for _, part := range durationPart.FindAllStringSubmatch(d, -1) {
		if part[0] != "" {
			out = append(out, part[2])
		}
	}
	return out
}

func onlyHMS(d string) bool {
	for _, unit := range units(d) {
		if unit != "h" && unit != "m" && unit != "s" {
			return false
		}
	}
	return len(units(d)) > 0
}

func TestGeneratedValuesAreWhatTheirCasesClaim(t *testing.T) {
	rng := caseRand(openapi.ACSM2M, 7, 0)
	for i := range 2000 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if d := allowedDuration(rng); !allowed(d) {
				t.Fatalf("allowed duration %q is not in [1m, 24h] in s, m and h", d)
			}
			if d := underMinimumDuration(rng); parsed(d) <= 0 || parsed(d) >= time.Minute || !onlyHMS(d) {
				t.Fatalf("under-minimum duration %q is not in (0, 1m) in s, m and h", d)
			}
			if d, _ := goUnitDuration(rng); onlyHMS(d) || parsed(d) < time.Minute || parsed(d) > 24*time.Hour {
				t.Fatalf("Go-unit duration %q uses only s, m and h, or is outside [1m, 24h]", d)
			}
			if d := overMaximumDuration(rng); parsed(d) <= 24*time.Hour || !onlyHMS(d) {
				t.Fatalf("over-maximum duration %q is not over 24h in s, m and h", d)
			}
			if d, _ := unknownUnitDuration(rng); parsed(d) != -1 {
				t.Fatalf("unknown-unit duration %q parses as a Go duration", d)
			}
			if expression := validRE2(rng); !compiles(expression) {
				t.Fatalf("valid RE2 %q does not compile", expression)
			}
			issuer := genericIssuer(rng.IntN)
			for _, base := range []string{"https://", "https://127.0.0.1:8443/"} {
				filled := fixture.Values{"issuerBase": base, "unique": "run-1"}.Expand(issuer)
				if u, err := url.Parse(filled); err != nil || u.Scheme != "https" || u.Host == "" || !strings.HasPrefix(filled, base) {
					t.Fatalf("generic issuer %q is not an https URL under %s", filled, base)
				}
			}
		})
	}
	for _, text := range notADuration {
		if _, err := time.ParseDuration(text); err == nil {
			t.Errorf("%q parses as a duration", text)
		}
	}
	for _, bad := range notRE2 {
		if compiles(bad.expression) {
			t.Errorf("%q compiles, but is listed as not RE2 (%s)", bad.expression, bad.why)
		}
	}
}

func TestShrinkingAnAllowedConfigKeepsItAllowed(t *testing.T) {
	for seed := int64(1); seed <= 2; seed++ {
		for _, c := range Generate(openapi.ACSM2M, seed, 50, 0) {
			if c.Fixture.Kind != fixture.Positive {
				continue
			}
			// Walk a few levels down, as Shrink would.
			for depth, current := 0, c; depth < 3; depth++ {
				variants := current.Simpler()
				for _, v := range variants {
					if problem := notAllowed(v.Fixture.Request.Body); problem != "" {
						t.Fatalf("seed %d: %q shrank to a config the documents do not allow: %s\n%s", seed, c.Fixture.Name, problem, v.Fixture.Request.Body)
					}
				}
				if len(variants) == 0 {
					break
				}
				current = variants[len(variants)-1]
			}
		}
	}
}

func TestStringsShrinkToShorterOnesThatKeepTheirProperty(t *testing.T) {
	cases := []struct {
		name, value, canonical string
		keep                   func(string) bool
		want                   []string
	}{
		{"a plain value tries the canonical one, then halves, then one rune less", "abcd", "x", nonEmpty, []string{"x", "ab", "cd", "bcd", "acd", "abd", "abc"}},
		{"a non-ASCII value tries the ASCII canonical one even if longer", "é", "sub", nonEmpty, []string{"sub"}},
		{"a value no longer than the canonical one skips it unless plainer", "ab", "sub", nonEmpty, []string{"a", "b"}},
		{"variants that lose the property are left out", "1h30m", "1h", allowed, []string{"1h", "30m", "130m", "1h0m", "1h3m"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := shorterStrings(tc.value, tc.canonical, tc.keep)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("shorterStrings(%q) = %q, want %q", tc.value, got, tc.want)
			}
		})
	}
}

func allowed(d string) bool {
	return onlyHMS(d) && parsed(d) >= time.Minute && parsed(d) <= 24*time.Hour
}

func parsed(d string) time.Duration {
	duration, err := time.ParseDuration(d)
	if err != nil {
		return -1
	}
	return duration
}

func compiles(expression string) bool {
	_, err := regexp.Compile(expression)
	return err == nil
}

// rolePlaceholderShape is a role the target has: {role:N}, filled in per target.
var rolePlaceholderShape = regexp.MustCompile(`^\{role:[0-7]\}$`)

// notAllowed says what rule a rendered ACS body breaks, if any.
func notAllowed(body []byte) string {
	var sent struct {
		Config struct {
			Type     string  `json:"type"`
			Duration string  `json:"tokenExpirationDuration"`
			Issuer   *string `json:"issuer"`
			Mappings []struct {
				Key, ValueExpression, Role string
			} `json:"mappings"`
		} `json:"config"`
	}
	if err := json.Unmarshal(body, &sent); err != nil {
		return err.Error()
	}
	config := sent.Config
	switch {
	case config.Type != "" && config.Type != "GENERIC":
		return "type " + config.Type
	case !allowed(config.Duration):
		return "duration " + config.Duration
	case config.Issuer == nil || !strings.HasPrefix(*config.Issuer, conformance.IssuerBasePlaceholder):
		return "issuer"
	case len(config.Mappings) == 0:
		return "no mappings"
	}
	for _, m := range config.Mappings {
		if strings.TrimSpace(m.Key) == "" || !rolePlaceholderShape.MatchString(m.Role) || m.ValueExpression == "" || !compiles(m.ValueExpression) {
			return fmt.Sprintf("mapping %+v", m)
		}
	}
	return ""
}
