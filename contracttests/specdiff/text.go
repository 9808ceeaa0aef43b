package specdiff

import (
	"fmt"
	"io"
)

// WriteText writes the report for a person: a header line, the changes per
// operation, the fixtures the new document no longer admits, and a summary
// line. The same report always gives the same text.
func (r Report) WriteText(w io.Writer) error {
	p := &printer{w: w}
	p.printf("spec-diff %s (chosen by %s): %s → %s\n", r.API, r.APIFrom, r.Old, r.New)
	switch {
	case r.Identical:
		p.printf("\nno changes\n")
	case len(r.Operations) == 0:
		p.printf("\nno changes oasdiff rates: the documents differ only where its checks do not look (an extension, say)\n")
	}
	for _, op := range r.Operations {
		p.printf("\n%s\n", operationTitle(op))
		for _, c := range op.Changes {
			kind := "non-breaking"
			if c.Breaking {
				kind = "breaking"
			}
			p.printf("  %s (%s) %s: %s\n", kind, c.Level, c.Rule, c.Text)
			if c.Comment != "" {
				p.printf("    why: %s\n", c.Comment)
			}
		}
	}
	if len(r.Fixtures) == 0 {
		p.printf("\nfixtures: the new spec admits all %d fixtures of %s\n", r.Judged, r.API)
	} else {
		p.printf("\nfixtures the new spec no longer admits (%d of %d):\n", len(r.Fixtures), r.Judged)
	}
	for _, f := range r.Fixtures {
		before := "the old spec did not admit it either"
		if f.OldAdmitted {
			before = "the old spec admitted it"
		}
		p.printf("  %s: %q (%s); %s\n", f.File, f.Name, f.Kind, before)
		for _, why := range f.Why {
			p.printf("    %s\n", why)
		}
	}
	p.printf("\n%d breaking, %d non-breaking, %d fixtures the new spec no longer admits\n", r.Breaking(), r.NonBreaking(), len(r.Fixtures))
	return p.err
}

// operationTitle names an operation as a person looks it up in the
// document: method and path, then its operationId.
func operationTitle(op Operation) string {
	switch {
	case op.Path == "":
		return "the document as a whole"
	case op.OperationID == "":
		return op.Method + " " + op.Path
	}
	return fmt.Sprintf("%s %s (%s)", op.Method, op.Path, op.OperationID)
}

// printer keeps the first write error, so that WriteText reads as the text
// it writes.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}
