package casegen

import (
	"net/http"
	"net/url"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// tokenCase is one generated Get Auth Token exchange. Path segments are
// placeholders for the target's app ({resourceGroupName:upper}, say) or a
// generated name.
type tokenCase struct {
	about

	method                   string
	subscription, group, app string
	apiVersion               *string
	creds                    credentials
	headers                  map[string]string
	// name, when set, is a generated name that stands in the segment
	// nameAt points to; shrinking shortens it while keep holds.
	name     string
	nameAt   func(*tokenCase) *string
	nameKeep func(string) bool
}

const (
	existingSubscription = "{subscriptionId}"
	existingGroup        = "{resourceGroupName}"
	existingApp          = "{containerAppName}"
	targetAPIVersion     = "{apiVersion}"
)

func (c tokenCase) request() fixture.Request {
	if c.nameAt != nil {
		*c.nameAt(&c) = url.PathEscape(c.name)
	}
	req := fixture.Request{
		Method: c.method,
		Path: "/subscriptions/" + c.subscription + "/resourceGroups/" + c.group +
			"/providers/Microsoft.App/containerApps/" + c.app + "/getAuthtoken",
		Auth:    c.creds.auth,
		Headers: merge(c.headers, c.creds.headers),
	}
	if c.apiVersion != nil {
		req.Query = map[string]string{"api-version": *c.apiVersion}
	}
	return req
}

func (c tokenCase) fixture(prefix string) fixture.Fixture {
	return c.about.fixture(prefix, c.request())
}

// simpler shortens the generated name, if the case has one; nothing else
// in a Get Auth Token request is worth shrinking.
func (c tokenCase) simpler() []tokenCase {
	if c.nameAt == nil {
		return nil
	}
	var out []tokenCase
	for _, name := range shorterStrings(c.name, "", c.nameKeep) {
		variant := c
		variant.name = name
		out = append(out, variant)
	}
	return out
}

func merge(a, b map[string]string) map[string]string {
	if len(a)+len(b) == 0 {
		return nil
	}
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func newTokenCase() tokenCase {
	return tokenCase{
		method:       http.MethodPost,
		subscription: existingSubscription,
		group:        existingGroup,
		app:          existingApp,
		apiVersion:   ptr(targetAPIVersion),
	}
}
