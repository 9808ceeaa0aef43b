package specdiff

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/oasdiff/oasdiff/load"
)

// Source is one version of a document as the user gave it.
type Source struct {
	// Name is how the report refers to it: the name given.
	Name string
	// Data is the document, YAML or JSON.
	Data []byte
}

// ReadSource reads a document from a file or, in git's REF:PATH form as
// oasdiff reads it (main:openapi/acs-m2m.yaml), from a commit of the
// repository the command runs in, so that a document can be compared with
// its last committed version without writing that out first. A file of that
// name, if there is one, wins.
func ReadSource(name string) (Source, error) {
	data, err := os.ReadFile(name)
	if err == nil {
		return Source{Name: name, Data: data}, nil
	}
	source := load.NewSource(name)
	if !errors.Is(err, fs.ErrNotExist) || !source.IsGitRevision() {
		return Source{}, fmt.Errorf("read document: %w", err)
	}
	data, err = source.ReadRaw()
	if err != nil {
		// oasdiff follows git's reason with advice on its own flags.
		return Source{}, fmt.Errorf("read document %s from git: %s", name, firstLine(err.Error()))
	}
	return Source{Name: name, Data: data}, nil
}
