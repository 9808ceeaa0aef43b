package conformance

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Against a target that misbehaves at the transport, the runner still
// finishes every case, parallel at a time, and says what went wrong: no
// hang, no case lost. (verify's own tests drive the same targets through
// the command line; these run under the race detector.)
func TestRunEachFinishesEveryCaseAgainstAHostileTarget(t *testing.T) {
	stalled := make(chan struct{})
	t.Cleanup(func() { close(stalled) })
	cases := []struct {
		name    string
		handler http.HandlerFunc
		target  func(*Target)
		want    string
	}{
		{
			"a target that resets every connection",
			func(w http.ResponseWriter, r *http.Request) {
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					conn.(*net.TCPConn).SetLinger(0) // close with RST
					conn.Close()
				}
			},
			nil, "no response: ",
		},
		{
			"a target that never answers",
			func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				select {
				case <-stalled:
				case <-r.Context().Done():
				}
			},
			func(target *Target) { target.Timeout = 100 * time.Millisecond }, "Client.Timeout exceeded",
		},
		{
			"a target whose answer is endless",
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				chunk := []byte(strings.Repeat(" ", 64<<10))
				for range 1024 {
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			},
			func(target *Target) { target.MaxResponseBytes = 100000 }, "response body exceeds 100000 bytes",
		},
		{
			"a target whose JSON is not JSON",
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, "<html>bad request</html>")
			},
			nil, "",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			server := httptest.NewServer(tc.handler)
			t.Cleanup(server.Close)
			target := Target{BaseURL: server.URL, Token: "test-token", ContainerApp: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app", APIVersion: DefaultAPIVersion}
			if tc.target != nil {
				tc.target(&target)
			}
			r, err := NewRunner(target, Options{RunID: "hostile"})
			if err != nil {
				t.Fatal(err)
			}
			const n = 12
			reported, failed, said := 0, 0, false
			done := make(chan struct{})
			go func() {
				defer close(done)
				r.RunEach(context.Background(), NewCaseList(n, func(i int) Case { return numberedCase(i, i == 5) }), 4, func(result CaseResult) {
					reported++
					for _, o := range result.Outcomes {
						if o.IsFailure() {
							failed++
						}
						said = said || strings.Contains(o.Actual, tc.want)
					}
				})
			}()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("the run did not finish within a minute")
			}
			if reported != n || failed == 0 || !said {
				t.Errorf("%d of %d cases reported, %d failed outcomes, one says %q: %v", reported, n, failed, tc.want, said)
			}
		})
	}
}
