package oidcissuer

import (
	"net"
	"net/url"
	"time"

	"github.com/authcontract/authcontract/internal/localtls"
)

// certificateValidity is how long a self-signed certificate lasts: long
// enough that a target told to trust it once can be verified for a while.
const certificateValidity = 365 * 24 * time.Hour

// SelfSigned makes the certificate the issuer server presents when given
// none: for hosts, valid for certificateValidity, its own CA.
func SelfSigned(hosts []string) (certPEM, keyPEM []byte, err error) {
	return localtls.SelfSigned(hosts, time.Now(), certificateValidity)
}

// certificateHosts are the names a self-signed certificate must carry: the
// base URL's host, and the listening address, or the loopback names when it
// listens on every interface.
func certificateHosts(base string, listening *net.TCPAddr) []string {
	u, _ := url.Parse(base) // checked by baseURL
	hosts := []string{u.Hostname()}
	if listening.IP.IsUnspecified() {
		hosts = append(hosts, "localhost", "127.0.0.1", "::1")
	} else {
		hosts = append(hosts, listening.IP.String())
	}
	unique := hosts[:0]
	seen := map[string]bool{}
	for _, host := range hosts {
		if !seen[host] {
			seen[host] = true
			unique = append(unique, host)
		}
	}
	return unique
}
