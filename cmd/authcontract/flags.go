package main

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// stringList is a flag that may be given more than once; the first use
// replaces the default rather than adding to it.
type stringList struct {
	values []string
	set    bool
}

func (l *stringList) String() string { return strings.Join(l.values, ",") }

func (l *stringList) Set(value string) error {
	if !l.set {
		l.values = nil
		l.set = true
	}
	l.values = append(l.values, value)
	return nil
}

// randomToken makes a bearer token for a server started without one.
func randomToken() string {
	buf := make([]byte, 16)
	rand.Read(buf) // never fails: crypto/rand.Read panics rather than return an error
	return hex.EncodeToString(buf)
}
