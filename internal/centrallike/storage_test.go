package centrallike

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestStorageConstraintsAreCentrals checks the two constraints of Central's
// table, each after an add that succeeds.
func TestStorageConstraintsAreCentrals(t *testing.T) {
	first := genericConfig("https://issuer.example.com")
	gitHub := with(first, map[string]any{"type": "GITHUB_ACTIONS", "issuer": nil})

	for _, tc := range []struct {
		name             string
		roles            []string
		first, second    map[string]any
		wantStatus, code int
	}{
		{name: "a second config with a taken issuer is refused with ALREADY_EXISTS",
			first: first, second: with(first, map[string]any{"tokenExpirationDuration": "2h"}),
			wantStatus: http.StatusConflict, code: codeAlreadyExists},
		{name: "a second GITHUB_ACTIONS config is refused with ALREADY_EXISTS",
			first: gitHub, second: gitHub,
			wantStatus: http.StatusConflict, code: codeAlreadyExists},
		{name: "a GENERIC config naming GitHub's issuer after a GITHUB_ACTIONS one is refused",
			first: gitHub, second: with(first, map[string]any{"issuer": "https://token.actions.githubusercontent.com"}),
			wantStatus: http.StatusConflict, code: codeAlreadyExists},
		{name: "two configs without issuer share the empty issuer, so the second is refused",
			first:      with(first, map[string]any{"type": "KUBE_SERVICE_ACCOUNT", "issuer": nil}),
			second:     with(first, map[string]any{"type": 7, "issuer": nil}),
			wantStatus: http.StatusConflict, code: codeAlreadyExists},
		{name: "an issuer differing only by a trailing slash is another issuer",
			first: first, second: with(first, map[string]any{"issuer": "https://issuer.example.com/"}),
			wantStatus: http.StatusOK},
		{name: "a mapping to a role that does not exist is refused with NOT_FOUND",
			first:      first,
			second:     with(genericConfig("https://other.example.com"), map[string]any{"mappings": oneMapping(".*", "Nobody")}),
			wantStatus: http.StatusNotFound, code: codeNotFound},
		{name: "role names are compared with their letter case",
			first:      first,
			second:     with(genericConfig("https://other.example.com"), map[string]any{"mappings": oneMapping(".*", "admin")}),
			wantStatus: http.StatusNotFound, code: codeNotFound},
		{name: "a taken issuer is reported before an unknown role",
			first: first, second: with(first, map[string]any{"mappings": oneMapping(".*", "Nobody")}),
			wantStatus: http.StatusConflict, code: codeAlreadyExists},
		{name: "roles come from the configuration",
			roles:      []string{"Auditor"},
			first:      with(first, map[string]any{"mappings": oneMapping(".*", "Auditor")}),
			second:     with(genericConfig("https://other.example.com"), map[string]any{"mappings": oneMapping(".*", "Admin")}),
			wantStatus: http.StatusNotFound, code: codeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Config{Roles: tc.roles})
			send(t, srv, post(addBody(t, tc.first))).config(t)
			r := send(t, srv, post(addBody(t, tc.second)))
			if tc.wantStatus == http.StatusOK {
				r.config(t)
				return
			}
			r.wantError(t, tc.wantStatus, tc.code)
		})
	}
}

// TestEveryBuiltInRoleCanBeMapped checks the default roles.
func TestEveryBuiltInRoleCanBeMapped(t *testing.T) {
	srv := newServer(t, Config{})
	var mappings []any
	for _, role := range BuiltInRoles() {
		mappings = append(mappings, map[string]any{"key": "sub", "valueExpression": ".*", "role": role})
	}
	config := with(genericConfig("https://issuer.example.com"), map[string]any{"mappings": mappings})
	send(t, srv, post(addBody(t, config))).config(t)
}

// TestConcurrentAddsOfOneIssuerHaveOneWinner sends 8 adds of one issuer at
// once: the store checks and inserts in one step, so exactly one is stored.
func TestConcurrentAddsOfOneIssuerHaveOneWinner(t *testing.T) {
	srv := newServer(t, Config{})
	calls := make([]call, 8)
	for i := range calls {
		calls[i] = post(addBody(t, genericConfig("https://issuer.example.com")))
	}
	replies := sendAtOnce(t, srv, calls)
	if n := countStatus(replies, http.StatusOK); n != 1 {
		t.Errorf("%d adds were stored, want 1", n)
	}
	for _, r := range replies {
		if r.status != http.StatusOK {
			r.wantError(t, http.StatusConflict, codeAlreadyExists)
		}
	}
	if n := len(listConfigs(t, srv)); n != 1 {
		t.Errorf("%d configs are stored, want 1", n)
	}
}

func countStatus(replies []reply, status int) int {
	n := 0
	for _, r := range replies {
		if r.status == status {
			n++
		}
	}
	return n
}

// TestListingAndDeleting checks GET /v1/auth/m2m and DELETE
// /v1/auth/m2m/{id}, which a test needs to see and clean up what an add
// stored.
func TestListingAndDeleting(t *testing.T) {
	srv := newServer(t, Config{})
	if got := listConfigs(t, srv); len(got) != 0 {
		t.Fatalf("a new server lists %d configs, want none", len(got))
	}

	a := send(t, srv, post(addBody(t, genericConfig("https://a.example.com")))).config(t)
	b := send(t, srv, post(addBody(t, genericConfig("https://b.example.com")))).config(t)
	t.Run("the list holds what the adds answered, oldest first", func(t *testing.T) {
		got := listConfigs(t, srv)
		if len(got) != 2 || string(mustJSON(t, got[0])) != string(mustJSON(t, a)) ||
			string(mustJSON(t, got[1])) != string(mustJSON(t, b)) {
			t.Errorf("list = %v, want [%v %v]", got, a, b)
		}
	})

	t.Run("a delete removes the config and answers with an empty object", func(t *testing.T) {
		r := send(t, srv, call{method: http.MethodDelete, path: m2mPath + "/" + a["id"].(string), authorization: withToken})
		if r.status != http.StatusOK || string(r.body) != "{}" {
			t.Errorf("delete answered %d %s, want 200 {}", r.status, r.body)
		}
		got := listConfigs(t, srv)
		if len(got) != 1 || got[0]["id"] != b["id"] {
			t.Errorf("after the delete the list is %v, want only %v", got, b["id"])
		}
	})

	t.Run("a deleted config's issuer can be added again", func(t *testing.T) {
		send(t, srv, post(addBody(t, genericConfig("https://a.example.com")))).config(t)
	})

	t.Run("deleting an id no config has succeeds, as in Central", func(t *testing.T) {
		r := send(t, srv, call{method: http.MethodDelete, path: m2mPath + "/no-such-id", authorization: withToken})
		if r.status != http.StatusOK || string(r.body) != "{}" {
			t.Errorf("delete answered %d %s, want 200 {}", r.status, r.body)
		}
	})
}

// listConfigs returns the configs GET /v1/auth/m2m answers with.
func listConfigs(t *testing.T, srv *httptest.Server) []map[string]any {
	t.Helper()
	r := send(t, srv, call{method: http.MethodGet, path: m2mPath, authorization: withToken})
	if r.status != http.StatusOK {
		t.Fatalf("list answered %d: %s", r.status, r.body)
	}
	list, ok := r.object(t)["configs"].([]any)
	if !ok {
		t.Fatalf("the list has no configs array: %s", r.body)
	}
	configs := make([]map[string]any, 0, len(list))
	for _, c := range list {
		m, ok := c.(map[string]any)
		if !ok {
			t.Fatalf("a listed config is no object: %s", r.body)
		}
		configs = append(configs, m)
	}
	return configs
}
