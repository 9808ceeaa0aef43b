// Package localtls makes the certificates authcontract's own https servers
// present: a private certificate authority and a server certificate it
// signs for the loopback addresses (serve, make interop), and a
// self-signed certificate for any hosts (verify's issuer server), so that
// an https client can be pointed at a local server and still verify its
// certificate the way it would any other's (the Azure JS client refuses to
// send a bearer token over plain http; Central fetches issuers over https).
package localtls

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
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// DNSNames and IPAddresses are what the server certificate is valid for:
// whichever of them a client dials, the name it checks is in the
// certificate.
var (
	DNSNames    = []string{"localhost"}
	IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}
)

// Hosts lists DNSNames and IPAddresses for people to read.
func Hosts() string {
	hosts := slices.Clone(DNSNames)
	for _, ip := range IPAddresses {
		hosts = append(hosts, ip.String())
	}
	return strings.Join(hosts, ", ")
}

// Lifetime is how long the certificates are valid. They are made afresh
// for every run, so a day covers any run and a leaked one soon expires.
const Lifetime = 24 * time.Hour

// PEM holds a certificate authority's certificate and a server certificate
// it signed, with the server's private key, each PEM-encoded.
type PEM struct {
	CA, Cert, Key []byte
}

// Generate makes a new certificate authority and a server certificate for
// DNSNames and IPAddresses, valid from shortly before now for Lifetime.
func Generate(now time.Time) (PEM, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return PEM{}, fmt.Errorf("generate the CA key: %w", err)
	}
	// A minute's grace keeps a clock a little behind the generating one
	// from seeing a certificate that is not valid yet.
	notBefore := now.Add(-time.Minute)
	caTemplate := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "authcontract local test CA"},
		NotBefore:             notBefore,
		NotAfter:              now.Add(Lifetime),
		IsCA:                  true,
		BasicConstraintsValid: true,
		// Path length 0: this CA signs server certificates, never another CA.
		MaxPathLenZero: true,
		KeyUsage:       x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return PEM{}, fmt.Errorf("sign the CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return PEM{}, fmt.Errorf("read back the CA certificate: %w", err)
	}

	serverKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return PEM{}, fmt.Errorf("generate the server key: %w", err)
	}
	serverTemplate := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     DNSNames,
		IPAddresses:  IPAddresses,
		NotBefore:    notBefore,
		NotAfter:     now.Add(Lifetime),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	serverDER, err := x509.CreateCertificate(rand.Reader, serverTemplate, caCert, &serverKey.PublicKey, caKey)
	if err != nil {
		return PEM{}, fmt.Errorf("sign the server certificate: %w", err)
	}
	keyPEM, err := encodeKey(serverKey)
	if err != nil {
		return PEM{}, fmt.Errorf("encode the server key: %w", err)
	}
	return PEM{CA: encodeCertificate(caDER), Cert: encodeCertificate(serverDER), Key: keyPEM}, nil
}

// SelfSigned makes a certificate for hosts (DNS names or IP addresses),
// signed by its own key, valid from shortly before now for lifetime, and
// that key, both PEM-encoded. It is its own CA, so that a client given it
// as a root accepts a server presenting it.
func SelfSigned(hosts []string, now time.Time, lifetime time.Duration) (certPEM, keyPEM []byte, err error) {
	if len(hosts) == 0 {
		return nil, nil, errors.New("self-signed certificate: no host to make it for")
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("self-signed certificate: generate a key: %w", err)
	}
	template := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "authcontract issuer server", Organization: []string{"authcontract"}},
		NotBefore:             now.Add(-time.Hour), // a target's clock may lag
		NotAfter:              now.Add(lifetime),
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
	keyPEM, err = encodeKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("self-signed certificate: encode its key: %w", err)
	}
	return encodeCertificate(der), keyPEM, nil
}

func encodeCertificate(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func encodeKey(key *ecdsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// Files are where WriteFiles put each part.
type Files struct {
	CA, Cert, Key string
}

// WriteFiles generates a CA and server certificate and writes them into
// dir as ca.pem, server.pem and server-key.pem; the key is readable by its
// owner only.
func WriteFiles(dir string, now time.Time) (Files, error) {
	generated, err := Generate(now)
	if err != nil {
		return Files{}, err
	}
	files := Files{CA: filepath.Join(dir, "ca.pem"), Cert: filepath.Join(dir, "server.pem"), Key: filepath.Join(dir, "server-key.pem")}
	for _, file := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{
		{files.CA, generated.CA, 0o644},
		{files.Cert, generated.Cert, 0o644},
		{files.Key, generated.Key, 0o600},
	} {
		if err := os.WriteFile(file.path, file.data, file.mode); err != nil {
			return Files{}, fmt.Errorf("write %s: %w", file.path, err)
		}
	}
	return files, nil
}

// randomSerial is a random positive 128-bit serial number: RFC 5280 wants
// serials positive and unique per CA, and random ones need no bookkeeping.
func randomSerial() *big.Int {
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128)) // crypto/rand does not fail
	return serial.Add(serial, big.NewInt(1))
}
