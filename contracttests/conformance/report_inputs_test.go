package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/openapi"
)

func TestSecretsAreFoundWhereTheDocumentMarksThem(t *testing.T) {
	r := testRunner(t, Options{})
	paths := r.secretPaths[openapi.ContainerApps]
	if len(paths) != 1 || strings.Join(paths[0], ".") != "properties.token" {
		t.Fatalf("secret paths %v, want properties.token (x-ms-secret)", paths)
	}
	body := []byte(`{"name":"app","properties":{"token":"s3cr3t-token-value","expires":"2026-12-02T00:00:00Z"}}`)
	secrets := &scrubber{}
	secrets.add(secretsIn(body, paths)...)
	secrets.add("abc") // too short to redact without blanking out words
	if got := secrets.scrub(`200 ` + string(body) + ` abc`); strings.Contains(got, "s3cr3t-token-value") || !strings.Contains(got, "<redacted: 18 chars>") || !strings.HasSuffix(got, " abc") {
		t.Fatalf("scrubbed: %s", got)
	}
}

func TestCredentialHeadersAreToldFromOthersByName(t *testing.T) {
	for name, secret := range map[string]bool{"X-Gateway-Key": true, "Ocp-Apim-Subscription-Key": true, "Authorization": true, "Cookie": true, "X-Tenant": false, "X-Request-Id": false} {
		if secretHeader(name) != secret {
			t.Errorf("%s: secret %v, want %v", name, !secret, secret)
		}
	}
}

func TestACurlLineReadsTheTokenFromTheEnvironment(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "http://target/v1/auth/m2m", nil)
	req.Header.Set("Authorization", "Bearer s3cr3t")
	req.Header.Set("Content-Type", "application/json")
	line := curl(req, []byte(`{"a":"it's"}`), "s3cr3t")
	if strings.Contains(line, "s3cr3t") || !strings.Contains(line, `-H "Authorization: Bearer $AUTHCONTRACT_TOKEN"`) {
		t.Fatalf("curl line: %s", line)
	}
	if !strings.Contains(line, `'{"a":"it'\''s"}'`) {
		t.Fatalf("the body is not quoted for a shell: %s", line)
	}
	wrong, _ := http.NewRequest(http.MethodPost, "http://target/v1/auth/m2m", nil)
	wrong.Header.Set("Authorization", "Bearer authcontract-wrong-token")
	if line := curl(wrong, nil, "t"); !strings.Contains(line, "Bearer authcontract-wrong-token") {
		t.Fatalf("a wrong token, which is no secret, was rewritten: %s", line)
	}
}

func TestAnIntermediarysOwnAnswerIsRecognised(t *testing.T) {
	cases := []struct {
		name, contentType, violations, body, want string
	}{
		{"Prism's problem+json", "application/problem+json", "", `{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request"}`, "Prism's own error (UNPROCESSABLE_ENTITY)"},
		{"another proxy's problem+json", "application/problem+json", "", `{"title":"Bad Gateway"}`, "a proxy's or mock's own error"},
		{"Prism's report of violations", "application/json", `[{"message":"x"}]`, `{}`, "Prism's validating proxy reports violations"},
		{"the target's own answer", "application/json", "", `{"code":3}`, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			header := http.Header{"Content-Type": {tc.contentType}}
			if tc.violations != "" {
				header.Set("Sl-Violations", tc.violations)
			}
			got := intermediary(header, []byte(tc.body))
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Fatalf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestSelections(t *testing.T) {
	if _, err := ParseChecks("auth, status_code"); err != nil {
		t.Errorf("known names: %v", err)
	}
	if _, err := ParseChecks("auth,statuscode"); err == nil {
		t.Error("an unknown name was taken")
	}
	if got := SelectChecks(nil, []Check{ResponseSchema}); len(got) != len(Checks())-1 {
		t.Errorf("excluding one check leaves %v", got)
	}
	for text, ok := range map[string]bool{"1/1": true, "2/4": true, "0/4": false, "5/4": false, "1/0": false, "x": false, "1/2/3": false} {
		if _, _, err := ParseShard(text); (err == nil) != ok {
			t.Errorf("shard %q: %v", text, err)
		}
	}
	for n := range 12 {
		cases := NewCaseList(n, func(i int) Case { return Case{} })
		seen := map[int]int{}
		for shard := 1; shard <= 3; shard++ {
			share := cases.Shard(shard, 3)
			previous := -1
			for c := range share.All() {
				if c.Index <= previous {
					t.Errorf("%d cases: shard %d/3 holds case %d after case %d", n, shard, c.Index, previous)
				}
				previous = c.Index
				seen[c.Index]++
			}
		}
		for i := range n {
			if seen[i] != 1 {
				t.Errorf("%d cases: case %d is in %d shards", n, i, seen[i])
			}
		}
	}
}
