package centrallike

import (
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// m2mConfig is an AuthMachineToMachineConfig as plain Go values, so that
// validation and storage read fields by name rather than through
// reflection.
type m2mConfig struct {
	id                      string
	typ                     protoreflect.EnumNumber // may be a number the enum does not declare
	tokenExpirationDuration string
	mappings                []mapping
	issuer                  string
	traits                  traits
	audience                string
}

type mapping struct {
	key, valueExpression, role string
}

// traits keeps the numbers as sent: Central converts traits between its API
// and storage messages number for number (storagetov1.Traits).
type traits struct {
	mutabilityMode, visibility, origin protoreflect.EnumNumber
}

// configFromMessage reads a decoded v1.AuthMachineToMachineConfig.
func (s *schema) configFromMessage(m protoreflect.Message) m2mConfig {
	fields := s.config.Fields()
	get := func(name protoreflect.Name) protoreflect.Value { return m.Get(fields.ByName(name)) }

	c := m2mConfig{
		id:                      get("id").String(),
		typ:                     get("type").Enum(),
		tokenExpirationDuration: get("token_expiration_duration").String(),
		issuer:                  get("issuer").String(),
		audience:                get("audience").String(),
	}
	mappingFields := s.mapping.Fields()
	list := get("mappings").List()
	for i := range list.Len() {
		mm := list.Get(i).Message()
		c.mappings = append(c.mappings, mapping{
			key:             mm.Get(mappingFields.ByName("key")).String(),
			valueExpression: mm.Get(mappingFields.ByName("value_expression")).String(),
			role:            mm.Get(mappingFields.ByName("role")).String(),
		})
	}
	tm := get("traits").Message()
	traitFields := s.traits.Fields()
	c.traits = traits{
		mutabilityMode: tm.Get(traitFields.ByName("mutability_mode")).Enum(),
		visibility:     tm.Get(traitFields.ByName("visibility")).Enum(),
		origin:         tm.Get(traitFields.ByName("origin")).Enum(),
	}
	return c
}

// configMessage builds the v1.AuthMachineToMachineConfig Central answers
// with. traits is always set, as storagetov1.Traits always makes one, so the
// answer carries it even when the client sent none.
func (s *schema) configMessage(c m2mConfig) *dynamicpb.Message {
	m := dynamicpb.NewMessage(s.config)
	fields := s.config.Fields()
	set := func(name protoreflect.Name, v protoreflect.Value) { m.Set(fields.ByName(name), v) }

	set("id", protoreflect.ValueOfString(c.id))
	set("type", protoreflect.ValueOfEnum(c.typ))
	set("token_expiration_duration", protoreflect.ValueOfString(c.tokenExpirationDuration))
	set("issuer", protoreflect.ValueOfString(c.issuer))
	set("audience", protoreflect.ValueOfString(c.audience))

	list := m.Mutable(fields.ByName("mappings")).List()
	mappingFields := s.mapping.Fields()
	for _, mp := range c.mappings {
		mm := dynamicpb.NewMessage(s.mapping)
		mm.Set(mappingFields.ByName("key"), protoreflect.ValueOfString(mp.key))
		mm.Set(mappingFields.ByName("value_expression"), protoreflect.ValueOfString(mp.valueExpression))
		mm.Set(mappingFields.ByName("role"), protoreflect.ValueOfString(mp.role))
		list.Append(protoreflect.ValueOfMessage(mm))
	}

	tm := dynamicpb.NewMessage(s.traits)
	traitFields := s.traits.Fields()
	tm.Set(traitFields.ByName("mutability_mode"), protoreflect.ValueOfEnum(c.traits.mutabilityMode))
	tm.Set(traitFields.ByName("visibility"), protoreflect.ValueOfEnum(c.traits.visibility))
	tm.Set(traitFields.ByName("origin"), protoreflect.ValueOfEnum(c.traits.origin))
	set("traits", protoreflect.ValueOfMessage(tm))
	return m
}

// storedForm is the config as Central's storage keeps it. v1tostorage
// converts the type by name (storage.Type_value[v1Type.String()]): a number
// the v1 enum does not declare has no name, the lookup finds nothing, and
// the stored type is storage's zero value, GENERIC. The v1 and storage enums
// have the same names, so a declared number keeps its value.
func (s *schema) storedForm(c m2mConfig) m2mConfig {
	if s.configType.Values().ByNumber(c.typ) == nil {
		c.typ = typeGeneric
	}
	c.mappings = append([]mapping(nil), c.mappings...)
	return c
}

// The values of v1.AuthMachineToMachineConfig.Type that the rules name.
const (
	typeGeneric       protoreflect.EnumNumber = 0
	typeGitHubActions protoreflect.EnumNumber = 1
)
