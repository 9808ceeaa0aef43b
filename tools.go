//go:build tools

// Package tools pins the code generator so that `make generate` runs the
// exact oapi-codegen version recorded in go.mod on every machine.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
