package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	acsgen "github.com/authcontract/authcontract/generated/acsm2m"
	azuregen "github.com/authcontract/authcontract/generated/containerapps"
)

// The engine reads bodies into the types oapi-codegen generates from the
// documents, so that what it judges is what the documents describe, and a
// change of a spec changes what it reads. Only where a request may send
// what the generated types cannot hold — an enum as a number, as proto3
// JSON allows — does it keep the raw JSON beside them.

// config is a V1AuthMachineToMachineConfig whose id is read as text: the
// generated UUID type would refuse an id that is no UUID before the rule
// about ids (id_assigned_by_server) could say so, and no other rule reads
// it.
type config struct {
	acsgen.V1AuthMachineToMachineConfig
	Id *string `json:"id"` // shadows the generated Id, by the same JSON name
}

// sentConfig is the config a request sends, read as Central reads it: the
// first JSON value of the body, data after it ignored.
type sentConfig struct {
	config
	// rawType is the type as sent: a name, a number, or nothing.
	rawType json.RawMessage
}

// readSentConfig reads the config of an ACS request body.
func readSentConfig(body []byte) (sentConfig, error) {
	var request struct {
		Config *config `json:"config"`
	}
	err := json.NewDecoder(bytes.NewReader(body)).Decode(&request)
	// A number where the generated type has a string leaves that field
	// empty and the rest read: the raw type below says what it was.
	if err != nil && !typeIsNoString(err) {
		return sentConfig{}, fmt.Errorf("not a config wrapper: %w", err)
	}
	if request.Config == nil {
		return sentConfig{}, errors.New("no config")
	}
	var raw struct {
		Config struct {
			Type json.RawMessage `json:"type"`
		} `json:"config"`
	}
	json.NewDecoder(bytes.NewReader(body)).Decode(&raw) // read above already
	return sentConfig{config: *request.Config, rawType: raw.Config.Type}, nil
}

// issuer is the sent issuer, "" when there is none.
func (c sentConfig) issuer() string { return deref(c.Issuer) }

// readStoredConfig reads the config an accepted add answers with.
func readStoredConfig(body []byte) (config, error) {
	var response struct {
		Config *config `json:"config"`
	}
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&response); err != nil {
		if typeIsNoString(err) {
			return config{}, fmt.Errorf("type is a JSON %s, not the document's string", err.(*json.UnmarshalTypeError).Value)
		}
		return config{}, fmt.Errorf("not a V1AddAuthMachineToMachineConfigResponse: %w", err)
	}
	if response.Config == nil {
		return config{}, errors.New("no config")
	}
	return *response.Config, nil
}

// typeIsNoString reports whether decoding failed only at the config's type,
// which held something other than a string.
func typeIsNoString(err error) bool {
	var typeErr *json.UnmarshalTypeError
	return errors.As(err, &typeErr) && strings.HasSuffix(typeErr.Field, ".type")
}

// readToken reads a Container Apps ContainerAppAuthToken.
func readToken(body []byte) (azuregen.ContainerAppAuthToken, error) {
	var token azuregen.ContainerAppAuthToken
	if err := json.Unmarshal(body, &token); err != nil {
		return token, fmt.Errorf("body is not a ContainerAppAuthToken: %w", err)
	}
	return token, nil
}

// readRuntimeError reads an ACS RuntimeError.
func readRuntimeError(body []byte) (acsgen.RuntimeError, error) {
	var runtimeError acsgen.RuntimeError
	if err := json.Unmarshal(body, &runtimeError); err != nil {
		return runtimeError, fmt.Errorf("not a RuntimeError object: %w", err)
	}
	return runtimeError, nil
}

// readAzureError reads a Container Apps DefaultErrorResponse.
func readAzureError(body []byte) (azuregen.DefaultErrorResponse, error) {
	var errorResponse azuregen.DefaultErrorResponse
	if err := json.Unmarshal(body, &errorResponse); err != nil {
		return errorResponse, fmt.Errorf("not JSON: %w", err)
	}
	return errorResponse, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
