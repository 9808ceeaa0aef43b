package referencetest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/authcontract/authcontract/openapi/validation"
)

// sendTimeout bounds every request sent under load, so that a deadlock in
// the server is a failure instead of a hung test.
const sendTimeout = 30 * time.Second

// Sent is one request sent under load and what came back. A worker fills it
// in; only the test goroutine reads it, after every worker has finished.
// The reply is read only through Judge, so that no test can look at a reply
// both validators have not accepted.
type Sent struct {
	// Request is the request as sent; its body has been read.
	Request *http.Request
	reply   Reply
	err     error // why no whole reply came back
}

// SendAtOnce sends reqs[w] from worker w, in order, every worker released at
// the same moment so that their requests really overlap, and returns what
// each request got, in the shape of reqs. The caller builds the requests on
// the test goroutine, where a failure may stop the test. SendAtOnce judges
// nothing: Do may call t.Fatalf, which only the test goroutine may call, so
// replies are judged afterwards with Judge.
func SendAtOnce(t testing.TB, reqs [][]*http.Request) [][]Sent {
	t.Helper()
	// One idle connection per worker, so that the load is requests rather
	// than connection set-up.
	transport := &http.Transport{MaxIdleConnsPerHost: len(reqs)}
	t.Cleanup(transport.CloseIdleConnections)
	client := &http.Client{Transport: transport, Timeout: sendTimeout}

	// Each worker writes only its own row of got.
	got := make([][]Sent, len(reqs))
	for w, batch := range reqs {
		got[w] = make([]Sent, len(batch))
		for i, req := range batch {
			got[w][i].Request = req
		}
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for w := range got {
		wg.Go(func() {
			<-start
			for i := range got[w] {
				got[w][i].fetch(client)
			}
		})
	}
	close(start)
	wg.Wait()
	return got
}

// fetch sends s.Request and keeps the whole reply; it runs on a worker, so
// it records a failure rather than reporting it.
func (s *Sent) fetch(client *http.Client) {
	resp, err := client.Do(s.Request)
	if err != nil {
		s.err = err
		return
	}
	defer resp.Body.Close()
	s.reply.Status, s.reply.Header = resp.StatusCode, resp.Header
	s.reply.Body, s.err = io.ReadAll(resp.Body)
}

// Judge fails t unless s came back with a whole reply that is JSON both
// validators accept, exactly as Do judges a reply it fetches: it hands the
// stored reply to Do through a client that replays it. judgeAs is, as for
// Do, the request the reply is validated as answering: s.Request itself,
// or, for a request the document does not describe, the documented
// operation. Call it on the test goroutine only.
func Judge(t testing.TB, v *validation.Validator, s Sent) Reply {
	t.Helper()
	if s.err != nil {
		t.Fatalf("%s %s under load: %v", s.Request.Method, s.Request.URL.Path, s.err)
	}
	// s.Request has been sent and its body read, so Do gets a copy without
	// a body to send to the replay.
	again, err := http.NewRequest(s.Request.Method, s.Request.URL.String(), nil)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	again.Header = s.Request.Header.Clone()
	return Do(t, &http.Client{Transport: replay(s.reply)}, v, again)
}

// replay is a RoundTripper that answers with a reply already received.
type replay Reply

func (r replay) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", r.Status, http.StatusText(r.Status)),
		StatusCode:    r.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        r.Header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(r.Body)),
		ContentLength: int64(len(r.Body)),
		Request:       req,
	}, nil
}
