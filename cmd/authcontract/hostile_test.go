package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Hostile or broken targets must never hang, crash or exhaust verify: each
// misbehaviour is reported as a clear failure of the cases it touches (or,
// for a target that goes away, exit 2), and the run completes.
func TestVerifyOfAHostileTargetCompletesAndSaysWhatWentWrong(t *testing.T) {
	stalled := make(chan struct{})
	t.Cleanup(func() { close(stalled) })
	var otherHostHits atomic.Int64
	otherHost := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { otherHostHits.Add(1) }))
	t.Cleanup(otherHost.Close)

	cases := []struct {
		name     string
		handler  http.HandlerFunc
		args     []string
		wantCode int
		want     []string
	}{
		{
			"a target that resets every connection",
			func(w http.ResponseWriter, r *http.Request) {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.(*net.TCPConn).SetLinger(0) // close with RST
					conn.Close()
				}
			},
			nil, exitViolation, []string{"actual:    no response: "},
		},
		{
			"a target that never answers",
			func(w http.ResponseWriter, r *http.Request) {
				// Read the body so that the server notices the client
				// hanging up and cancels r's context.
				io.Copy(io.Discard, r.Body)
				select {
				case <-stalled:
				case <-r.Context().Done():
				}
			},
			[]string{"--timeout", "200ms"}, exitViolation,
			[]string{"Client.Timeout exceeded", "not sent: the target timed out on "},
		},
		{
			"a target that sends its body a byte at a time, slowly",
			func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusOK)
				for _, b := range []byte(`{"config":{}}`) {
					w.Write([]byte{b})
					w.(http.Flusher).Flush()
					select {
					case <-stalled:
						return
					case <-r.Context().Done():
						return
					case <-time.After(time.Second):
					}
				}
			},
			[]string{"--timeout", "200ms"}, exitViolation,
			[]string{"read the 200 response body", "not sent: the target timed out"},
		},
		{
			"a target whose JSON is not JSON",
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte("<html>bad request</html>"))
			},
			nil, exitViolation, []string{"FAILED: acs-m2m/response_schema/", "FAILED: acs-m2m/error_shape/"},
		},
		{
			"a target whose answer is endless",
			func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				chunk := []byte(strings.Repeat(" ", 64<<10))
				for range 1024 { // 64 MiB unless the client stops reading
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			},
			[]string{"--max-response-bytes", "100000"}, exitViolation, []string{"response body exceeds 100000 bytes"},
		},
		{
			"a target that redirects to another host",
			func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, otherHost.URL+r.URL.Path, http.StatusTemporaryRedirect)
			},
			nil, exitViolation, []string{"actual:    307"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := httptest.NewServer(tc.handler)
			t.Cleanup(target.Close)
			args := append([]string{"verify", "--target", target.URL, "--token", "t", "--api", "acs-m2m", "--seed", "1", "--cases", "20"}, tc.args...)
			start := time.Now()
			code, stdout, stderr := runCLI(t, args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, excerptText([]byte(stdout)), stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, lastLines(stdout, 40))
				}
			}
			if !summaryLine.MatchString(stdout) {
				t.Errorf("the run did not complete with a summary line:\n%s", lastLines(stdout, 10))
			}
			if elapsed := time.Since(start); elapsed > 30*time.Second {
				t.Errorf("verify took %s", elapsed)
			}
		})
	}
	if hits := otherHostHits.Load(); hits != 0 {
		t.Errorf("verify followed a redirect to another host %d times", hits)
	}
}

// A target that answers a few cases and then goes away is unreachable, not
// in breach of the contract: exit 2, after reporting what ran.
func TestVerifyOfATargetThatGoesAwayMidRunExitsTwo(t *testing.T) {
	var served atomic.Int64
	var target *httptest.Server
	target = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) == 5 {
			go target.Close()
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"code":3,"error":"bad","message":"bad","details":[]}`))
	}))
	t.Cleanup(target.Close)
	code, stdout, stderr := runCLI(t, "verify", "--target", target.URL, "--token", "t", "--api", "acs-m2m", "--cases", "20", "--parallel", "1")
	if code != exitUsage || !strings.Contains(stderr, "stopped answering during the run") {
		t.Fatalf("exit %d, want 2 saying the target stopped answering\nstderr:\n%s\nstdout:\n%s", code, stderr, lastLines(stdout, 20))
	}
	if !summaryLine.MatchString(stdout) {
		t.Errorf("no summary of what ran:\n%s", lastLines(stdout, 10))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
