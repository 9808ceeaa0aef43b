package acsm2m

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// errIssuerTaken means another stored config already has the issuer: the
// document makes the issuer a unique key.
var errIssuerTaken = errors.New("issuer already in use")

// store holds the added configs in memory. It is safe for concurrent use.
type store struct {
	// mu guards both maps together: checking an issuer and inserting under it
	// must be one step, or two concurrent adds could both pass the check.
	mu       sync.Mutex
	byID     map[uuid.UUID]gen.V1AuthMachineToMachineConfig
	byIssuer map[string]uuid.UUID
}

func newStore() *store {
	return &store{
		byID:     map[uuid.UUID]gen.V1AuthMachineToMachineConfig{},
		byIssuer: map[string]uuid.UUID{},
	}
}

// add stores a copy of config under its id and issuer, both of which it
// must already have. It fails with errIssuerTaken when the issuer is used.
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
	// Only a broken id source repeats an id; overwriting would silently lose
	// a config and leave its issuer indexed.
	if _, taken := s.byID[id]; taken {
		return fmt.Errorf("store: config id %s is already assigned", id)
	}
	s.byID[id] = cloneConfig(config)
	s.byIssuer[issuer] = id
	return nil
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
