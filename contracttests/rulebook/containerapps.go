package rulebook

// Where the Container Apps rules come from.
const (
	containerAppsDocument = "seeds/000_0e69eef78a14442c.txt"
	containerAppsSpec     = "openapi/containerapps.yaml"
)

// Container Apps rule ids.
const (
	TokenIssued                  = "token-issued"
	ResourceGroupCaseInsensitive = "resource-group-case-insensitive"
	UnknownAppNotFound           = "unknown-app-not-found"
	APIVersionRequired           = "api-version-required"
	OAuth2Required               = "oauth2-required"
	OnlyPost                     = "only-post"
	NotFoundAnyBody              = "not-found-any-body"
	ErrorEnvelope                = "error-envelope"
)

// Rule ids both APIs have, each with its own sentence: what every answer
// must be, whatever the case.
const (
	DocumentedResponses = "documented-responses"
	ResponseSchema      = "response-schema"
	GeneratedClient     = "generated-client"
	JSONResponses       = "json-responses"
	// SchemaConstraint is what a request breaks when it breaks a keyword
	// of its schema (a type, an enum, a length, a pattern, a format, a
	// required property, an array's bounds) that no sentence of the
	// document states in words: the rule of the case casegen draws from
	// the schema alone.
	SchemaConstraint = "schema-constraint"
)

var containerAppsRules = []Rule{
	{TokenIssued, Document, "컨테이너 앱에 대한 인증 토큰 가져오기 (Get auth token for a container app) — 200 OK ContainerAppAuthToken 정상 (OK): id, name, type, location, properties.token 인증 토큰 값입니다 (the auth token value), properties.expires 토큰 만료 날짜입니다 (the token's expiry date)", containerAppsDocument},
	{ResourceGroupCaseInsensitive, Document, "resourceGroupName: 리소스 그룹의 이름. 이름은 대소문자를 구분하지 않습니다. (The name of the resource group. The name is case insensitive.)", containerAppsDocument},
	{UnknownAppNotFound, Document, "404 Not Found — 찾을 수 없음 (Not found); containerAppName: 컨테이너 앱의 이름입니다. (Name of the Container App.)", containerAppsDocument},
	{APIVersionRequired, Document, "api-version — In: query, 필수 (required): True — 이 작업에 사용할 API 버전입니다. (The API version to use for this operation.)", containerAppsDocument},
	{OAuth2Required, Document, "보안 azure_auth — Azure Active Directory OAuth2 Flow, Type: oauth2, Flow: implicit, Authorization URL: https://login.microsoftonline.com/common/oauth2/authorize, Scopes: user_impersonation", containerAppsDocument},
	{OnlyPost, Schema, "The path takes POST only; another method gets any 4xx or 501, never a 2xx and never another 5xx. Its answer is not the operation's, so it is not judged against the operation's responses.", containerAppsSpec},
	{NotFoundAnyBody, Document, "404 Not Found — 찾을 수 없음 (Not found): the document gives the 404 no type, so it may have any body or none (Azure's example answers it with {}; x-ms-error-response: true).", containerAppsDocument},
	{DocumentedResponses, Document, "응답 (Responses): 200 OK ContainerAppAuthToken 정상, 404 Not Found 찾을 수 없음, Other Status Codes DefaultErrorResponse — and never a 5xx: a request the harness sends is never the server's fault.", containerAppsDocument},
	{GeneratedClient, Schema, "The client oapi-codegen generates from the OpenAPI document makes each allowed call, the target accepts it as it accepted the raw request, and the typed parser reads the answer.", containerAppsSpec},
	{ResponseSchema, Schema, "Every answer matches the OpenAPI document's schema for its status, as both kin-openapi and libopenapi-validator read it (location required and the token x-ms-secret, as ARM's TrackedResource has them).", containerAppsSpec},
	{JSONResponses, Schema, "Every body the document describes is application/json (ARM answers JSON).", containerAppsSpec},
	{SchemaConstraint, Schema, "Every parameter honours its schema in the OpenAPI document — its type, enum, format, pattern and lengths — and a required one is sent: a request that breaks one of them in exactly one place, where no sentence of the document states the constraint, is refused with a 4xx (the constraint is the document's or ARM's, as the parameter's x-authcontract-grounds says).", containerAppsSpec},
	{ErrorEnvelope, Document, "Other Status Codes — DefaultErrorResponse 일반적인 오류 응답입니다 (common error response): error {code, message, target, details, innererror}", containerAppsDocument},
}
