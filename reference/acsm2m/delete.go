package acsm2m

import (
	"net/http"

	"github.com/google/uuid"
)

// deletePattern is Central's DeleteAuthMachineToMachineConfig route. It is
// not part of the operation the documents describe (so the OpenAPI
// document leaves it out), but a suite that adds configs to a real Central
// deletes them with it afterwards (verify --cleanup), and the reference
// must take the same call.
const deletePattern = "DELETE /v1/auth/m2m/{id}"

// deleteConfig removes the config with the id and answers Central's empty
// message, {}. Like Central, whose datastore removes nothing and reports no
// error for an id it does not hold, it answers {} for an unknown id too.
func deleteConfig(configs *store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id, err := uuid.Parse(r.PathValue("id")); err == nil {
			configs.remove(id)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte("{}"))
	})
}

// remove forgets the config with the id, and so frees its issuer.
func (s *store) remove(id uuid.UUID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	config, ok := s.byID[id]
	if !ok {
		return
	}
	delete(s.byID, id)
	if config.Issuer != nil {
		delete(s.byIssuer, *config.Issuer)
	}
}
