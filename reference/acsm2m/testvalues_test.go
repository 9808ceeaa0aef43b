package acsm2m

import gen "github.com/authcontract/authcontract/generated/acsm2m"

// The values every test of this package shares, fuzz targets included (so
// this file carries no build constraint).
const (
	testToken     = "test-bearer-token"
	validAuth     = "Bearer " + testToken
	operationPath = "/v1/auth/m2m"
)

// validGeneric is a GENERIC config every rule allows.
func validGeneric() gen.V1AuthMachineToMachineConfig {
	return gen.V1AuthMachineToMachineConfig{
		Type:                    ptr(gen.GENERIC),
		TokenExpirationDuration: ptr("2h45m"),
		Issuer:                  ptr("https://issuer.example.com"),
		Mappings: &[]gen.AuthMachineToMachineConfigMapping{
			{Key: ptr("sub"), ValueExpression: ptr("^ci-[a-z]+$"), Role: ptr("Continuous Integration")},
		},
	}
}

// shown prints a string field, telling absent from empty.
func shown(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
