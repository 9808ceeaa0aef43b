// Package rulebook lists, per operation, the rules the documents in
// ../shared/seeds state, each with the sentence that states it. Fixtures and
// generated cases name the rule they exercise, so that a run can say which
// rules it covered and how often.
package rulebook

import (
	"fmt"

	"github.com/authcontract/authcontract/openapi"
)

// Rule is one thing a document says, quoted.
type Rule struct {
	// ID is stable: fixtures name it in "rule".
	ID string
	// Sentence is the document's words (Korean, with the English original).
	Sentence string
}

// Rules lists the API's rules in the order a coverage summary shows them.
func Rules(api openapi.API) []Rule {
	switch api {
	case openapi.ContainerApps:
		return containerAppsRules
	case openapi.ACSM2M:
		return acsRules
	}
	return nil
}

// Find returns the API's rule with the given id.
func Find(api openapi.API, id string) (Rule, error) {
	for _, rule := range Rules(api) {
		if rule.ID == id {
			return rule, nil
		}
	}
	return Rule{}, fmt.Errorf("rule %q is not one of %s's rules", id, api)
}

// MustFind is Find for the ids this module writes itself; an unknown one is
// a programming error.
func MustFind(api openapi.API, id string) Rule {
	rule, err := Find(api, id)
	if err != nil {
		panic(err)
	}
	return rule
}

// Container Apps rule ids.
const (
	TokenIssued                  = "token-issued"
	ResourceGroupCaseInsensitive = "resource-group-case-insensitive"
	UnknownAppNotFound           = "unknown-app-not-found"
	APIVersionRequired           = "api-version-required"
	OAuth2Required               = "oauth2-required"
)

// ACS rule ids.
const (
	ConfigAdded             = "config-added"
	BodyIsJSON              = "body-is-json"
	FieldTypes              = "field-types"
	TypeEnum                = "type-enum"
	DurationUnitsAndMaximum = "duration-units-and-maximum"
	IssuerPerType           = "issuer-per-type"
	IssuerUnique            = "issuer-unique"
	ValueExpressionRE2      = "value-expression-re2"
	IDAssignedByServer      = "id-assigned-by-server"
	MappingsForTokens       = "mappings-for-tokens"
	BearerRequired          = "bearer-required"
)

// Read the sentences next to the seed documents: they are quoted, with
// the English of the original API reference in parentheses.
var containerAppsRules = []Rule{
	{TokenIssued, "컨테이너 앱에 대한 인증 토큰 가져오기 (Get auth token for a container app) — 200 OK ContainerAppAuthToken 정상 (OK): id, name, type, location, properties.token 인증 토큰 값입니다 (the auth token value), properties.expires 토큰 만료 날짜입니다 (the token's expiry date)"},
	{ResourceGroupCaseInsensitive, "resourceGroupName: 리소스 그룹의 이름. 이름은 대소문자를 구분하지 않습니다. (The name of the resource group. The name is case insensitive.)"},
	{UnknownAppNotFound, "404 Not Found — 찾을 수 없음 (Not found); containerAppName: 컨테이너 앱의 이름입니다. (Name of the Container App.)"},
	{APIVersionRequired, "api-version — In: query, 필수 (required): True — 이 작업에 사용할 API 버전입니다. (The API version to use for this operation.)"},
	{OAuth2Required, "보안 azure_auth — Azure Active Directory OAuth2 Flow, Type: oauth2, Flow: implicit, Authorization URL: https://login.microsoftonline.com/common/oauth2/authorize, Scopes: user_impersonation"},
}

var acsRules = []Rule{
	{ConfigAdded, "AddAuthMachineToMachineConfig는 머신 구성에 새 인증 머신을 생성합니다. (AddAuthMachineToMachineConfig creates a new auth machine to machine config.) — 200 성공적인 응답입니다. V1AddAuthMachineToMachineConfigResponse (A successful response.)"},
	{BodyIsJSON, "6.6.4. 콘텐츠 유형 (Content type): application/json; 본문 매개변수 body V1AddAuthMachineToMachineConfigRequest, 필수 항목 (required)"},
	{FieldTypes, "V1AuthMachineToMachineConfig — id 문자열 (string), type V1AuthMachineToMachineConfigType, tokenExpirationDuration 문자열 (string), 매핑 (mappings) List of AuthMachineToMachineConfigMapping {key, valueExpression, role: 문자열 (string)}, issuer 문자열 (string); body V1AddAuthMachineToMachineConfigRequest {config: V1AuthMachineToMachineConfig}"},
	{TypeEnum, "V1AuthMachineToMachineConfigType — 열거 값 (enum values): GENERIC, GITHUB_ACTIONS"},
	{DurationUnitsAndMaximum, "tokenExpirationDuration: 가능한 유효한 시간 단위는 s, m, h입니다. 허용되는 최대 만료 기간은 24h입니다. 예를 들면 2h45m입니다. (Possible valid time units are: s, m, h. The maximum allowed expiration duration is 24h. As an example: 2h45m.)"},
	{IssuerPerType, "issuer: type이 GENERIC인 경우 URL을 포함하는 비어 있지 않은 문자열이어야 합니다. GitHub 작업의 경우 비어 있거나 https://token.actions.githubusercontent.com 로 설정해야 합니다. (Must be a non-empty string containing URL when type is GENERIC. In case of GitHub actions, this must be empty or set to https://token.actions.githubusercontent.com.)"},
	{IssuerUnique, "issuer: 발행자는 고유한 키이므로 하나의 GITHUB_ACTIONS 구성이 있을 수 있으며 각 GENERIC 구성에 고유한 발행자가 있어야 합니다. (Issuer is a unique key, therefore there may be at most one GITHUB_ACTIONS config, and each GENERIC config must have a distinct issuer.)"},
	{ValueExpressionRE2, "valueExpression: 이 정규식은 RE2 형식으로 되어 있습니다. (This regular expression is in RE2 format.)"},
	{IDAssignedByServer, "id: 구성의 UUID입니다. 머신 구성에 머신을 추가할 때 이 필드를 설정하지 않아야 합니다. (UUID of the config. When adding a machine to machine config, this field should not be set.)"},
	{MappingsForTokens, "mappings: 액세스 토큰을 성공적으로 생성하려면 … 하나 이상의 매핑이 필요합니다. (At least one mapping is required for an access token to be generated.) The document does not say an add without mappings must fail."},
	{BearerRequired, "openapi/acs-m2m.yaml security: bearer — the document states no security scheme of its own; Central's API takes a bearer token, and a call without a valid one is refused."},
}
