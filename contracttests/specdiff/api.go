package specdiff

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/authcontract/authcontract/openapi"
)

// ChooseAPI says which API two documents are, and how that was decided, in
// words for the report's header: the --api flag when given (flag is not
// empty), else the name of either file, as openapi/ names them
// (containerapps.yaml, acs-m2m.yaml). Fixtures are chosen by the API, so a
// guess would judge the wrong ones: two files naming different APIs, or
// neither naming one, is an error.
func ChooseAPI(flag, oldFile, newFile string) (openapi.API, string, error) {
	if flag != "" {
		for _, api := range openapi.APIs() {
			if string(api) == flag {
				return api, "--api", nil
			}
		}
		return "", "", fmt.Errorf("--api %q is not one of %s", flag, apiNames())
	}
	newAPI, newOK := apiOfFile(newFile)
	oldAPI, oldOK := apiOfFile(oldFile)
	switch {
	case newOK && oldOK && newAPI != oldAPI:
		return "", "", fmt.Errorf("%s is named for %s but %s for %s: pass --api to say which API both are", oldFile, oldAPI, newFile, newAPI)
	case newOK:
		return newAPI, "the file name " + filepath.Base(newFile), nil
	case oldOK:
		return oldAPI, "the file name " + filepath.Base(oldFile), nil
	}
	return "", "", fmt.Errorf("neither %s nor %s is named for an API: pass --api %s", oldFile, newFile, strings.ReplaceAll(apiNames(), ", ", "|"))
}

// apiOfFile reads the API from a file's name without its extension.
func apiOfFile(file string) (openapi.API, bool) {
	base := filepath.Base(file)
	name := strings.TrimSuffix(base, filepath.Ext(base))
	for _, api := range openapi.APIs() {
		if string(api) == name {
			return api, true
		}
	}
	return "", false
}

func apiNames() string {
	names := make([]string, 0, len(openapi.APIs()))
	for _, api := range openapi.APIs() {
		names = append(names, string(api))
	}
	return strings.Join(names, ", ")
}
