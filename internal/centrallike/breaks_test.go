package centrallike

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
)

// ruleCheck is one of Central's rules put to a server: calls to send, and
// whether the replies show the rule held.
type ruleCheck struct {
	rule string
	// brokenBy are the Breaks under which the rule does not hold: the one
	// Break made for it, and any other that breaks it as a side effect.
	brokenBy []Break
	// calls are sent one after the other, or all at once when atOnce.
	calls  func(t *testing.T) []call
	atOnce bool
	holds  func(replies []reply) bool
}

// ruleChecks returns one check per Break.
func ruleChecks() []ruleCheck {
	valid := genericConfig("https://issuer.example.com")
	lastIs := func(status int) func([]reply) bool {
		return func(rs []reply) bool { return rs[len(rs)-1].status == status }
	}
	oneAdd := func(config map[string]any) func(t *testing.T) []call {
		return func(t *testing.T) []call { return []call{post(addBody(t, config))} }
	}
	const sentID = "00000000-0000-4000-8000-000000000000"

	return []ruleCheck{
		{
			rule:     "a duration over 24h is refused",
			brokenBy: []Break{AcceptsDurationsOver24h},
			calls:    oneAdd(with(valid, map[string]any{"tokenExpirationDuration": "24h1s"})),
			holds:    lastIs(http.StatusBadRequest),
		},
		{
			rule:     "a valueExpression that does not compile is refused",
			brokenBy: []Break{AcceptsValueExpressionsThatDoNotCompile},
			calls:    oneAdd(with(valid, map[string]any{"mappings": oneMapping("(unclosed", "Admin")})),
			holds:    lastIs(http.StatusBadRequest),
		},
		{
			rule:     "a GITHUB_ACTIONS config naming another issuer is refused",
			brokenBy: []Break{AcceptsAnyGitHubActionsIssuer},
			calls:    oneAdd(with(valid, map[string]any{"type": "GITHUB_ACTIONS", "issuer": "https://token.actions.example.com"})),
			holds:    lastIs(http.StatusBadRequest),
		},
		{
			rule:     "a GENERIC config without issuer is refused",
			brokenBy: []Break{AcceptsGenericConfigWithoutIssuer},
			calls:    oneAdd(with(valid, map[string]any{"issuer": nil})),
			holds:    lastIs(http.StatusBadRequest),
		},
		{
			rule:     "a second config with a taken issuer is refused",
			brokenBy: []Break{AllowsDuplicateIssuers},
			calls: func(t *testing.T) []call {
				return []call{post(addBody(t, valid)), post(addBody(t, valid))}
			},
			holds: lastIs(http.StatusConflict),
		},
		{
			rule:     "an add without credentials is refused",
			brokenBy: []Break{AcceptsRequestsWithoutCredentials},
			calls: func(t *testing.T) []call {
				c := post(addBody(t, valid))
				c.authorization = ""
				return []call{c}
			},
			holds: lastIs(http.StatusUnauthorized),
		},
		{
			rule:     "the id a client sends is replaced",
			brokenBy: []Break{KeepsTheClientID},
			calls:    oneAdd(with(valid, map[string]any{"id": sentID})),
			holds: func(rs []reply) bool {
				return rs[0].status == http.StatusOK && !slices.Contains([]string{sentID, ""}, storedID(rs[0]))
			},
		},
		{
			rule:     "a refused add leaves no trace, so its issuer can be added after",
			brokenBy: []Break{LeavesATraceOfRefusedRequests},
			calls: func(t *testing.T) []call {
				return []call{
					post(addBody(t, with(valid, map[string]any{"tokenExpirationDuration": "59s"}))),
					post(addBody(t, valid)),
				}
			},
			holds: func(rs []reply) bool { return rs[0].status == http.StatusBadRequest && rs[1].status == http.StatusOK },
		},
		{
			rule: "of 8 adds of one issuer sent at once, exactly one is stored",
			// Allowing duplicate issuers lets every one of them win too.
			brokenBy: []Break{LetsConcurrentAddsOfOneIssuerBothWin, AllowsDuplicateIssuers},
			calls: func(t *testing.T) []call {
				calls := make([]call, 8)
				for i := range calls {
					calls[i] = post(addBody(t, valid))
				}
				return calls
			},
			atOnce: true,
			holds:  func(rs []reply) bool { return countStatus(rs, http.StatusOK) == 1 },
		},
	}
}

// storedID is the id in an add's answer, "" when there is none.
func storedID(r reply) string {
	var body struct {
		Config struct {
			ID string `json:"id"`
		} `json:"config"`
	}
	if err := json.Unmarshal(r.body, &body); err != nil {
		return ""
	}
	return body.Config.ID
}

// TestEachBreakBreaksExactlyItsRule puts every rule to a server of every
// Break: the rule must hold on the faithful server and on every Break but
// its own, and fail on its own. So a Break is proven to break what it says,
// and nothing else the suite could catch it by instead.
func TestEachBreakBreaksExactlyItsRule(t *testing.T) {
	checks := ruleChecks()
	all := append([]Break{Faithful}, Breaks()...)

	for _, b := range Breaks() {
		if !slices.ContainsFunc(checks, func(c ruleCheck) bool { return c.brokenBy[0] == b }) {
			t.Errorf("no rule check is made for the Break that %s", b)
		}
	}

	for _, check := range checks {
		t.Run(check.rule, func(t *testing.T) {
			for _, b := range all {
				wantHolds := !slices.Contains(check.brokenBy, b)
				verdict := "holds on a server that "
				if !wantHolds {
					verdict = "fails on a server that "
				}
				t.Run(verdict+b.String(), func(t *testing.T) {
					t.Parallel()
					srv := newServer(t, Config{Break: b})
					calls := check.calls(t)
					var replies []reply
					if check.atOnce {
						replies = sendAtOnce(t, srv, calls)
					} else {
						for _, c := range calls {
							replies = append(replies, send(t, srv, c))
						}
					}
					if got := check.holds(replies); got != wantHolds {
						t.Errorf("the rule held: %v, want %v; answers:\n%s", got, wantHolds, describe(replies))
					}
				})
			}
		})
	}
}

func describe(replies []reply) string {
	var s string
	for _, r := range replies {
		s += fmt.Sprintf("  %d %s\n", r.status, r.body)
	}
	return s
}
