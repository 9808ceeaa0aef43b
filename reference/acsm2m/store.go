package acsm2m

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// errIssuerTaken means another stored config already has the issuer: the
// document makes the issuer a unique key.
var errIssuerTaken = errors.New("issuer already in use")

// errRoleNotFound means a mapping names a role that does not exist. Central
// stores a mapping's role as a reference to a Role by name
// (proto/storage/auth_machine_to_machine.proto, fk(Role:name)) and answers
// the broken reference with NOT_FOUND.
var errRoleNotFound = errors.New("role not found")

// store holds the added configs in memory and enforces the two constraints
// Central's database does: the issuer is unique, and every mapping's role
// exists. It checks them in the order Central's insert meets them, the
// config's own row (the issuer) before its mappings' (the roles). It is safe
// for concurrent use.
type store struct {
	// roles is only read after newStore, so it needs no lock.
	roles map[string]bool
	// mu guards both maps together: checking an issuer and inserting under it
	// must be one step, or two concurrent adds could both pass the check.
	mu       sync.Mutex
	byID     map[uuid.UUID]gen.V1AuthMachineToMachineConfig
	byIssuer map[string]uuid.UUID
}

// newStore returns an empty store in which the given roles exist.
func newStore(roles []string) *store {
	s := &store{
		roles:    make(map[string]bool, len(roles)),
		byID:     map[uuid.UUID]gen.V1AuthMachineToMachineConfig{},
		byIssuer: map[string]uuid.UUID{},
	}
	for _, role := range roles {
		s.roles[role] = true
	}
	return s
}

// add stores a copy of config under its id and issuer, both of which it
// must already have. It fails with errIssuerTaken when the issuer is used,
// and with errRoleNotFound when a mapping names a role that does not exist.
func (s *store) add(config gen.V1AuthMachineToMachineConfig) error {
	if config.Id == nil || config.Issuer == nil {
		return errors.New("store: config has no id or no issuer")
	}
	id, issuer := *config.Id, *config.Issuer
	s.mu.Lock()
	defer s.mu.Unlock()
	if holder, taken := s.byIssuer[issuer]; taken {
		return fmt.Errorf("%w: config %s already has issuer %q", errIssuerTaken, holder, issuer)
	}
	if err := s.checkRoles(config); err != nil {
		return err
	}
	// Only a broken id source repeats an id; overwriting would silently lose
	// a config and leave its issuer indexed.
	if _, taken := s.byID[id]; taken {
		return fmt.Errorf("store: config id %s is already assigned", id)
	}
	s.byID[id] = cloneConfig(config)
	s.byIssuer[issuer] = id
	return nil
}

// checkRoles names every mapping whose role does not exist, so that a
// client fixes them all in one round. An absent role is the empty name,
// as proto3 reads it, and no role has that name.
func (s *store) checkRoles(config gen.V1AuthMachineToMachineConfig) error {
	if config.Mappings == nil {
		return nil
	}
	var unknown []string
	for i, mapping := range *config.Mappings {
		if role := deref(mapping.Role); !s.roles[role] {
			unknown = append(unknown, fmt.Sprintf("mappings[%d].role %q", i, role))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s: no such role exists", errRoleNotFound, strings.Join(unknown, ", "))
}

// get returns a copy of the config stored under id.
func (s *store) get(id uuid.UUID) (gen.V1AuthMachineToMachineConfig, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	config, ok := s.byID[id]
	if !ok {
		return gen.V1AuthMachineToMachineConfig{}, false
	}
	return cloneConfig(config), true
}

// cloneConfig copies every pointer, so that neither the caller who added a
// config nor one who read it can change what is stored.
func cloneConfig(c gen.V1AuthMachineToMachineConfig) gen.V1AuthMachineToMachineConfig {
	out := gen.V1AuthMachineToMachineConfig{
		Id:                      clonePtr(c.Id),
		Type:                    clonePtr(c.Type),
		TokenExpirationDuration: clonePtr(c.TokenExpirationDuration),
		Issuer:                  clonePtr(c.Issuer),
	}
	if c.Mappings != nil {
		mappings := slices.Clone(*c.Mappings)
		for i, m := range mappings {
			mappings[i] = gen.AuthMachineToMachineConfigMapping{
				Key:             clonePtr(m.Key),
				ValueExpression: clonePtr(m.ValueExpression),
				Role:            clonePtr(m.Role),
			}
		}
		out.Mappings = &mappings
	}
	return out
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
