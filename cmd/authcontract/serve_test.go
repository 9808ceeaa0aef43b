package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const sampleRequestPath = "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0/getAuthtoken?api-version=2023-08-01-preview"

func TestServePrintsWhatAClientNeedsAnswersTheSampleAndStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	stdoutReader, stdoutWriter := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"--addr", "127.0.0.1:0", "--token", "serve-test"}, stdoutWriter, io.Discard)
		stdoutWriter.Close()
	}()

	lines := bufio.NewScanner(stdoutReader)
	var base string
	var sawToken, sawApp bool
	for !(base != "" && sawToken && sawApp) && lines.Scan() {
		line := lines.Text()
		switch {
		case strings.HasPrefix(line, "authcontract reference server listening on "):
			base = strings.TrimPrefix(line, "authcontract reference server listening on ")
		case line == "bearer token: serve-test":
			sawToken = true
		case strings.HasPrefix(line, "container app: /subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/"):
			sawApp = true
		}
	}
	if base == "" || !sawToken || !sawApp {
		t.Fatalf("serve did not print address, token and app (address %q, token %v, app %v)", base, sawToken, sawApp)
	}
	go io.Copy(io.Discard, stdoutReader)

	req, _ := http.NewRequest(http.MethodPost, base+sampleRequestPath, nil)
	req.Header.Set("Authorization", "Bearer serve-test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the document's sample request got %d, want 200", resp.StatusCode)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("serve exited %d after cancel, want 0", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop after its context was cancelled")
	}
}

func TestServeRefusesBadFlags(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"a malformed container app id", []string{"--addr", "127.0.0.1:0", "--containerapp", "not-an-id"}},
		{"an address that cannot be listened on", []string{"--addr", "256.0.0.1:99999"}},
		{"a stray argument", []string{"extra"}},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is a usage error", func(t *testing.T) {
			if code := serve(context.Background(), tc.args, io.Discard, io.Discard); code != exitUsage {
				t.Fatalf("exit %d, want %d", code, exitUsage)
			}
		})
	}
}
