// Command localca writes a fresh private certificate authority and a server
// certificate it signs for 127.0.0.1, ::1 and localhost into a folder, for
// `make interop`: serve answers https with server.pem and server-key.pem,
// and Node trusts ca.pem through NODE_EXTRA_CA_CERTS.
//
//	go run ./interop/localca DIR
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/authcontract/authcontract/internal/localtls"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: localca DIR  (writes DIR/ca.pem, DIR/server.pem, DIR/server-key.pem)")
		os.Exit(2)
	}
	dir := os.Args[1]
	// Owner only: the folder holds a private key.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "localca: create %s: %v\n", dir, err)
		os.Exit(1)
	}
	files, err := localtls.WriteFiles(dir, time.Now())
	if err != nil {
		fmt.Fprintf(os.Stderr, "localca: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("CA %s, server certificate %s (for %s), key %s\n", files.CA, files.Cert, localtls.Hosts(), files.Key)
}
