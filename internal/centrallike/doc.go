// Package centrallike is a test double standing for the real Red Hat ACS
// Central on POST /v1/auth/m2m (AddAuthMachineToMachineConfig), with the
// list (GET /v1/auth/m2m) and delete (DELETE /v1/auth/m2m/{id}) calls a test
// needs around it. It exists so that the conformance suite can be run against
// something that answers exactly as Central does, and so that each way of
// getting Central wrong (see Break) can be shown to be caught.
//
// It is built on the libraries Central runs on, not on an imitation of them:
// grpc-gateway v2.29.0's runtime.ServeMux routes, picks the marshaler and
// answers routing errors; protobuf-go v1.36.12's protojson decodes and encodes
// dynamicpb messages built from descriptors that mirror stackrox's. What is
// Central's own code is restated here, each piece from the upstream file
// named below (stackrox/stackrox paths, as cited in the shared behaviour.md):
//
//   - pkg/grpc/server.go: one JSONPb marshaler for every media type
//     (runtime.MIMEWildcard), EmitUnpopulated on the way out, DiscardUnknown
//     on the way in. See newMux.
//   - pkg/grpc/server_error_handler.go: the error body {code, message,
//     details, error} written after grpc-gateway's DefaultHTTPErrorHandler
//     has set the status and headers (WWW-Authenticate on 401). See
//     writeCentralError.
//   - generated/api/v1/auth_service.pb.gw.go: what the generated gateway
//     handler does with a request — MarshalerForRequest, AnnotateContext, one
//     JSON value decoded with io.EOF tolerated, the rest of the body drained,
//     ForwardResponseMessage. See serveUnary and the handle* methods.
//   - proto/api/v1/auth_service.proto, proto/api/v1/traits.proto,
//     proto/api/common/extended_rpc_status.proto: the messages. See
//     newSchema.
//   - central/auth/service/service_impl.go (AddAuthMachineToMachineConfig,
//     validateAuthMachineToMachineConfig, validateIssuer,
//     resolveGitHubActionsIssuer): the order of the steps, the validation
//     rules and their messages, the fresh UUID v4. See addConfig and
//     validateConfig.
//   - central/auth/datastore/datastore_impl.go (RemoveAuthM2MConfig: an
//     unknown id is no error), central/convert/v1tostorage and storagetov1
//     (the type converted by name, traits always present): see store and
//     storedForm.
//   - proto/storage/auth_machine_to_machine.proto (issuer sql:"unique", role
//     sql:"fk(Role:name)") with pkg/postgres/error.go: issuer taken → 409
//     AlreadyExists, unknown role → 404 NotFound. See store.add.
//   - pkg/defaults/accesscontrol/role.go: the built-in role names. See
//     BuiltInRoles.
//
// Central decodes the body before authentication runs (the gateway decodes,
// then the gRPC call's interceptors check the caller), so this double does
// too: a malformed body with bad credentials gets 400, not 401.
//
// Central fetches the issuer's OIDC discovery document before storing a
// config (central/auth/datastore/datastore_impl.go, central/auth/m2m/set.go,
// central/auth/m2m/token_verifier.go), with go-oidc v3.20.0's NewProvider.
// This double does so when Config.Discovery gives it a client, answering
// 500, code 13 when discovery fails; without one it stores any issuer,
// which lets tests use made-up ones. See discover.
package centrallike
