package specdiff

import (
	"strings"
	"testing"

	"github.com/authcontract/authcontract/openapi"
)

func TestChooseAPI(t *testing.T) {
	cases := []struct {
		name     string
		flag     string
		old, new string
		want     openapi.API
		wantFrom string
		wantErr  string
	}{
		{"--api wins over the file names", "acs-m2m", "containerapps.yaml", "containerapps.yaml", openapi.ACSM2M, "--api", ""},
		{"the new file's name names the API", "", "before.yaml", "openapi/containerapps.yaml", openapi.ContainerApps, "the file name containerapps.yaml", ""},
		{"the old file's name names the API when the new one's does not", "", "main:openapi/acs-m2m.yaml", "edited.yaml", openapi.ACSM2M, "the file name acs-m2m.yaml", ""},
		{"a JSON file's name names the API too", "", "old/acs-m2m.json", "new/acs-m2m.json", openapi.ACSM2M, "the file name acs-m2m.json", ""},
		{"an unknown --api is an error", "graphql", "acs-m2m.yaml", "acs-m2m.yaml", "", "", `--api "graphql"`},
		{"names for two different APIs are an error", "", "acs-m2m.yaml", "containerapps.yaml", "", "", "pass --api"},
		{"names for no API are an error", "", "before.yaml", "after.yaml", "", "", "pass --api containerapps|acs-m2m"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api, from, err := ChooseAPI(tc.flag, tc.old, tc.new)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || api != tc.want || from != tc.wantFrom {
				t.Fatalf("got %q chosen by %q (error %v), want %q chosen by %q", api, from, err, tc.want, tc.wantFrom)
			}
		})
	}
}
