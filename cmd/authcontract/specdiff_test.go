package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
)

// specEdit changes a document's text; it fails the test when the text it
// looks for is not there exactly once, so that a test does not pass on a
// document it no longer changes.
type specEdit func(t *testing.T, doc string) string

// replace swaps one passage of the document for another.
func replace(old, new string) specEdit {
	return func(t *testing.T, doc string) string {
		t.Helper()
		if n := strings.Count(doc, old); n != 1 {
			t.Fatalf("the document holds %q %d times, want once", old, n)
		}
		return strings.Replace(doc, old, new, 1)
	}
}

// removeFrom cuts the document from one passage up to another, which stays.
func removeFrom(from, upTo string) specEdit {
	return func(t *testing.T, doc string) string {
		t.Helper()
		start := strings.Index(doc, from)
		end := strings.Index(doc, upTo)
		if start < 0 || end < start {
			t.Fatalf("the document has no %q followed by %q", from, upTo)
		}
		return doc[:start] + doc[end:]
	}
}

// writeSpec writes the embedded document of api, edited, as dir/<api>.yaml,
// the name spec-diff reads the API from.
func writeSpec(t *testing.T, dir string, api openapi.API, edits ...specEdit) string {
	t.Helper()
	spec, err := openapi.Spec(api)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(spec)
	for _, edit := range edits {
		doc = edit(t, doc)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, string(api)+".yaml")
	if err := os.WriteFile(file, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// runSpecDiff runs the command in-process, as main would.
func runSpecDiff(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"spec-diff"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

var specDiffSummary = regexp.MustCompile(`(?m)^(\d+) breaking, (\d+) non-breaking, (\d+) fixtures the new spec no longer admits$`)

// Edits of the embedded documents the cases below are made of.
var (
	// The Container Apps api-version as an enum, before and after a new
	// version is added: a value only requests carry.
	apiVersionEnum      = replace("            minLength: 1\n            x-authcontract-grounds", "            minLength: 1\n            enum: [2023-08-01-preview]\n            x-authcontract-grounds")
	apiVersionEnumAdded = replace("            minLength: 1\n            x-authcontract-grounds", "            minLength: 1\n            enum: [2023-08-01-preview, 2024-03-01]\n            x-authcontract-grounds")
	// A value of createdByType's extensible enum, which ARM may grow.
	createdByTypeAdded = replace("          - value: Key\n", "          - value: Key\n          - value: ServicePrincipal\n")
	// A new ACS config type: the request sends it and the answer echoes it.
	configTypeAdded = replace("        - KUBE_SERVICE_ACCOUNT\n", "        - KUBE_SERVICE_ACCOUNT\n        - OIDC_DEVICE\n")
	// A required audience in every ACS config, examples included.
	audienceRequired = []specEdit{
		replace("    V1AuthMachineToMachineConfig:\n", "    V1AuthMachineToMachineConfig:\n      required: [audience]\n"),
		replace("        issuer:\n          type: string\n", "        audience:\n          type: string\n        issuer:\n          type: string\n"),
		replace("\n                    tokenExpirationDuration: 2h45m\n", "\n                    tokenExpirationDuration: 2h45m\n                    audience: central\n"),
		replace("\n                      tokenExpirationDuration: 2h45m\n", "\n                      tokenExpirationDuration: 2h45m\n                      audience: central\n"),
	}
	// The Container Apps 404 and default responses, gone.
	errorResponsesRemoved = removeFrom(`        "404":`, "      x-ms-examples:")
	// The ACS 200 response, gone; default still answers every status.
	successResponseRemoved = removeFrom(`        "200":`+"\n          description: 성공적인", "        default:\n          description: 예기치")
	// The ACS operation, moved to another path: POST /v1/auth/m2m is gone.
	operationMoved = replace("  /v1/auth/m2m:\n", "  /v2/auth/m2m:\n")
	// PUT on the ACS path, which the method fixture expects refused.
	putAdded = replace("  /v1/auth/m2m:\n    post:\n", "  /v1/auth/m2m:\n    put:\n      operationId: ReplaceConfig\n      responses:\n        \"200\":\n          description: replaced\n    post:\n")
)

func TestSpecDiffReportsChangesAndTheFixturesTheyBreak(t *testing.T) {
	cases := []struct {
		name       string
		api        openapi.API
		oldEdits   []specEdit
		newEdits   []specEdit
		wantCode   int
		wantCounts [3]string // breaking, non-breaking, fixtures
		want       []string
		wantNot    []string
	}{
		{
			name: "identical documents exit 0 with no changes and every fixture admitted",
			api:  openapi.ACSM2M, wantCode: exitOK, wantCounts: [3]string{"0", "0", "0"},
			want: []string{"spec-diff acs-m2m (chosen by the file name acs-m2m.yaml): ", "\nno changes\n", "fixtures: the new spec admits all "},
			// Tolerant cases that send what the schema forbids on purpose are
			// not broken fixtures.
			wantNot: []string{"client-sent-id.json", "empty-value-expression.json"},
		},
		{
			name: "an api-version added to the Container Apps enum is non-breaking and exits 0",
			api:  openapi.ContainerApps, oldEdits: []specEdit{apiVersionEnum}, newEdits: []specEdit{apiVersionEnumAdded},
			wantCode: exitOK, wantCounts: [3]string{"0", "1", "0"},
			want: []string{
				"POST /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.App/containerApps/{containerAppName}/getAuthtoken (ContainerApps_GetAuthToken)\n",
				"  non-breaking (INFO) request-parameter-enum-value-added: added the new enum value `2024-03-01` to the `query` request parameter `api-version`\n",
			},
		},
		{
			name: "a value added to createdByType's extensible enum is nothing oasdiff rates and exits 0",
			api:  openapi.ContainerApps, newEdits: []specEdit{createdByTypeAdded},
			wantCode: exitOK, wantCounts: [3]string{"0", "0", "0"},
			want: []string{"no changes oasdiff rates"},
		},
		{
			// The ACS type is one schema for request and answer: a client may
			// not know the new value when the answer echoes it, so oasdiff
			// rates the answer's side breaking.
			name: "an ACS config type added to the enum the answer echoes is breaking for the answer only",
			api:  openapi.ACSM2M, newEdits: []specEdit{configTypeAdded},
			wantCode: exitViolation, wantCounts: [3]string{"1", "1", "0"},
			want: []string{
				"  breaking (ERR) response-property-enum-value-added: added the new `OIDC_DEVICE` enum value to the `config/type` response property for the response status `200`\n    why: ",
				"  non-breaking (INFO) request-property-enum-value-added: added the new `OIDC_DEVICE` enum value to the request property `config/type`\n",
			},
		},
		{
			name: "a newly required request property is breaking and lists the positive fixtures that lack it",
			api:  openapi.ACSM2M, newEdits: audienceRequired,
			wantCode: exitViolation,
			want: []string{
				"  breaking (ERR) new-required-request-property: added the new required request property `config/audience`\n",
				"  fixtures/acs-m2m/generic-config.json: \"a GENERIC config with a URL issuer is stored under a new id\" (positive); the old spec admitted it\n" +
					"    the request: both validators refuse it: kin-openapi: request body has an error: doesn't match schema #/components/schemas/V1AddAuthMachineToMachineConfigRequest: Error at \"/config/audience\": property \"audience\" is missing; libopenapi-validator: ",
				"  fixtures/acs-m2m/one-issuer-one-winner.json: ",
				"  fixtures/acs-m2m/type-defaults-to-generic.json: ",
			},
			// A negative case's request is meant to break things.
			wantNot: []string{"duration-over-24h.json", "config-not-an-object.json", "no-token.json"},
		},
		{
			name: "removed error responses list the fixtures that expect them",
			api:  openapi.ContainerApps, newEdits: []specEdit{errorResponsesRemoved},
			wantCode: exitViolation,
			want: []string{
				"  non-breaking (INFO) response-non-success-status-removed: removed the non-success response with the status `404`\n",
				"  fixtures/containerapps/unknown-container-app.json: \"an app that does not exist gets 404\" (documented); the old spec admitted it\n" +
					"    the request: expects status 404, which the spec does not document for ContainerApps_GetAuthToken (it documents 200)\n",
				"  fixtures/containerapps/wrong-token.json: ",
			},
			wantNot: []string{"sample-request.json", "get-method.json"},
		},
		{
			name: "a removed success response is breaking, while default still documents the 200 fixtures expect",
			api:  openapi.ACSM2M, newEdits: []specEdit{successResponseRemoved},
			wantCode: exitViolation, wantCounts: [3]string{"1", "0", "0"},
			want: []string{"  breaking (ERR) response-success-status-removed: removed the success response with the status `200`\n"},
		},
		{
			name: "a removed operation is breaking and lists every fixture that calls it",
			api:  openapi.ACSM2M, newEdits: []specEdit{operationMoved},
			wantCode: exitViolation,
			want: []string{
				"POST /v1/auth/m2m (AuthService_AddAuthMachineToMachineConfig)\n  breaking (ERR) api-path-removed-without-deprecation: ",
				"  fixtures/acs-m2m/duplicate-generic-issuer.json: \"a second GENERIC config with the same issuer is refused\" (negative); the old spec admitted it\n" +
					"    setup step 1: POST /v1/auth/m2m is no operation of the spec\n" +
					"    the request: POST /v1/auth/m2m is no operation of the spec\n",
				"  fixtures/acs-m2m/put-method.json: \"PUT, which the path does not take, gets a 4xx or 501\" (method); the old spec admitted it\n" +
					"    the request: the path of PUT /v1/auth/m2m is under no method of the spec\n",
				fmt.Sprintf("fixtures the new spec no longer admits (%d of %[1]d):", countFixtures(t, "acs-m2m")),
			},
		},
		{
			name: "a method the path now takes lists the fixture that expects it refused",
			api:  openapi.ACSM2M, newEdits: []specEdit{putAdded},
			wantCode: exitViolation, wantCounts: [3]string{"0", "1", "1"},
			want: []string{"    the request: PUT /v1/auth/m2m is an operation of the spec, so a 4xx or 501 is no longer the answer\n"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			oldFile := writeSpec(t, filepath.Join(dir, "old"), tc.api, tc.oldEdits...)
			newFile := writeSpec(t, filepath.Join(dir, "new"), tc.api, tc.newEdits...)
			code, stdout, stderr := runSpecDiff(t, oldFile, newFile)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout, stderr)
			}
			summary := specDiffSummary.FindStringSubmatch(stdout)
			if summary == nil {
				t.Fatalf("no summary line:\n%s", stdout)
			}
			if tc.wantCounts != [3]string{} && [3]string(summary[1:]) != tc.wantCounts {
				t.Errorf("summary %q, want %s breaking, %s non-breaking, %s fixtures", summary[0], tc.wantCounts[0], tc.wantCounts[1], tc.wantCounts[2])
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("the report does not say %q:\n%s", want, stdout)
				}
			}
			for _, unwanted := range tc.wantNot {
				if strings.Contains(stdout, unwanted) {
					t.Errorf("the report mentions %q:\n%s", unwanted, stdout)
				}
			}
		})
	}
}

func TestSpecDiffGivesTheSameReportEveryTime(t *testing.T) {
	dir := t.TempDir()
	oldFile := writeSpec(t, filepath.Join(dir, "old"), openapi.ACSM2M)
	newFile := writeSpec(t, filepath.Join(dir, "new"), openapi.ACSM2M, append(audienceRequired, configTypeAdded)...)
	_, first, _ := runSpecDiff(t, oldFile, newFile)
	for range 3 {
		if _, again, _ := runSpecDiff(t, oldFile, newFile); again != first {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, again)
		}
	}
}

func TestSpecDiffJudgesTheFixturesOfFixturesDirToo(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, filepath.Join(dir, "spec"), openapi.ACSM2M)
	extra := filepath.Join(dir, "saved")
	os.MkdirAll(filepath.Join(extra, "acs-m2m"), 0o755)
	stale := `{"name": "a one-day config is stored", "sentence": "s", "kind": "positive",
		"request": {"method": "POST", "path": "/v1/auth/m2m", "body": {"config": {"issuer": "{issuerBase}x-{unique}.example", "tokenExpirationDuration": "1d"}}},
		"expect": {"status": 200}}`
	os.WriteFile(filepath.Join(extra, "acs-m2m", "stale.json"), []byte(stale), 0o644)

	code, stdout, stderr := runSpecDiff(t, "--fixtures", extra, spec, spec)
	if code != exitViolation {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitViolation, stdout, stderr)
	}
	want := "  " + filepath.Join(extra, "acs-m2m", "stale.json") + ": \"a one-day config is stored\" (positive); the old spec did not admit it either\n"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, `"/config/tokenExpirationDuration"`) {
		t.Fatalf("the report does not list the fixture broken before, with why:\n%s", stdout)
	}
}

func TestSpecDiffReadsFlagsAfterTheDocuments(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, openapi.ContainerApps)
	renamed := filepath.Join(dir, "after.yaml")
	os.Rename(spec, renamed)
	code, stdout, stderr := runSpecDiff(t, renamed, renamed, "--api", "containerapps")
	if code != exitOK || !strings.Contains(stdout, "spec-diff containerapps (chosen by --api): ") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// make spec-diff reads the old document as BASE:openapi/<api>.yaml.
func TestSpecDiffReadsADocumentFromAGitCommit(t *testing.T) {
	if err := exec.Command("git", "rev-parse", "--verify", "HEAD:openapi/acs-m2m.yaml").Run(); err != nil {
		t.Skipf("no git checkout with a committed openapi/acs-m2m.yaml here: %v", err)
	}
	code, stdout, stderr := runSpecDiff(t, "HEAD:openapi/acs-m2m.yaml", "HEAD:openapi/acs-m2m.yaml")
	if code != exitOK || !strings.Contains(stdout, "HEAD:openapi/acs-m2m.yaml → HEAD:openapi/acs-m2m.yaml") || !strings.Contains(stdout, "\nno changes\n") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

func TestSpecDiffUsageErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, openapi.ACSM2M)
	notOpenAPI := filepath.Join(dir, "notes", "acs-m2m.yaml")
	os.MkdirAll(filepath.Dir(notOpenAPI), 0o755)
	os.WriteFile(notOpenAPI, []byte("hello: world\n"), 0o644)
	unnamed := filepath.Join(dir, "before.yaml")
	os.WriteFile(unnamed, []byte("hello: world\n"), 0o644)
	badFixtures := filepath.Join(dir, "bad")
	os.MkdirAll(filepath.Join(badFixtures, "acs-m2m"), 0o755)
	os.WriteFile(filepath.Join(badFixtures, "acs-m2m", "x.json"), []byte(`{"name": "no kind"}`), 0o644)

	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"one document is a usage error", []string{spec}, "want two documents, OLD and NEW; got 1"},
		{"a missing file is a usage error", []string{filepath.Join(dir, "gone", "acs-m2m.yaml"), spec}, "no such file"},
		{"a file that is no OpenAPI document is a usage error", []string{notOpenAPI, spec}, "is no OpenAPI document both validators load"},
		{"an unknown flag is a usage error", []string{"--colour", spec, spec}, "flag provided but not defined: -colour"},
		{"an unknown --api is a usage error", []string{"--api", "graphql", spec, spec}, `--api "graphql" is not one of`},
		{"file names that name no API without --api are a usage error", []string{unnamed, unnamed}, "pass --api"},
		{"--fixtures that is no directory is a usage error", []string{"--fixtures", spec, spec, spec}, "is not a directory"},
		{"--fixtures holding a malformed fixture is a usage error", []string{"--fixtures", badFixtures, spec, spec}, "x.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runSpecDiff(t, tc.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitUsage, stdout, stderr)
			}
			if !strings.HasPrefix(stderr, "spec-diff: ") || !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr does not say spec-diff: …%s…:\n%s", tc.wantErr, stderr)
			}
			if stdout != "" {
				t.Errorf("a usage error printed a report:\n%s", stdout)
			}
		})
	}
}

// countFixtures is how many embedded fixtures the API has.
func countFixtures(t *testing.T, api string) int {
	t.Helper()
	names, err := fs.Glob(fixtures.FS, api+"/*.json")
	if err != nil {
		t.Fatal(err)
	}
	return len(names)
}
