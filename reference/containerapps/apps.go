package containerapps

import (
	"fmt"
	"strings"
	"unicode"
)

// containerApp is one existing app, split into the parts a request names.
type containerApp struct {
	id             string // canonical resource ID, exactly as configured
	subscriptionID string
	resourceGroup  string
	name           string
}

// parseAppID accepts exactly the shape the document gives for a resource ID:
// /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.App/containerApps/{containerAppName}.
// The fixed segments must be spelled as shown, so that the ID we echo back
// in responses is the canonical one.
func parseAppID(id string) (containerApp, error) {
	const shape = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.App/containerApps/{containerAppName}"
	parts := strings.Split(id, "/")
	if len(parts) != 9 || parts[0] != "" ||
		parts[1] != "subscriptions" || parts[3] != "resourceGroups" ||
		parts[5] != "providers" || parts[6] != "Microsoft.App" || parts[7] != "containerApps" {
		return containerApp{}, fmt.Errorf("parse app id %q: want %s", id, shape)
	}
	app := containerApp{id: id, subscriptionID: parts[2], resourceGroup: parts[4], name: parts[8]}
	for _, part := range []struct{ name, value string }{
		{"subscriptionId", app.subscriptionID},
		{"resourceGroupName", app.resourceGroup},
		{"containerAppName", app.name},
	} {
		if strings.TrimSpace(part.value) == "" {
			return containerApp{}, fmt.Errorf("parse app id %q: %s is empty", id, part.name)
		}
		// A request path cannot carry these characters unescaped, and an ID
		// holding them is far more likely a paste error than a real name.
		if strings.ContainsAny(part.value, "?#") {
			return containerApp{}, fmt.Errorf("parse app id %q: %s contains '?' or '#'", id, part.name)
		}
	}
	return app, nil
}

// appKey is how a request finds its app. The document says of
// resourceGroupName "이름은 대소문자를 구분하지 않습니다" (the name is case
// insensitive), so the resource group is case-folded. It says no such thing
// of subscriptionId or containerAppName, so those match exactly: the
// reference does not invent leniency the document does not grant.
type appKey struct {
	subscriptionID string
	resourceGroup  string
	name           string
}

func keyFor(subscriptionID, resourceGroup, name string) appKey {
	return appKey{subscriptionID: subscriptionID, resourceGroup: foldCase(resourceGroup), name: name}
}

// foldCase maps every rune to the smallest rune among its Unicode simple
// case folds, so that two names get the same key exactly when
// strings.EqualFold calls them equal. strings.ToLower is not that: it keeps
// "ſ" apart from "s" and "ς" apart from "Σ", which are case forms of each
// other, yet turns "İ" into "i", which is not.
func foldCase(s string) string {
	return strings.Map(func(r rune) rune {
		smallest := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			smallest = min(smallest, f)
		}
		return smallest
	}, s)
}

// indexApps parses every configured ID and refuses two IDs that name the
// same app, which would make the answer depend on configuration order.
func indexApps(ids []string) (map[appKey]containerApp, error) {
	apps := make(map[appKey]containerApp, len(ids))
	for _, id := range ids {
		app, err := parseAppID(id)
		if err != nil {
			return nil, err
		}
		key := keyFor(app.subscriptionID, app.resourceGroup, app.name)
		if earlier, dup := apps[key]; dup {
			return nil, fmt.Errorf("app id %q names the same app as %q (resource group names are case-insensitive)", id, earlier.id)
		}
		apps[key] = app
	}
	return apps, nil
}
