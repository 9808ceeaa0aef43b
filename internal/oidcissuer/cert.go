package oidcissuer

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"time"
)

// certificateValidity is how long a self-signed certificate lasts: long
// enough that a target told to trust it once can be verified for a while.
const certificateValidity = 365 * 24 * time.Hour

// SelfSigned makes a certificate for hosts (DNS names or IP addresses),
// signed by its own key, and that key, both PEM-encoded. A client that
// trusts the certificate as a root accepts a server presenting it.
func SelfSigned(hosts []string) (certPEM, keyPEM []byte, err error) {
	if len(hosts) == 0 {
		return nil, nil, errors.New("self-signed certificate: no host to make it for")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("self-signed certificate: generate a key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("self-signed certificate: draw a serial number: %w", err)
	}
	now := time.Now()
	template := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "authcontract issuer server", Organization: []string{"authcontract"}},
		NotBefore:    now.Add(-time.Hour), // a target's clock may lag
		NotAfter:     now.Add(certificateValidity),
		// It is its own CA, so that a target can be given it as a root.
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, host := range hosts {
		if ip := net.ParseIP(host); ip != nil {
			template.IPAddresses = append(template.IPAddresses, ip)
		} else {
			template.DNSNames = append(template.DNSNames, host)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("self-signed certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("self-signed certificate: encode its key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
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
