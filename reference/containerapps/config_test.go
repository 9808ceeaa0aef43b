//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package containerapps_test

import (
	"strings"
	"testing"

	"github.com/authcontract/authcontract/reference/containerapps"
)

func TestNewHandlerRejectsABadConfig(t *testing.T) {
	cases := []struct {
		name    string
		change  func(*containerapps.Config)
		wantErr string
	}{
		{"an empty bearer token is rejected",
			func(c *containerapps.Config) { c.BearerToken = "" }, "bearer token is empty"},
		{"a bearer token with a space is rejected",
			func(c *containerapps.Config) { c.BearerToken = "two words" }, "whitespace"},
		{"an app id without the providers segment is rejected",
			func(c *containerapps.Config) {
				c.Apps = []string{"/subscriptions/s/resourceGroups/rg/containerApps/app"}
			}, `parse app id "/subscriptions/s/resourceGroups/rg/containerApps/app"`},
		{"an app id of another resource type is rejected",
			func(c *containerapps.Config) {
				c.Apps = []string{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app"}
			}, "parse app id"},
		{"an app id with a trailing slash is rejected",
			func(c *containerapps.Config) { c.Apps = []string{sampleAppID + "/"} }, "parse app id"},
		{"an app id with an empty resource group is rejected",
			func(c *containerapps.Config) {
				c.Apps = []string{"/subscriptions/s/resourceGroups//providers/Microsoft.App/containerApps/app"}
			}, "resourceGroupName is empty"},
		{"a bare app name is rejected",
			func(c *containerapps.Config) { c.Apps = []string{sampleApp} }, "parse app id"},
		{"two ids naming the same app up to resource group case are rejected",
			func(c *containerapps.Config) {
				c.Apps = append(c.Apps, strings.Replace(sampleAppID, "/rg/", "/RG/", 1))
			}, "names the same app"},
		{"no apps at all is rejected",
			func(c *containerapps.Config) { c.Apps = nil }, "no container apps"},
		{"an empty location is rejected",
			func(c *containerapps.Config) { c.Location = "" }, "location is empty"},
		{"no api-versions is rejected",
			func(c *containerapps.Config) { c.APIVersions = nil }, "no api-versions"},
		{"an empty api-version is rejected",
			func(c *containerapps.Config) { c.APIVersions = []string{""} }, "api-version 0 is empty"},
		{"a zero token lifetime is rejected",
			func(c *containerapps.Config) { c.TokenLifetime = 0 }, "token lifetime"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			tc.change(&cfg)
			_, err := containerapps.NewHandler(cfg)
			if err == nil {
				t.Fatalf("NewHandler accepted the config; want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q does not contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestNewHandlerAcceptsAGoodConfig(t *testing.T) {
	t.Run("the default config with a token is accepted", func(t *testing.T) {
		if _, err := containerapps.NewHandler(testConfig()); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a nil clock falls back to the system clock", func(t *testing.T) {
		cfg := testConfig()
		cfg.Now = nil
		h := newHarness(t, cfg)
		h.send(t, post(samplePath)).token(t)
	})
}

func TestDefaultConfigServesTheDocumentsSample(t *testing.T) {
	cfg := containerapps.DefaultConfig()
	if len(cfg.Apps) != 1 || cfg.Apps[0] != sampleAppID {
		t.Errorf("Apps = %q, want [%q]", cfg.Apps, sampleAppID)
	}
	if len(cfg.APIVersions) != 1 || cfg.APIVersions[0] != sampleVersion {
		t.Errorf("APIVersions = %q, want [%q]", cfg.APIVersions, sampleVersion)
	}
	if cfg.Location != "East US" {
		t.Errorf("Location = %q, want East US", cfg.Location)
	}
	if cfg.BearerToken != "" {
		t.Errorf("BearerToken = %q, want empty: the caller must choose it", cfg.BearerToken)
	}
	if cfg.TokenLifetime <= 0 || cfg.Now == nil {
		t.Errorf("TokenLifetime %s and Now must be usable", cfg.TokenLifetime)
	}
}
