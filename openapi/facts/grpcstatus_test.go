package facts

import "testing"

func TestTheGatewayStatusOfEveryGRPCCode(t *testing.T) {
	// grpc-gateway runtime/errors.go, HTTPStatusFromCode.
	want := map[int]int{0: 200, 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401, 17: 0}
	for code, status := range want {
		if got := HTTPStatusFromGRPCCode(code); got != status {
			t.Errorf("code %d (%s) maps to %d, want %d", code, GRPCCodeName(code), got, status)
		}
	}
}

func TestTheTokenExpirationSyntaxIsTheDocuments(t *testing.T) {
	syntax, err := TokenExpirationSyntax()
	if err != nil {
		t.Fatal(err)
	}
	for text, ok := range map[string]bool{"2h45m": true, "1h30m15s": true, ".5h": true, "1500ms": false, "-1h": false, "1d": false, "": false} {
		if syntax.MatchString(text) != ok {
			t.Errorf("%q matches: %v, want %v", text, !ok, ok)
		}
	}
}
