// Package containerapps holds the types, client, strict server and embedded spec
// that oapi-codegen generates from openapi/containerapps.yaml.
package containerapps

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config oapi-codegen.yaml ../../openapi/containerapps.yaml
