//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package containerapps_test

// Load test: many clients at once against one server. The operation keeps no
// state between requests, so what load can break is the sharing itself: a
// reply naming another request's app, a token handed out twice, a malformed
// answer, or, under -race, a field read and written unguarded.

import (
	"maps"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/authcontract/authcontract/reference/referencetest"
)

// loadWorkers is how many clients send at once; loadRequestsPerWorker keeps
// the test under a few seconds with -race on two cores, while every worker
// still sends several requests back to back.
const (
	loadWorkers           = 64
	loadRequestsPerWorker = 8
)

// judge fails the test unless the reply l got under load is JSON that both
// validators accept, exactly as harness.send judges a reply.
func (h *harness) judge(t *testing.T, l referencetest.Sent) reply {
	t.Helper()
	got := referencetest.Judge(t, h.validator, l)
	return reply{status: got.Status, header: got.Header, body: got.Body}
}

func TestEveryReplyUnderConcurrentLoadIsValid(t *testing.T) {
	// A fixed clock, read by every request at once, makes each expiry exact.
	now := time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("UTC+2", 2*60*60))
	cfg := testConfig()
	cfg.Apps = append(cfg.Apps, servicesAppID)
	cfg.Now = func() time.Time { return now }
	h := newHarness(t, cfg)
	wantExpires := now.Add(cfg.TokenLifetime).UTC()

	type header struct{ name, value string }
	challenge := header{"WWW-Authenticate", wantWWWAuthenticate}
	withCall := func(c call, change func(*call)) call {
		change(&c)
		return c
	}
	kinds := []struct {
		name       string
		call       call
		wantStatus int
		wantCode   string // the error code of a refusal
		wantID     string // the app a token names
		wantName   string
		wantHeader header // a header the reply must carry, when named
	}{
		{"the document's sample request is answered 200 with a token for the sample app",
			post(samplePath), http.StatusOK, "", sampleAppID, sampleApp, header{}},
		{"the sample app with its resource group in upper case is answered 200 with the canonical id",
			post(operationPath(sampleSubscription, "RG", sampleApp)), http.StatusOK, "", sampleAppID, sampleApp, header{}},
		{"another app with its resource group in another casing is answered 200 with that app's canonical id",
			post(operationPath(sampleSubscription, "ſERVICES-ς", "worker")), http.StatusOK, "", servicesAppID, "worker", header{}},
		{"an app that does not exist is answered 404 ResourceNotFound",
			post(operationPath(sampleSubscription, "rg", "no-such-app")), http.StatusNotFound, "ResourceNotFound", "", "", header{}},
		{"an existing app's name under another resource group is answered 404 ResourceNotFound",
			post(operationPath(sampleSubscription, "rg", "worker")), http.StatusNotFound, "ResourceNotFound", "", "", header{}},
		{"a request without api-version is refused with 400 MissingApiVersionParameter",
			withCall(post(samplePath), func(c *call) { c.query = nil }), http.StatusBadRequest, "MissingApiVersionParameter", "", "", header{}},
		{"an empty api-version is refused with 400 MissingApiVersionParameter",
			withCall(post(samplePath), func(c *call) { c.query = url.Values{"api-version": {""}} }), http.StatusBadRequest, "MissingApiVersionParameter", "", "", header{}},
		{"an unsupported api-version is refused with 400 InvalidApiVersionParameter",
			withCall(post(samplePath), func(c *call) { c.query = url.Values{"api-version": {"2099-01-01"}} }), http.StatusBadRequest, "InvalidApiVersionParameter", "", "", header{}},
		{"a request without a token is refused with 401 AuthenticationFailed",
			withCall(post(samplePath), func(c *call) { c.auth = "" }), http.StatusUnauthorized, "AuthenticationFailed", "", "", challenge},
		{"a wrong token is refused with 401 InvalidAuthenticationToken",
			withCall(post(samplePath), func(c *call) { c.auth = "Bearer not-the-token" }), http.StatusUnauthorized, "InvalidAuthenticationToken", "", "", challenge},
		{"GET on the operation is refused with 405 MethodNotAllowed",
			withCall(post(samplePath), func(c *call) { c.method = http.MethodGet }), http.StatusMethodNotAllowed, "MethodNotAllowed", "", "", header{"Allow", http.MethodPost}},
	}

	// Request n is of kind n mod len(kinds), so that at every moment the
	// workers send different kinds.
	kindOf := func(w, i int) int { return (w*loadRequestsPerWorker + i) % len(kinds) }
	// Requests are built here, where a failure may stop the test;
	// SendAtOnce judges nothing, so that t.Fatalf stays on this goroutine.
	reqs := make([][]*http.Request, loadWorkers)
	for w := range reqs {
		for i := range loadRequestsPerWorker {
			reqs[w] = append(reqs[w], h.request(t, kinds[kindOf(w, i)].call))
		}
	}
	loads := referencetest.SendAtOnce(t, reqs)
	// Every reply is judged by both validators before any kind is looked at.
	replies := make([][]reply, len(kinds))
	for w, batch := range loads {
		for i, l := range batch {
			replies[kindOf(w, i)] = append(replies[kindOf(w, i)], h.judge(t, l))
		}
	}

	issued := map[string]int{}
	for k, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			statuses := map[int]int{}
			for _, r := range replies[k] {
				statuses[r.status]++
				// Any other status is reported with the tally below.
				if r.status != kind.wantStatus {
					continue
				}
				if want := kind.wantHeader; want.name != "" && r.header.Get(want.name) != want.value {
					t.Errorf("%s = %q, want %q", want.name, r.header.Get(want.name), want.value)
				}
				if kind.wantStatus != http.StatusOK {
					r.wantError(t, kind.wantStatus, kind.wantCode)
					continue
				}
				tok := r.token(t)
				if deref(tok.Id) != kind.wantID || deref(tok.Name) != kind.wantName {
					t.Errorf("id %q and name %q, want %q and %q", deref(tok.Id), deref(tok.Name), kind.wantID, kind.wantName)
				}
				if !tok.Properties.Expires.Equal(wantExpires) {
					t.Errorf("properties.expires = %s, want %s", tok.Properties.Expires, wantExpires)
				}
				if *tok.Properties.Token == "" {
					t.Errorf("properties.token is empty")
				}
				issued[*tok.Properties.Token]++
			}
			if want := map[int]int{kind.wantStatus: len(replies[k])}; !maps.Equal(statuses, want) {
				t.Errorf("statuses = %v, want %v", statuses, want)
			}
		})
	}

	t.Run("every token issued under load is issued once", func(t *testing.T) {
		want := 0
		for k, kind := range kinds {
			if kind.wantStatus == http.StatusOK {
				want += len(replies[k])
			}
		}
		for token, times := range issued {
			if times > 1 {
				t.Errorf("token %q was issued %d times", token, times)
			}
		}
		if len(issued) != want {
			t.Errorf("%d distinct tokens, want one for each of the %d requests answered 200", len(issued), want)
		}
	})
}
