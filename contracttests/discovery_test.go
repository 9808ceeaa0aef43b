package contracttests_test

import (
	"fmt"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/internal/centrallike"
	"github.com/authcontract/authcontract/internal/oidcissuer"
	"github.com/authcontract/authcontract/reference"
)

// discoveringCentral is the Central look-alike discovering every issuer
// through a client that reaches only the issuer server, as a Central
// without internet access does.
func discoveringCentral(t *testing.T, issuers *oidcissuer.Server) *httptest.Server {
	t.Helper()
	central, err := centrallike.New(centrallike.Config{BearerToken: brokenToken, Discovery: issuers.Client()})
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(central)
	t.Cleanup(server.Close)
	return server
}

func startIssuers(t *testing.T) *oidcissuer.Server {
	t.Helper()
	issuers, err := oidcissuer.Start(oidcissuer.Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { issuers.Close() })
	return issuers
}

// runDiscovering runs the ACS fixtures and perSeed generated cases against
// target, with the issuer server when one is given.
func runDiscovering(t *testing.T, target string, issuers conformance.IssuerServer, seed int64, perSeed int) []conformance.Outcome {
	t.Helper()
	runner, err := conformance.NewRunner(conformance.Target{
		BaseURL:      target,
		Token:        brokenToken,
		ContainerApp: reference.DefaultConfig().ContainerApps.Apps[0],
		APIVersion:   conformance.DefaultAPIVersion,
		// Under -race, beside the package's other parallel runs, a
		// several-MiB body can take longer than the default; speed is not
		// what these tests judge.
		Timeout: time.Minute,
	}, conformance.Options{RunID: fmt.Sprintf("oidc%d", seed), Issuers: issuers})
	if err != nil {
		t.Fatal(err)
	}
	return acsOutcomes(t, runner, seed, perSeed)
}

// A Central look-alike that discovers every issuer, as the real one does,
// passes when the run serves its GENERIC issuers' discovery documents. It
// cannot reach GitHub, so its GITHUB_ACTIONS adds are skipped, never failed.
func TestACentralLikeImplementationThatDiscoversIssuersPassesWithAnIssuerServerOnEverySeed(t *testing.T) {
	seeds, perSeed := sweep(3, 100)
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			issuers := startIssuers(t)
			accepted, skippedForGitHub := 0, 0
			for _, o := range runDiscovering(t, discoveringCentral(t, issuers).URL, issuers, seed, perSeed) {
				switch {
				case o.IsFailure():
					t.Error("\n" + report.FailureBlock(o, fmt.Sprintf("seed %d", seed)))
				case o.Result == conformance.Skipped && o.VerdictRule == rulebook.GitHubUnreachable:
					skippedForGitHub++
				case o.Check == conformance.PositiveAcceptance && o.Result == conformance.Passed:
					accepted++
				}
			}
			t.Logf("%d allowed adds accepted, %d outcomes skipped for GitHub", accepted, skippedForGitHub)
			if accepted == 0 {
				t.Error("no config was accepted: discovery was never exercised")
			}
			if skippedForGitHub == 0 {
				t.Error("no GITHUB_ACTIONS add was skipped, though GitHub cannot be reached")
			}
		})
	}
}

// Without the issuer server the same look-alike refuses the made-up
// issuers with 500: discovery really happens, and the suite notices.
func TestACentralLikeImplementationThatDiscoversIssuersFailsWithMadeUpIssuers(t *testing.T) {
	issuers := startIssuers(t)
	failedWith500 := 0
	for _, o := range runDiscovering(t, discoveringCentral(t, issuers).URL, nil, 1, 20) {
		if o.IsFailure() && o.Check == conformance.PositiveAcceptance && o.Status == 500 {
			failedWith500++
		}
	}
	if failedWith500 == 0 {
		t.Fatal("no allowed case failed with 500, though no one serves the made-up issuers")
	}
}
