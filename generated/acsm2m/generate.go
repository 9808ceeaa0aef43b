// Package acsm2m holds the types, client, strict server and embedded spec
// that oapi-codegen generates from openapi/acs-m2m.yaml.
package acsm2m

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml ../../openapi/acs-m2m.yaml
