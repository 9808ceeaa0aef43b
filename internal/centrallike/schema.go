package centrallike

import (
	"fmt"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"

	// Registers google/protobuf/any.proto, which the error status imports.
	_ "google.golang.org/protobuf/types/known/anypb"
)

// schema holds the descriptors of the messages Central's AuthService speaks
// for machine-to-machine configs. They are built at run time from
// FileDescriptorProtos that mirror stackrox's .proto files, so that protojson
// decodes and encodes exactly what Central's generated code would: same field
// names and numbers, same open enums, same JSON names.
type schema struct {
	empty        protoreflect.MessageDescriptor // v1.Empty
	config       protoreflect.MessageDescriptor // v1.AuthMachineToMachineConfig
	mapping      protoreflect.MessageDescriptor // v1.AuthMachineToMachineConfig.Mapping
	configType   protoreflect.EnumDescriptor    // v1.AuthMachineToMachineConfig.Type
	traits       protoreflect.MessageDescriptor // v1.Traits
	addRequest   protoreflect.MessageDescriptor // v1.AddAuthMachineToMachineConfigRequest
	addResponse  protoreflect.MessageDescriptor // v1.AddAuthMachineToMachineConfigResponse
	listResponse protoreflect.MessageDescriptor // v1.ListAuthMachineToMachineConfigResponse
	errorStatus  protoreflect.MessageDescriptor // common.ExtendedRpcStatus
}

// newSchema builds the two files Central's answers come from: the v1 API
// (proto/api/v1/auth_service.proto with traits.proto's Traits folded in, as
// JSON does not see which file a message lives in) and the error body
// (proto/api/common/extended_rpc_status.proto).
func newSchema() (*schema, error) {
	v1File, err := protodesc.NewFile(v1FileProto(), protoregistry.GlobalFiles)
	if err != nil {
		return nil, fmt.Errorf("building the v1 auth service descriptors: %w", err)
	}
	commonFile, err := protodesc.NewFile(commonFileProto(), protoregistry.GlobalFiles)
	if err != nil {
		return nil, fmt.Errorf("building the extended RPC status descriptor: %w", err)
	}
	messages := v1File.Messages()
	config := messages.ByName("AuthMachineToMachineConfig")
	return &schema{
		empty:        messages.ByName("Empty"),
		config:       config,
		mapping:      config.Messages().ByName("Mapping"),
		configType:   config.Enums().ByName("Type"),
		traits:       messages.ByName("Traits"),
		addRequest:   messages.ByName("AddAuthMachineToMachineConfigRequest"),
		addResponse:  messages.ByName("AddAuthMachineToMachineConfigResponse"),
		listResponse: messages.ByName("ListAuthMachineToMachineConfigResponse"),
		errorStatus:  commonFile.Messages().ByName("ExtendedRpcStatus"),
	}, nil
}

// v1FileProto mirrors the messages of proto/api/v1/auth_service.proto that the
// m2m calls use. stackrox writes them in edition 2023 with implicit presence,
// open enums and JSON format ALLOW, which is what proto3 means; proto3 is used
// here so the mirror reads plainly.
//
// audience is not in every stackrox version; behaviour.md reports it in newer
// ones ("" when unset). Its number is not known here and does not matter to
// JSON, so it takes the next free one.
func v1FileProto() *descriptorpb.FileDescriptorProto {
	return &descriptorpb.FileDescriptorProto{
		Name:    proto.String("api/v1/auth_service.proto"),
		Package: proto.String("v1"),
		Syntax:  proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("Empty")},
			{
				Name: proto.String("Traits"),
				Field: []*descriptorpb.FieldDescriptorProto{
					enumField("mutability_mode", 1, ".v1.Traits.MutabilityMode"),
					enumField("visibility", 2, ".v1.Traits.Visibility"),
					enumField("origin", 3, ".v1.Traits.Origin"),
				},
				EnumType: []*descriptorpb.EnumDescriptorProto{
					enum("MutabilityMode", "ALLOW_MUTATE", "ALLOW_MUTATE_FORCED"),
					enum("Visibility", "VISIBLE", "HIDDEN"),
					enum("Origin", "IMPERATIVE", "DEFAULT", "DECLARATIVE", "DECLARATIVE_ORPHANED"),
				},
			},
			{
				Name: proto.String("AuthMachineToMachineConfig"),
				Field: []*descriptorpb.FieldDescriptorProto{
					stringField("id", 1),
					enumField("type", 2, ".v1.AuthMachineToMachineConfig.Type"),
					stringField("token_expiration_duration", 3),
					repeated(messageField("mappings", 4, ".v1.AuthMachineToMachineConfig.Mapping")),
					stringField("issuer", 5),
					messageField("traits", 6, ".v1.Traits"),
					stringField("audience", 7),
				},
				NestedType: []*descriptorpb.DescriptorProto{{
					Name: proto.String("Mapping"),
					Field: []*descriptorpb.FieldDescriptorProto{
						stringField("key", 1),
						stringField("value_expression", 2),
						stringField("role", 3),
					},
				}},
				EnumType: []*descriptorpb.EnumDescriptorProto{
					enum("Type", "GENERIC", "GITHUB_ACTIONS", "KUBE_SERVICE_ACCOUNT"),
				},
			},
			{
				Name: proto.String("ListAuthMachineToMachineConfigResponse"),
				Field: []*descriptorpb.FieldDescriptorProto{
					repeated(messageField("configs", 1, ".v1.AuthMachineToMachineConfig")),
				},
			},
			{
				Name: proto.String("AddAuthMachineToMachineConfigRequest"),
				Field: []*descriptorpb.FieldDescriptorProto{
					messageField("config", 1, ".v1.AuthMachineToMachineConfig"),
				},
			},
			{
				Name: proto.String("AddAuthMachineToMachineConfigResponse"),
				Field: []*descriptorpb.FieldDescriptorProto{
					messageField("config", 1, ".v1.AuthMachineToMachineConfig"),
				},
			},
		},
	}
}

// commonFileProto mirrors proto/api/common/extended_rpc_status.proto: the
// google.rpc.Status fields plus "error", which Central keeps for clients of
// grpc-gateway v1's error body.
func commonFileProto() *descriptorpb.FileDescriptorProto {
	return &descriptorpb.FileDescriptorProto{
		Name:       proto.String("api/common/extended_rpc_status.proto"),
		Package:    proto.String("common"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{"google/protobuf/any.proto"},
		MessageType: []*descriptorpb.DescriptorProto{{
			Name: proto.String("ExtendedRpcStatus"),
			Field: []*descriptorpb.FieldDescriptorProto{
				scalarField("code", 1, descriptorpb.FieldDescriptorProto_TYPE_INT32),
				stringField("message", 2),
				repeated(messageField("details", 3, ".google.protobuf.Any")),
				stringField("error", 4),
			},
		}},
	}
}

func stringField(name string, number int32) *descriptorpb.FieldDescriptorProto {
	return scalarField(name, number, descriptorpb.FieldDescriptorProto_TYPE_STRING)
}

func scalarField(name string, number int32, typ descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto {
	return &descriptorpb.FieldDescriptorProto{
		Name:   proto.String(name),
		Number: proto.Int32(number),
		Label:  descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
		Type:   typ.Enum(),
	}
}

func enumField(name string, number int32, typeName string) *descriptorpb.FieldDescriptorProto {
	f := scalarField(name, number, descriptorpb.FieldDescriptorProto_TYPE_ENUM)
	f.TypeName = proto.String(typeName)
	return f
}

func messageField(name string, number int32, typeName string) *descriptorpb.FieldDescriptorProto {
	f := scalarField(name, number, descriptorpb.FieldDescriptorProto_TYPE_MESSAGE)
	f.TypeName = proto.String(typeName)
	return f
}

func repeated(f *descriptorpb.FieldDescriptorProto) *descriptorpb.FieldDescriptorProto {
	f.Label = descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
	return f
}

// enum declares an enum whose values are numbered 0, 1, 2… in the order
// given, as every enum here is.
func enum(name string, values ...string) *descriptorpb.EnumDescriptorProto {
	e := &descriptorpb.EnumDescriptorProto{Name: proto.String(name)}
	for i, v := range values {
		e.Value = append(e.Value, &descriptorpb.EnumValueDescriptorProto{
			Name:   proto.String(v),
			Number: proto.Int32(int32(i)),
		})
	}
	return e
}
