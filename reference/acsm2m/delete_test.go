//go:build !fuzzing

package acsm2m

import (
	"io"
	"net/http"
	"testing"
)

// verify --cleanup deletes what a run added with Central's DELETE
// /v1/auth/m2m/{id}; the reference takes that call as Central does.
func TestDeletingAConfigFreesItsIssuer(t *testing.T) {
	h := newHarness(t, Config{})
	issuer := h.uniqueIssuer()
	added := h.send(t, post(addRequest(t, genericConfig(issuer)))).config(t)

	deleted := h.raw(t, call{method: http.MethodDelete, path: operationPath + "/" + added.Id.String(), auth: validAuth})
	if deleted.status != http.StatusOK || string(deleted.body) != "{}" {
		t.Fatalf("DELETE answered %d %s, want 200 {}", deleted.status, deleted.body)
	}
	if _, held := h.store.get(*added.Id); held {
		t.Fatal("the deleted config is still stored")
	}
	h.send(t, post(addRequest(t, genericConfig(issuer)))).config(t)
}

func TestDeletingAsCentralDoes(t *testing.T) {
	h := newHarness(t, Config{})
	cases := []struct {
		name       string
		call       call
		wantStatus int
	}{
		{"an id no config has is answered {} as Central's datastore answers it", call{method: http.MethodDelete, path: operationPath + "/6b1f1a8e-2c3d-4e5f-8a9b-0c1d2e3f4a5b", auth: validAuth}, http.StatusOK},
		{"an id that is no UUID is answered {} too", call{method: http.MethodDelete, path: operationPath + "/not-a-uuid", auth: validAuth}, http.StatusOK},
		{"a delete without credentials is refused", call{method: http.MethodDelete, path: operationPath + "/6b1f1a8e-2c3d-4e5f-8a9b-0c1d2e3f4a5b"}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := h.raw(t, tc.call); got.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", got.status, tc.wantStatus, got.body)
			}
		})
	}
}

// raw performs c without judging the reply against the operation: DELETE is
// Central's, not the document's.
func (h *harness) raw(t *testing.T, c call) reply {
	t.Helper()
	resp, err := h.server.Client().Do(h.request(t, c))
	if err != nil {
		t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}
}
