package containerapps_test

import "github.com/authcontract/authcontract/reference/containerapps"

// The values every test of this package shares, fuzz targets included (so
// this file carries no build constraint).
const (
	sampleSubscription  = "651f8027-33e8-4ec4-97b4-f6e9f3dc8744"
	sampleApp           = "testcontainerapp0"
	sampleAppID         = "/subscriptions/" + sampleSubscription + "/resourceGroups/rg/providers/Microsoft.App/containerApps/" + sampleApp
	sampleVersion       = "2023-08-01-preview"
	testToken           = "test-bearer-token"
	validAuth           = "Bearer " + testToken
	wantWWWAuthenticate = `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`
)

// operationPath builds the document's path for one app.
func operationPath(subscription, resourceGroup, app string) string {
	return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup +
		"/providers/Microsoft.App/containerApps/" + app + "/getAuthtoken"
}

// samplePath is the document's Sample Request, without the host.
var samplePath = operationPath(sampleSubscription, "rg", sampleApp)

// testConfig is DefaultConfig with the test's bearer token.
func testConfig() containerapps.Config {
	cfg := containerapps.DefaultConfig()
	cfg.BearerToken = testToken
	return cfg
}

// deref prints a string field, telling absent from empty.
func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
