package rulebook

// Where the ACS rules come from. Upstream paths are relative to each
// repository, at the versions ../shared/upstream/behaviour.md names.
const (
	acsDocument        = "seeds/003_d2ab2f08bbaebb82.txt"
	acsSpec            = "openapi/acs-m2m.yaml"
	centralService     = "stackrox/stackrox central/auth/service/service_impl.go"
	centralMarshaler   = "stackrox/stackrox pkg/grpc/server.go; grpc-ecosystem/grpc-gateway runtime/marshaler_registry.go"
	centralGateway     = "stackrox/stackrox generated/api/v1/auth_service.pb.gw.go"
	protojsonEnum      = "protocolbuffers/protobuf-go encoding/protojson/decode.go (unmarshalEnum)"
	centralStorage     = "stackrox/stackrox proto/storage/auth_machine_to_machine.proto; pkg/postgres/error.go"
	gatewayStatusCodes = "grpc-ecosystem/grpc-gateway runtime/errors.go (HTTPStatusFromCode); stackrox/stackrox pkg/errox/grpc/mapping.go, pkg/grpc/server_error_handler.go"
	gatewayRouting     = "grpc-ecosystem/grpc-gateway runtime/mux.go (DefaultRoutingErrorHandler)"
	centralDiscovery   = "stackrox/stackrox central/auth/m2m/token_verifier.go; central/auth/datastore/datastore_impl.go"
)

// ACS rule ids: what the document states, then what Central does where it is
// silent.
const (
	ConfigAdded             = "config-added"
	BodyIsJSON              = "body-is-json"
	FieldTypes              = "field-types"
	TypeEnum                = "type-enum"
	DurationUnitsAndMaximum = "duration-units-and-maximum"
	IssuerPerType           = "issuer-per-type"
	IssuerUnique            = "issuer-unique"
	RefusalLeavesNoTrace    = "refusal-leaves-no-trace"
	ValueExpressionRE2      = "value-expression-re2"
	IDAssignedByServer      = "id-assigned-by-server"
	MappingsForTokens       = "mappings-for-tokens"
	BearerRequired          = "bearer-required"

	DurationMinimum       = "duration-minimum"
	IssuerHTTPS           = "issuer-https"
	RoleExists            = "role-exists"
	ValueExpressionFilled = "value-expression-non-empty"
	KubeServiceAccount    = "kube-service-account"
	UnknownTypeIgnored    = "unknown-type-ignored"
	NumericTypeAccepted   = "numeric-type-accepted"
	TrailingDataIgnored   = "trailing-data-ignored"
	AnyMediaTypeDecoded   = "any-media-type-decoded"
	AnyGoDurationUnit     = "any-go-duration-unit"
	IssuerTakenConflicts  = "issuer-taken-conflicts"
	MethodsUnimplemented  = "methods-unimplemented"
	ErrorCodeFitsStatus   = "error-code-fits-status"
	GitHubUnreachable     = "github-unreachable"
)

var acsRules = []Rule{
	{ConfigAdded, Document, "AddAuthMachineToMachineConfig는 머신 구성에 새 인증 머신을 생성합니다. (AddAuthMachineToMachineConfig creates a new auth machine to machine config.) — 200 성공적인 응답입니다. V1AddAuthMachineToMachineConfigResponse (A successful response.)", acsDocument},
	{BodyIsJSON, Document, "6.6.4. 콘텐츠 유형 (Content type): application/json; 본문 매개변수 body V1AddAuthMachineToMachineConfigRequest, 필수 항목 (required)", acsDocument},
	{FieldTypes, Document, "V1AuthMachineToMachineConfig — id 문자열 (string), type V1AuthMachineToMachineConfigType, tokenExpirationDuration 문자열 (string), 매핑 (mappings) List of AuthMachineToMachineConfigMapping {key, valueExpression, role: 문자열 (string)}, issuer 문자열 (string); body V1AddAuthMachineToMachineConfigRequest {config: V1AuthMachineToMachineConfig}", acsDocument},
	{TypeEnum, Document, "V1AuthMachineToMachineConfigType — 열거 값 (enum values): GENERIC, GITHUB_ACTIONS", acsDocument},
	{DurationUnitsAndMaximum, Document, "tokenExpirationDuration: 가능한 유효한 시간 단위는 s, m, h입니다. 허용되는 최대 만료 기간은 24h입니다. 예를 들면 2h45m입니다. 기간 검증에 대한 자세한 내용은 https://pkg.go.dev/time#ParseDuration 을 참조하십시오. (Possible valid time units are: s, m, h. The maximum allowed expiration duration is 24h. As an example: 2h45m. For the validation of the duration, see time.ParseDuration.)", acsDocument},
	{IssuerPerType, Document, "issuer: type이 GENERIC인 경우 URL을 포함하는 비어 있지 않은 문자열이어야 합니다. GitHub 작업의 경우 비어 있거나 https://token.actions.githubusercontent.com 로 설정해야 합니다. (Must be a non-empty string containing URL when type is GENERIC. In case of GitHub actions, this must be empty or set to https://token.actions.githubusercontent.com.)", acsDocument},
	{IssuerUnique, Document, "issuer: 발행자는 고유한 키이므로 하나의 GITHUB_ACTIONS 구성이 있을 수 있으며 각 GENERIC 구성에 고유한 발행자가 있어야 합니다. (Issuer is a unique key, therefore there may be at most one GITHUB_ACTIONS config, and each GENERIC config must have a distinct issuer.) Several adds of one issuer sent at once have exactly one winner.", acsDocument},
	{RefusalLeavesNoTrace, Document, "발행자는 고유한 키 (Issuer is a unique key) of the configs the operation creates (머신 구성에 새 인증 머신을 생성합니다, it creates a new config) — only a successful add (200 성공적인 응답) creates one, so a refused add holds no issuer: a valid config with that issuer is still accepted afterwards.", acsDocument},
	{ValueExpressionRE2, Document, "valueExpression: 이 정규식은 RE2 형식으로 되어 있습니다. (This regular expression is in RE2 format.)", acsDocument},
	{IDAssignedByServer, Document, "id: 구성의 UUID입니다. 머신 구성에 머신을 추가할 때 이 필드를 설정하지 않아야 합니다. (UUID of the config. When adding a machine to machine config, this field should not be set.)", acsDocument},
	{MappingsForTokens, Document, "mappings: 액세스 토큰을 성공적으로 생성하려면 … 하나 이상의 매핑이 필요합니다. (At least one mapping is required for an access token to be generated.) The document does not say an add without mappings must fail.", acsDocument},
	{BearerRequired, Upstream, "The document states no security scheme; Central's API takes a bearer token and refuses a call without a valid one with 401, code 16 (UNAUTHENTICATED).", centralService},

	{DocumentedResponses, Document, "6.6.5. 응답 (Responses): 200 성공적인 응답입니다 V1AddAuthMachineToMachineConfigResponse; 0 예기치 않은 오류 응답 RuntimeError (an unexpected error response) — and never a 5xx: a request the harness sends is never the server's fault.", acsDocument},
	{GeneratedClient, Schema, "The client oapi-codegen generates from the OpenAPI document makes each allowed call, the target accepts it as it accepted the raw request, and the typed parser reads the answer.", acsSpec},
	{ResponseSchema, Schema, "Every answer matches the OpenAPI document's schema for its status, as both kin-openapi and libopenapi-validator read it.", acsSpec},
	{JSONResponses, Document, "6.6.4. 콘텐츠 유형 (Content type): application/json", acsDocument},

	{SchemaConstraint, Schema, "Every value of the request body honours its schema in the OpenAPI document — its JSON type, enum, format, pattern, lengths and item bounds, and the properties it requires: a request that breaks one of them in exactly one place, where no sentence of the document states the constraint, is refused with a 4xx.", acsSpec},

	{DurationMinimum, Upstream, "Central refuses a tokenExpirationDuration under one minute (1m ≤ d ≤ 24h, bounds included). The document states no minimum, so a shorter one may be stored or refused.", centralService},
	{IssuerHTTPS, Upstream, "Central requires scheme https for any non-empty issuer (\"HTTPS is required for the issuer\"). The document asks only for a URL, so an http:// issuer may be stored or refused.", centralService},
	{RoleExists, Upstream, "A mapping's role must name a role Central has (sql fk(Role:name); Postgres 23503 → ReferencedObjectNotFound → 404, code 5). The document says nothing of it, so a config naming an unknown role may be stored or refused.", centralStorage},
	{ValueExpressionFilled, Upstream, "Central refuses an empty valueExpression. An empty expression is valid RE2, so the document allows it: it may be stored or refused.", centralService},
	{KubeServiceAccount, Upstream, "Newer Centrals accept and return the type KUBE_SERVICE_ACCOUNT; the document's Central predates it, so a config of that type may be stored or refused.", protojsonEnum},
	{UnknownTypeIgnored, Upstream, "Central decodes with protojson's DiscardUnknown: a type name outside the enum is ignored and the config stays GENERIC. The schema's enum forbids it, so accepting it is a warning.", protojsonEnum},
	{NumericTypeAccepted, Upstream, "protojson reads any int32 as an enum number (0 GENERIC, 1 GITHUB_ACTIONS, 2 KUBE_SERVICE_ACCOUNT; another is kept, skips the issuer rules and is stored as GENERIC). The schema says a string, so accepting a number is a warning.", protojsonEnum},
	{TrailingDataIgnored, Upstream, "Central's gateway decodes one JSON value with a json.Decoder and ignores the rest of the body. A body with data after the JSON value is not JSON, so accepting it is a warning.", centralGateway},
	{AnyMediaTypeDecoded, Upstream, "Central registers one JSON marshaler for every media type (runtime.MIMEWildcard), so a JSON body sent as text/plain, XML or a form is decoded as JSON. The document's content type is application/json, so accepting another is a warning.", centralMarshaler},
	{AnyGoDurationUnit, Upstream, "Central parses tokenExpirationDuration with time.ParseDuration, which reads every Go unit (ns to h): 1h5ms is accepted. The document lists s, m and h, so accepting another unit within [1m, 24h] is a warning.", centralService},
	{IssuerTakenConflicts, Upstream, "A taken issuer is refused by the storage layer's unique index (Postgres 23505 → AlreadyExists → 409, code 6), while a rule the config breaks is refused by validation with 400, code 3 (INVALID_ARGUMENT). A 409 to a config that breaks a rule may be the state's answer (a GITHUB_ACTIONS config that predates the run), not the rule's.", centralStorage},
	{MethodsUnimplemented, Upstream, "A method the path does not take is answered by grpc-gateway v2's routing error handler as UNIMPLEMENTED: 501, code 12. Any 4xx or 501 will do; never a 2xx, never another 5xx; the answer is not the operation's, so it is not judged against the operation's responses.", gatewayRouting},
	{ErrorCodeFitsStatus, Upstream, "RuntimeError.code is the gRPC code, and the HTTP status is the one grpc-gateway derives from it: 3 → 400, 5 → 404, 6 → 409, 7 → 403, 12 → 501, 13 → 500, 16 → 401.", gatewayStatusCodes},
	{GitHubUnreachable, Upstream, "Before it stores a config, Central builds a token verifier with go-oidc's oidc.NewProvider, which fetches {issuer}/.well-known/openid-configuration, and answers 500, code 13 (INTERNAL) when that fails. A GITHUB_ACTIONS config's issuer is GitHub's, so a Central without internet access answers 500, code 13 to every GITHUB_ACTIONS add: that is its deployment, not the contract, so such an answer is skipped, never passed or failed.", centralDiscovery},
}
