package centrallike

import (
	"slices"
	"sync"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// raceWindow is how long the LetsConcurrentAddsOfOneIssuerBothWin store waits
// between checking an issuer and inserting it: long enough that every one of
// a handful of requests sent at once passes the check before the first
// inserts, short enough not to slow a test down.
const raceWindow = 100 * time.Millisecond

// store keeps configs in memory with the two constraints Central's Postgres
// table has (proto/storage/auth_machine_to_machine.proto): the issuer is
// unique, and every mapping's role is a foreign key into the roles table.
// It is safe for concurrent use.
type store struct {
	brk   Break
	roles map[string]bool

	mu      sync.Mutex
	configs []m2mConfig // in the order they were added
	// reserved holds the issuers the LeavesATraceOfRefusedRequests store
	// took before validating; it is never emptied, which is the bug.
	reserved map[string]bool
}

func newStore(roles []string, brk Break) *store {
	known := make(map[string]bool, len(roles))
	for _, r := range roles {
		known[r] = true
	}
	return &store{brk: brk, roles: known, reserved: map[string]bool{}}
}

// add stores c, or says which constraint it breaks: 409 AlreadyExists when
// its issuer is taken (Postgres 23505, pkg/postgres/error.go), else 404
// NotFound when a mapping names a role that does not exist (23503,
// errox.ReferencedObjectNotFound). Postgres checks the unique index as the
// row goes in and the foreign key after, hence that order.
//
// Central fetches the issuer's OIDC discovery document before this step
// (central/auth/datastore/datastore_impl.go → central/auth/m2m/set.go); this
// double does too when configured with a discovery client (see discover).
func (s *store) add(c m2mConfig) error {
	if s.brk == LetsConcurrentAddsOfOneIssuerBothWin {
		return s.checkThenInsert(c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkLocked(c); err != nil {
		return err
	}
	s.configs = append(s.configs, c)
	return nil
}

// checkThenInsert is add with the check and the insert in two critical
// sections and a wait between them: the classic race.
func (s *store) checkThenInsert(c m2mConfig) error {
	s.mu.Lock()
	err := s.checkLocked(c)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	time.Sleep(raceWindow)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configs = append(s.configs, c)
	return nil
}

func (s *store) checkLocked(c m2mConfig) error {
	if s.brk != AllowsDuplicateIssuers && s.issuerTakenLocked(c.issuer) {
		return status.Errorf(codes.AlreadyExists,
			"already exists: an auth machine to machine config with issuer %q exists", c.issuer)
	}
	return s.checkRoles(c)
}

// checkRoles needs no lock: the roles never change.
func (s *store) checkRoles(c m2mConfig) error {
	for _, m := range c.mappings {
		if !s.roles[m.role] {
			return status.Errorf(codes.NotFound,
				"referenced object not found: role %q does not exist", m.role)
		}
	}
	return nil
}

func (s *store) issuerTakenLocked(issuer string) bool {
	return slices.ContainsFunc(s.configs, func(c m2mConfig) bool { return c.issuer == issuer })
}

// reserve is the LeavesATraceOfRefusedRequests store's first step: it takes
// the issuer before the request is validated, answering 409 when it is
// stored or reserved already. A request that reserved an issuer then adds it
// with addReserved.
func (s *store) reserve(issuer string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.reserved[issuer] || s.issuerTakenLocked(issuer) {
		return status.Errorf(codes.AlreadyExists,
			"already exists: an auth machine to machine config with issuer %q exists", issuer)
	}
	s.reserved[issuer] = true
	return nil
}

// addReserved is add for a config whose issuer the caller reserved: the
// issuer was checked in reserve, the roles are checked here.
func (s *store) addReserved(c m2mConfig) error {
	if err := s.checkRoles(c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configs = append(s.configs, c)
	// Stored, the issuer is taken anyway; only a refused request's
	// reservation outlives it.
	delete(s.reserved, c.issuer)
	return nil
}

// list returns every stored config, oldest first.
func (s *store) list() []m2mConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.configs)
}

// remove deletes the config with the given id. An id no config has is no
// error, as in Central's RemoveAuthM2MConfig.
func (s *store) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.configs = slices.DeleteFunc(s.configs, func(c m2mConfig) bool { return c.id == id })
}
