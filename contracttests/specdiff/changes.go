package specdiff

import (
	"fmt"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
)

// Operation is what changed in one operation, or, with Method and Path
// empty, in the document as a whole (its components or security).
type Operation struct {
	Method      string
	Path        string
	OperationID string
	// Changes come breaking first, then in oasdiff's order.
	Changes []Change
}

// Change is one finding of oasdiff's checker.
type Change struct {
	// Breaking is oasdiff's level ERR; the rest (WARN, INFO) do not break
	// clients.
	Breaking bool
	// Level is oasdiff's level: ERR, WARN or INFO.
	Level string
	// Rule is oasdiff's id for the check, e.g. new-required-request-property.
	Rule string
	// Text is oasdiff's description of this change.
	Text string
	// Comment is oasdiff's explanation of why the change matters, when it
	// gives one.
	Comment string
}

// changes runs oasdiff over two documents: identical is set when it finds
// no difference at all; operations hold every change its checker rates at
// INFO or above.
func changes(old, new Source) (identical bool, operations []Operation, err error) {
	base, err := specInfo(old)
	if err != nil {
		return false, nil, err
	}
	revision, err := specInfo(new)
	if err != nil {
		return false, nil, err
	}
	report, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), base, revision)
	if err != nil {
		return false, nil, fmt.Errorf("oasdiff: compare %s with %s: %w", old.Name, new.Name, err)
	}
	config := checker.NewConfig(checker.GetAllChecks())
	found := checker.CheckBackwardCompatibilityUntilLevel(config, report, sources, checker.INFO)
	return report.Empty(), byOperation(found), nil
}

// specInfo loads a document for oasdiff. Each document gets a loader of its
// own: a loader caches documents by name, and two versions may share one.
func specInfo(source Source) (*load.SpecInfo, error) {
	loader := openapi3.NewLoader()
	// Where each change is in the files, as oasdiff's own command line
	// loads them.
	loader.IncludeOrigin = true
	info, err := load.NewSpecInfoFromData(loader, source.Data, source.Name)
	if err != nil {
		return nil, fmt.Errorf("oasdiff: load %s: %w", source.Name, err)
	}
	return info, nil
}

// byOperation groups the checker's findings per operation, in path then
// method order, the document-wide ones first.
func byOperation(found checker.Changes) []Operation {
	localizer := checker.NewDefaultLocalizer()
	type key struct{ path, method string }
	groups := map[key]*Operation{}
	var keys []key
	for _, c := range found {
		k := key{c.GetPath(), c.GetOperation()}
		group := groups[k]
		if group == nil {
			group = &Operation{Method: k.method, Path: k.path, OperationID: c.GetOperationId()}
			groups[k] = group
			keys = append(keys, k)
		}
		group.Changes = append(group.Changes, Change{
			Breaking: c.GetLevel() == checker.ERR,
			Level:    levelName(c.GetLevel()),
			Rule:     c.GetId(),
			Text:     c.GetUncolorizedText(localizer),
			Comment:  c.GetComment(localizer),
		})
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].path != keys[j].path {
			return keys[i].path < keys[j].path
		}
		return keys[i].method < keys[j].method
	})
	operations := make([]Operation, len(keys))
	for i, k := range keys {
		operations[i] = *groups[k]
		// Breaking changes lead, whatever order the checker gives.
		sort.SliceStable(operations[i].Changes, func(a, b int) bool {
			return operations[i].Changes[a].Breaking && !operations[i].Changes[b].Breaking
		})
	}
	return operations
}

// levelName writes oasdiff's level as its configuration files do.
func levelName(level checker.Level) string {
	switch level {
	case checker.ERR:
		return "ERR"
	case checker.WARN:
		return "WARN"
	default:
		return "INFO"
	}
}
