//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package acsm2m

// Load tests: many clients at once against one server. The store's mutex is
// what keeps the issuer a unique key; these tests prove that it holds through
// the whole HTTP stack (bearer check, body guard, strict server, operation),
// that no answer is lost, mixed up with another request's or malformed when
// requests overlap, and, under -race, that nothing is shared unguarded.

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
	"github.com/authcontract/authcontract/reference/referencetest"
)

const (
	// loadWorkers is how many clients send at once.
	loadWorkers = 64
	// loadRequestsPerWorker keeps each test under a few seconds with -race
	// on two cores, while every worker still sends several requests back to
	// back, so that requests overlap with others at every stage.
	loadRequestsPerWorker = 4
)

// sendAtOnce sends calls[w] from worker w, every worker at once, and
// judges nothing (see referencetest.SendAtOnce); what calls[w][i] got is
// loads[w][i]. Requests are built here, where a failure may stop the test.
func (h *harness) sendAtOnce(t *testing.T, calls [][]call) (loads [][]referencetest.Sent) {
	t.Helper()
	reqs := make([][]*http.Request, len(calls))
	for w, batch := range calls {
		for _, c := range batch {
			reqs[w] = append(reqs[w], h.request(t, c))
		}
	}
	return referencetest.SendAtOnce(t, reqs)
}

// judge fails the test unless the reply l got under load is JSON that both
// validators accept, exactly as harness.send judges a reply.
func (h *harness) judge(t *testing.T, l referencetest.Sent) reply {
	t.Helper()
	got := referencetest.Judge(t, h.validator, l)
	return reply{status: got.Status, header: got.Header, body: got.Body}
}

// contents copies everything stored, the configs by id and the issuer
// index, so that a test can check that nothing was lost or half-stored.
func (s *store) contents() (map[uuid.UUID]gen.V1AuthMachineToMachineConfig, map[string]uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	configs := make(map[uuid.UUID]gen.V1AuthMachineToMachineConfig, len(s.byID))
	for id, config := range s.byID {
		configs[id] = cloneConfig(config)
	}
	return configs, maps.Clone(s.byIssuer)
}

// echoed is the config the server must answer and store for the request
// body it was sent: the config as sent, defaults filled in, under id.
func echoed(t *testing.T, body string, id uuid.UUID) gen.V1AuthMachineToMachineConfig {
	t.Helper()
	var request gen.V1AddAuthMachineToMachineConfigRequest
	if err := json.Unmarshal([]byte(body), &request); err != nil || request.Config == nil {
		t.Fatalf("decode the sent body %s: %v", body, err)
	}
	config := withDefaults(*request.Config)
	config.Id = &id
	return config
}

// numbered builds every worker's calls; n numbers the call across the load,
// so that each can be told apart.
func numbered(workers, perWorker int, build func(n int) call) [][]call {
	calls := make([][]call, workers)
	for w := range calls {
		for i := range perWorker {
			calls[w] = append(calls[w], build(w*perWorker+i))
		}
	}
	return calls
}

func TestConcurrentAddsForOneIssuerStoreExactlyOneConfig(t *testing.T) {
	const contested = "https://contested.example.com"
	for _, tc := range []struct {
		name   string
		issuer string // the issuer every config is stored under
		config func(n int) map[string]any
	}{
		{
			name:   "of 64 workers adding GENERIC configs for one issuer, exactly one add succeeds and every other gets 409 ALREADY_EXISTS",
			issuer: contested,
			config: func(n int) map[string]any { return genericConfig(contested) },
		},
		{
			name:   "of 64 workers adding GITHUB_ACTIONS configs with and without GitHub's issuer, exactly one add succeeds and every other gets 409 ALREADY_EXISTS",
			issuer: githubIssuer,
			config: func(n int) map[string]any {
				return with(githubConfig(), "issuer", []any{absent, "", githubIssuer}[n%3])
			},
		},
		{
			name:   "of 64 workers adding GITHUB_ACTIONS configs and GENERIC configs naming GitHub's issuer, exactly one add succeeds and every other gets 409 ALREADY_EXISTS",
			issuer: githubIssuer,
			config: func(n int) map[string]any {
				if n%2 == 0 {
					return genericConfig(githubIssuer)
				}
				return githubConfig()
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			// Each config gets its own duration (at most 256m, under the 24h
			// maximum), so that the stored config shows which add won.
			calls := numbered(loadWorkers, loadRequestsPerWorker, func(n int) call {
				return post(addRequest(t, with(tc.config(n), "tokenExpirationDuration", fmt.Sprintf("%dm", n+1))))
			})
			loads := h.sendAtOnce(t, calls)

			var winners, conflicts []reply
			var winnerBody string
			statuses := map[int]int{}
			for w, batch := range loads {
				for i, l := range batch {
					r := h.judge(t, l)
					statuses[r.status]++
					switch r.status {
					case http.StatusOK:
						winners, winnerBody = append(winners, r), calls[w][i].body
					case http.StatusConflict:
						conflicts = append(conflicts, r)
					}
				}
			}
			total := loadWorkers * loadRequestsPerWorker
			if statuses[http.StatusOK] != 1 || statuses[http.StatusConflict] != total-1 {
				t.Fatalf("statuses = %v, want exactly one 200 and %d 409", statuses, total-1)
			}

			winner := winners[0].config(t)
			if want := echoed(t, winnerBody, *winner.Id); !reflect.DeepEqual(winner, want) {
				t.Errorf("the winning add was answered\n%+v\nwant the config it sent\n%+v", winner, want)
			}
			if winner.Id.Version() != 4 {
				t.Errorf("id %s is not a random (version 4) UUID", winner.Id)
			}
			for _, r := range conflicts {
				message := r.wantError(t, http.StatusConflict, codeAlreadyExists)
				if !strings.Contains(message, winner.Id.String()) || !strings.Contains(message, fmt.Sprintf("%q", tc.issuer)) {
					t.Errorf("409 message %q should name the issuer %q and the config holding it (%s)", message, tc.issuer, winner.Id)
				}
			}

			configs, issuers := h.store.contents()
			if want := map[uuid.UUID]gen.V1AuthMachineToMachineConfig{*winner.Id: winner}; !reflect.DeepEqual(configs, want) {
				t.Errorf("store holds %+v, want only the winning config %+v", configs, winner)
			}
			if want := map[string]uuid.UUID{tc.issuer: *winner.Id}; !maps.Equal(issuers, want) {
				t.Errorf("issuer index = %v, want %v", issuers, want)
			}
		})
	}
}

func TestConcurrentAddsForDistinctIssuersAreAllStored(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config func(issuer string, n int) map[string]any
	}{
		{
			name: "64 workers adding GENERIC configs with distinct issuers each get 200 and a config of their own under a fresh id",
			config: func(issuer string, n int) map[string]any {
				return genericConfig(issuer)
			},
		},
		{
			name: "64 workers adding configs of all shapes, type left out, no mappings, several mappings, each get 200 and a config of their own under a fresh id",
			config: func(issuer string, n int) map[string]any {
				config := genericConfig(issuer)
				switch n % 3 {
				case 0:
					config = with(config, "type", absent)
				case 1:
					config = with(config, "mappings", absent)
				case 2:
					config = with(config, "mappings", []any{
						map[string]any{"key": "sub", "valueExpression": fmt.Sprintf("^worker-%d$", n), "role": BuiltInRoles()[n%len(BuiltInRoles())]},
						map[string]any{"key": "aud", "valueExpression": ".*", "role": "Analyst"},
					})
				}
				return config
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			calls := numbered(loadWorkers, loadRequestsPerWorker, func(n int) call {
				return post(addRequest(t, with(tc.config(h.uniqueIssuer(), n), "tokenExpirationDuration", fmt.Sprintf("%ds", 60+n))))
			})
			loads := h.sendAtOnce(t, calls)

			statuses := map[int]int{}
			var answered []gen.V1AuthMachineToMachineConfig
			var sent []string
			for w, batch := range loads {
				for i, l := range batch {
					r := h.judge(t, l)
					statuses[r.status]++
					if r.status == http.StatusOK {
						answered, sent = append(answered, r.config(t)), append(sent, calls[w][i].body)
					}
				}
			}
			total := loadWorkers * loadRequestsPerWorker
			if statuses[http.StatusOK] != total {
				t.Fatalf("statuses = %v, want all %d adds answered 200", statuses, total)
			}

			configs, issuers := h.store.contents()
			seen := map[uuid.UUID]bool{}
			for i, config := range answered {
				id := *config.Id
				if seen[id] {
					t.Errorf("id %s was given to two configs", id)
				}
				seen[id] = true
				if id.Version() != 4 {
					t.Errorf("id %s is not a random (version 4) UUID", id)
				}
				want := echoed(t, sent[i], id)
				if !reflect.DeepEqual(config, want) {
					t.Errorf("an add was answered\n%+v\nwant the config it sent\n%+v", config, want)
				}
				if stored, ok := configs[id]; !ok || !reflect.DeepEqual(stored, want) {
					t.Errorf("store holds %+v under %s (found: %v), want %+v", stored, id, ok, want)
				}
				if holder := issuers[*config.Issuer]; holder != id {
					t.Errorf("issuer %q is indexed under %s, want %s", *config.Issuer, holder, id)
				}
			}
			if len(configs) != total || len(issuers) != total {
				t.Errorf("store holds %d configs and %d issuers, want exactly the %d added", len(configs), len(issuers), total)
			}
		})
	}
}

func TestEveryReplyUnderMixedLoadIsValid(t *testing.T) {
	const (
		contested = "https://contested.example.com"
		// maxBody is far above every valid config sent here, and far below
		// the one that is too large.
		maxBody = 2048
		// perWorker is above loadRequestsPerWorker so that every kind below
		// is sent by many workers.
		perWorker = 6
	)
	h := newHarness(t, Config{MaxBodyBytes: maxBody})
	withCall := func(c call, change func(*call)) call {
		change(&c)
		return c
	}
	type header struct{ name, value string }
	kinds := []struct {
		name string
		call func() call
		// wantStatus 0 marks the contested issuer: one 200, the rest 409.
		wantStatus int
		wantCode   int32
		wantHeader header // a header the reply must carry, when named
	}{
		{"a valid config with an issuer of its own is answered 200 with the config", func() call {
			return post(addRequest(t, genericConfig(h.uniqueIssuer())))
		}, http.StatusOK, 0, header{}},
		{"a valid config for an issuer every worker adds is answered 200 once and 409 ALREADY_EXISTS otherwise", func() call {
			return post(addRequest(t, genericConfig(contested)))
		}, 0, codeAlreadyExists, header{}},
		{"a duration over 24h is refused with 400 INVALID_ARGUMENT", func() call {
			return post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "tokenExpirationDuration", "25h")))
		}, http.StatusBadRequest, codeInvalidArgument, header{}},
		{"a valueExpression RE2 refuses is refused with 400 INVALID_ARGUMENT", func() call {
			return post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "mappings", []any{map[string]any{"key": "sub", "valueExpression": "(?=lookahead)", "role": "Admin"}})))
		}, http.StatusBadRequest, codeInvalidArgument, header{}},
		{"a mapping naming a role that does not exist is refused with 404 NOT_FOUND", func() call {
			return post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "mappings", []any{map[string]any{"key": "sub", "valueExpression": ".*", "role": "Ghost"}})))
		}, http.StatusNotFound, codeNotFound, header{}},
		{"an unknown type is refused with 400 INVALID_ARGUMENT", func() call {
			return post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "type", "OIDC")))
		}, http.StatusBadRequest, codeInvalidArgument, header{}},
		{"a GENERIC config without an issuer is refused with 400 INVALID_ARGUMENT", func() call {
			return post(addRequest(t, with(genericConfig(""), "issuer", absent)))
		}, http.StatusBadRequest, codeInvalidArgument, header{}},
		{"malformed JSON is refused with 400 INVALID_ARGUMENT", func() call {
			return post(`{"config":`)
		}, http.StatusBadRequest, codeInvalidArgument, header{}},
		{"a text/plain body is refused with 415 INVALID_ARGUMENT", func() call {
			return withCall(post(addRequest(t, genericConfig(h.uniqueIssuer()))), func(c *call) { c.contentType = "text/plain" })
		}, http.StatusUnsupportedMediaType, codeInvalidArgument, header{}},
		{"a body over the size limit is refused with 413 RESOURCE_EXHAUSTED", func() call {
			return post(addRequest(t, with(genericConfig(h.uniqueIssuer()), "mappings", []any{map[string]any{"role": strings.Repeat("r", 2*maxBody)}})))
		}, http.StatusRequestEntityTooLarge, codeResourceExhausted, header{}},
		{"a request without a token is refused with 401 UNAUTHENTICATED", func() call {
			return withCall(post(addRequest(t, genericConfig(h.uniqueIssuer()))), func(c *call) { c.auth = "" })
		}, http.StatusUnauthorized, codeUnauthenticated, header{"WWW-Authenticate", "Bearer"}},
		{"a wrong token is refused with 401 UNAUTHENTICATED", func() call {
			return withCall(post(addRequest(t, genericConfig(h.uniqueIssuer()))), func(c *call) { c.auth = "Bearer not-the-token" })
		}, http.StatusUnauthorized, codeUnauthenticated, header{"WWW-Authenticate", "Bearer"}},
		{"GET on the operation is refused with 501 UNIMPLEMENTED", func() call {
			return call{method: http.MethodGet, path: operationPath, auth: validAuth}
		}, http.StatusNotImplemented, codeUnimplemented, header{}},
		{"an unknown path is refused with 404 NOT_FOUND", func() call {
			return withCall(post(addRequest(t, genericConfig(h.uniqueIssuer()))), func(c *call) { c.path = "/v1/auth/machine-configs" })
		}, http.StatusNotFound, codeNotFound, header{}},
	}

	// Request n is of kind n mod len(kinds), so that at every moment the
	// workers send different kinds.
	kindOf := func(w, i int) int { return (w*perWorker + i) % len(kinds) }
	calls := numbered(loadWorkers, perWorker, func(n int) call { return kinds[n%len(kinds)].call() })
	loads := h.sendAtOnce(t, calls)
	// Every reply is judged by both validators before any kind is looked at.
	replies := make([][]reply, len(kinds))
	sent := make([][]string, len(kinds))
	for w, batch := range loads {
		for i, l := range batch {
			k := kindOf(w, i)
			replies[k] = append(replies[k], h.judge(t, l))
			sent[k] = append(sent[k], calls[w][i].body)
		}
	}

	stored := map[uuid.UUID]gen.V1AuthMachineToMachineConfig{}
	for k, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			statuses := map[int]int{}
			for i, r := range replies[k] {
				statuses[r.status]++
				if r.status == http.StatusOK {
					config := r.config(t)
					if want := echoed(t, sent[k][i], *config.Id); !reflect.DeepEqual(config, want) {
						t.Errorf("an add was answered\n%+v\nwant the config it sent\n%+v", config, want)
					}
					if _, twice := stored[*config.Id]; twice {
						t.Errorf("id %s was given to two configs", config.Id)
					}
					stored[*config.Id] = config
					continue
				}
				// Any other status is reported with the tally below.
				if r.status != kind.wantStatus && (kind.wantStatus != 0 || r.status != http.StatusConflict) {
					continue
				}
				r.wantError(t, r.status, kind.wantCode)
				if kind.wantHeader.name != "" && r.header.Get(kind.wantHeader.name) != kind.wantHeader.value {
					t.Errorf("%s = %q, want %q", kind.wantHeader.name, r.header.Get(kind.wantHeader.name), kind.wantHeader.value)
				}
			}
			n := len(replies[k])
			want := map[int]int{kind.wantStatus: n}
			if kind.wantStatus == 0 {
				want = map[int]int{http.StatusOK: 1, http.StatusConflict: n - 1}
			}
			if !maps.Equal(statuses, want) {
				t.Errorf("statuses = %v, want %v", statuses, want)
			}
		})
	}

	t.Run("the store holds exactly the configs answered 200, nothing a refused request sent", func(t *testing.T) {
		configs, issuers := h.store.contents()
		if !reflect.DeepEqual(configs, stored) {
			t.Errorf("store holds %d configs, want exactly the %d answered 200:\nstore    %+v\nanswered %+v", len(configs), len(stored), configs, stored)
		}
		if len(issuers) != len(stored) {
			t.Errorf("issuer index holds %d issuers, want %d", len(issuers), len(stored))
		}
		for id, config := range stored {
			if holder := issuers[*config.Issuer]; holder != id {
				t.Errorf("issuer %q is indexed under %s, want %s", *config.Issuer, holder, id)
			}
		}
	})
}
