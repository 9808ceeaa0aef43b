package casegen

import (
	"fmt"
	"math/rand/v2"
)

// credentials is how a request authenticates: fixture.Request's Auth, and
// headers that override it.
type credentials struct {
	auth    string
	headers map[string]string
}

// badCredentials draws credentials no target can accept, and says what
// they are.
func badCredentials(rng *rand.Rand) (credentials, string) {
	token := fmt.Sprintf("authcontract-%016x", rng.Uint64())
	switch rng.IntN(5) {
	case 0:
		return credentials{auth: "none"}, "no Authorization header"
	case 1:
		return credentials{auth: "wrong"}, "a bearer token the target never issued"
	case 2:
		return credentials{auth: "none", headers: map[string]string{"Authorization": "Bearer " + token}}, "a random bearer token"
	case 3:
		return credentials{auth: "none", headers: map[string]string{"Authorization": "Bearer"}}, "the Bearer scheme without a token"
	default:
		return credentials{auth: "basic"}, "the Basic scheme instead of Bearer"
	}
}
