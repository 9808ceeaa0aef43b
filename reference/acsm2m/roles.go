package acsm2m

import "github.com/authcontract/authcontract/openapi/facts"

// BuiltInRoles returns the roles every Central has from the start
// (pkg/defaults/accesscontrol/role.go, as ../shared/upstream/behaviour.md
// names them), so that a mapping written for any Central finds its role in
// the reference too. Central may have more, built in or made by its admins;
// Config.Roles (and `authcontract serve --role`) adds them. It returns a
// fresh slice on every call, so that no caller can change another's roles.
func BuiltInRoles() []string {
	return facts.CentralBuiltInRoles()
}
