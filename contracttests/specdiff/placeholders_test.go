package specdiff

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/authcontract/authcontract/fixtures"
)

// placeholder matches {name} as fixtures write placeholders; regular
// expressions' {2} and {2,3} start with a digit and are left out.
var placeholder = regexp.MustCompile(`\{([A-Za-z][A-Za-z0-9:]*)\}`)

// A fixture judged with a placeholder left unfilled would be judged on the
// literal text: every placeholder the embedded fixtures use must be filled
// as a run fills it.
func TestEveryPlaceholderTheFixturesUseIsFilled(t *testing.T) {
	target := Target{
		ContainerApp: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app",
		Roles:        []string{"Admin", "Analyst"},
	}
	base, err := target.values(DefaultAPIVersion)
	if err != nil {
		t.Fatal(err)
	}
	values := withUnique(base, 0)
	files, err := fs.Glob(fixtures.FS, "*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no embedded fixtures (%v)", err)
	}
	for _, file := range files {
		data, err := fs.ReadFile(fixtures.FS, file)
		if err != nil {
			t.Fatal(err)
		}
		for _, match := range placeholder.FindAllStringSubmatch(string(data), -1) {
			if _, filled := values[match[1]]; !filled {
				t.Errorf("%s uses {%s}, which spec-diff does not fill", file, match[1])
			}
		}
	}
}
