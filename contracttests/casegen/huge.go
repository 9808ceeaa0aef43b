package casegen

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// Some cases send bodies of several MiB: a config that is a huge string,
// a 1.5 MiB role, lists nested 100000 deep. A run of 10000 cases holds
// dozens of them, and each holding its own copy kept a gigabyte alive.
// So each such body is built once per generator, the first time a case
// needs it, around one fixed allowed config, and every case that sends it
// shares the same bytes: a generated case stays a few KB until it is
// sent. Nothing that reads a fixture changes its body, so sharing is safe;
// the placeholders in it ({unique}, {role:0}…) are filled per send, so two
// cases sharing a body still send distinct issuers.

// sharedBody is one such body, as a fixture holds it.
type sharedBody struct {
	body json.RawMessage
	raw  *string
	// droppable is set when the request is as valid without the huge
	// value (an open case about size): shrinking tries it without.
	droppable bool
}

func (s *sharedBody) into(req *fixture.Request) {
	if s.raw != nil {
		req.RawBody = s.raw
		return
	}
	req.Body = s.body
}

// Sizes of the huge bodies, and the depths nested lists are sent at: past
// encoding/json's 10000 levels, or just short of them.
var (
	hugeConfigMiB = []int{2, 3}
	nestedDepths  = []int{64, 1000, 9000, 20000, 100000}
)

// hugeRoleBytes is the size of the huge role an open case sends.
const hugeRoleBytes = 1536 * 1024

// rawKeepsJSONDepth is the depth from which nested lists are too deep for
// encoding/json to read back, so a fixture holds them as raw text.
const rawKeepsJSONDepth = 9000

// sharedBodies are a generator's huge bodies, each built on first use.
type sharedBodies struct {
	// base is the allowed body the huge values are put into.
	base       any
	hugeConfig map[int]func() *sharedBody
	hugeRole   func() *sharedBody
	nested     map[int]func() *sharedBody
}

func newSharedBodies(m *m2mRules) *sharedBodies {
	// One fixed draw, the same for every seed: what these cases are about
	// is their size, not their config.
	base := m.allowedBody(rand.New(rand.NewPCG(0, 0)))
	s := &sharedBodies{base: base, hugeConfig: map[int]func() *sharedBody{}, nested: map[int]func() *sharedBody{}}
	for _, mib := range hugeConfigMiB {
		s.hugeConfig[mib] = sync.OnceValue(func() *sharedBody {
			return &sharedBody{body: spliced(map[string]any{"config": hugeMarker}, strings.Repeat("x", mib<<20))}
		})
	}
	s.hugeRole = sync.OnceValue(func() *sharedBody {
		body := with(clone(base), mappingAt(0, "role"), hugeMarker)
		return &sharedBody{body: spliced(body, strings.Repeat("role-", hugeRoleBytes/5)), droppable: true}
	})
	for _, depth := range nestedDepths {
		s.nested[depth] = sync.OnceValue(func() *sharedBody {
			nested := strings.Repeat("[", depth) + strings.Repeat("]", depth)
			data := bytes.Replace(marshal(with(clone(base), mappingsAt, nestedMarker)), []byte(`"`+nestedMarker+`"`), []byte(nested), 1)
			if depth < rawKeepsJSONDepth {
				return &sharedBody{body: data}
			}
			raw := string(data)
			return &sharedBody{raw: &raw}
		})
	}
	return s
}

// Markers stand in for a value the JSON encoder should not write (a huge
// string: encoded and copied megabytes) or cannot (lists nested deeper
// than it goes), and are replaced in the bytes.
const (
	hugeMarker   = "authcontract:huge"
	nestedMarker = "authcontract:nested"
)

// spliced writes body with the plain ASCII value where it holds
// hugeMarker.
func spliced(body any, value string) json.RawMessage {
	return bytes.Replace(marshal(body), []byte(`"`+hugeMarker+`"`), []byte(`"`+value+`"`), 1)
}
