package conformance

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/authcontract/authcontract/openapi"
)

// A run against a real Central adds configs; the report lists each one,
// and --cleanup deletes them afterwards with Central's
// DELETE /v1/auth/m2m/{id}, so that runs do not pile up configs.

// CreatedConfig is an ACS config the target stored during the run.
type CreatedConfig struct {
	ID   string `json:"id"`
	Case string `json:"case"`
}

// CleanupFailure is a config --cleanup could not delete, and why.
type CleanupFailure struct {
	ID  string `json:"id"`
	Why string `json:"why"`
}

// m2mPath is the ACS operation's path; configs are deleted below it.
const m2mPath = "/v1/auth/m2m"

// noteCreated records the config an accepted ACS add stored.
func (r *Runner) noteCreated(c Case, req *http.Request, got sent) {
	if c.API != openapi.ACSM2M || req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, m2mPath) || !accepted(got.status) {
		return
	}
	id, err := returnedID(got.body)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.created = append(r.created, CreatedConfig{ID: id, Case: c.Name()})
}

// Created lists the configs the target stored so far in this run.
func (r *Runner) Created() []CreatedConfig {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]CreatedConfig(nil), r.created...)
}

// Cleanup deletes every config the run created and returns those it could
// not delete. Each deletion is one exchange under the run's timeout.
func (r *Runner) Cleanup(ctx context.Context) []CleanupFailure {
	var failures []CleanupFailure
	for _, config := range r.Created() {
		if err := r.deleteConfig(ctx, config.ID); err != nil {
			failures = append(failures, CleanupFailure{ID: config.ID, Why: r.newScrubber().scrub(err.Error())})
		}
	}
	return failures
}

func (r *Runner) deleteConfig(ctx context.Context, id string) error {
	target := strings.TrimRight(r.target.BaseURL, "/") + m2mPath + "/" + url.PathEscape(id)
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, target, nil)
	if err != nil {
		return fmt.Errorf("build DELETE %s: %w", target, err)
	}
	for name, list := range r.target.Headers {
		req.Header[name] = append([]string(nil), list...)
	}
	req.Header.Set("Authorization", "Bearer "+r.target.Token)
	got := send(r.client, req, nil, r.target.maxResponseBytes())
	switch {
	case got.err != nil:
		return got.err
	case !accepted(got.status):
		return fmt.Errorf("DELETE answered %d: %s", got.status, excerpt(got.body))
	}
	return nil
}
