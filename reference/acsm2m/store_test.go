package acsm2m

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

func storedConfig(id uuid.UUID, issuer string) gen.V1AuthMachineToMachineConfig {
	config := withDefaults(validGeneric())
	config.Id = &id
	config.Issuer = &issuer
	return config
}

func TestTheStore(t *testing.T) {
	t.Run("a stored config is found under its id", func(t *testing.T) {
		s := newStore(BuiltInRoles())
		id := uuid.New()
		if err := s.add(storedConfig(id, "https://a.example.com")); err != nil {
			t.Fatalf("add: %v", err)
		}
		got, ok := s.get(id)
		if !ok || shown(got.Issuer) != "https://a.example.com" {
			t.Errorf("get(%s) = %+v, %v", id, got, ok)
		}
		if _, ok := s.get(uuid.New()); ok {
			t.Errorf("get found a config under an id never stored")
		}
	})

	t.Run("a second config with a stored issuer is refused with errIssuerTaken", func(t *testing.T) {
		s := newStore(BuiltInRoles())
		first := uuid.New()
		if err := s.add(storedConfig(first, "https://a.example.com")); err != nil {
			t.Fatalf("add: %v", err)
		}
		err := s.add(storedConfig(uuid.New(), "https://a.example.com"))
		if !errors.Is(err, errIssuerTaken) {
			t.Fatalf("add = %v, want errIssuerTaken", err)
		}
	})

	t.Run("a repeated id is refused without touching the stored config or the issuer index", func(t *testing.T) {
		s := newStore(BuiltInRoles())
		id := uuid.New()
		if err := s.add(storedConfig(id, "https://a.example.com")); err != nil {
			t.Fatalf("add: %v", err)
		}
		err := s.add(storedConfig(id, "https://b.example.com"))
		if err == nil || errors.Is(err, errIssuerTaken) {
			t.Fatalf("add = %v, want an id error", err)
		}
		if got, _ := s.get(id); shown(got.Issuer) != "https://a.example.com" {
			t.Errorf("stored issuer = %q, want the first one kept", shown(got.Issuer))
		}
		if err := s.add(storedConfig(uuid.New(), "https://b.example.com")); err != nil {
			t.Errorf("the refused add reserved its issuer: %v", err)
		}
	})

	t.Run("a config naming a role that does not exist is refused with errRoleNotFound and not stored", func(t *testing.T) {
		s := newStore([]string{"Admin"})
		config := storedConfig(uuid.New(), "https://a.example.com")
		*(*config.Mappings)[0].Role = "Analyst"
		if err := s.add(config); !errors.Is(err, errRoleNotFound) {
			t.Fatalf("add = %v, want errRoleNotFound", err)
		}
		if _, ok := s.get(*config.Id); ok {
			t.Errorf("the refused config was stored")
		}
		*(*config.Mappings)[0].Role = "Admin"
		if err := s.add(config); err != nil {
			t.Errorf("the refused add reserved its issuer or id: %v", err)
		}
	})

	t.Run("a taken issuer is reported before an unknown role, as Central's insert meets it first", func(t *testing.T) {
		s := newStore(BuiltInRoles())
		if err := s.add(storedConfig(uuid.New(), "https://a.example.com")); err != nil {
			t.Fatalf("add: %v", err)
		}
		config := storedConfig(uuid.New(), "https://a.example.com")
		*(*config.Mappings)[0].Role = "Ghost"
		if err := s.add(config); !errors.Is(err, errIssuerTaken) {
			t.Fatalf("add = %v, want errIssuerTaken", err)
		}
	})

	t.Run("a config without id or issuer is refused", func(t *testing.T) {
		if err := newStore(BuiltInRoles()).add(validGeneric()); err == nil {
			t.Errorf("add of a config without id succeeded")
		}
	})

	t.Run("changing a config after adding or reading it does not change the store", func(t *testing.T) {
		s := newStore(BuiltInRoles())
		id := uuid.New()
		config := storedConfig(id, "https://a.example.com")
		if err := s.add(config); err != nil {
			t.Fatalf("add: %v", err)
		}
		*config.TokenExpirationDuration = "1s"
		*(*config.Mappings)[0].Role = "changed"
		read, _ := s.get(id)
		*read.Issuer = "https://changed.example.com"
		got, _ := s.get(id)
		if shown(got.TokenExpirationDuration) != "2h45m" || shown((*got.Mappings)[0].Role) != "Continuous Integration" || shown(got.Issuer) != "https://a.example.com" {
			t.Errorf("stored config changed through a caller's pointers: %+v", got)
		}
	})

	t.Run("of 32 goroutines adding the same issuer at once exactly one succeeds", func(t *testing.T) {
		s := newStore(BuiltInRoles())
		var (
			start     = make(chan struct{})
			wg        sync.WaitGroup
			mu        sync.Mutex
			succeeded int
			conflicts int
		)
		for range 32 {
			wg.Go(func() {
				<-start
				err := s.add(storedConfig(uuid.New(), "https://same.example.com"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					succeeded++
				case errors.Is(err, errIssuerTaken):
					conflicts++
				}
			})
		}
		close(start)
		wg.Wait()
		if succeeded != 1 || conflicts != 31 {
			t.Errorf("%d adds succeeded and %d conflicted, want 1 and 31", succeeded, conflicts)
		}
	})
}
