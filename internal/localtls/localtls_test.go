package localtls

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"
	"time"
)

func TestTheServerCertificateIsTrustedThroughTheCAForEveryLoopbackNameOnly(t *testing.T) {
	now := time.Now()
	generated, err := Generate(now)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(generated.CA) {
		t.Fatal("the CA PEM holds no certificate")
	}
	block, _ := pem.Decode(generated.Cert)
	if block == nil {
		t.Fatal("the server PEM holds no certificate")
	}
	server, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name    string
		host    string
		at      time.Time
		trusted bool
	}{
		{"127.0.0.1 is trusted", "127.0.0.1", now, true},
		{"::1 is trusted", "::1", now, true},
		{"localhost is trusted", "localhost", now, true},
		{"another host is not trusted", "example.com", now, false},
		{"a certificate past its lifetime is not trusted", "127.0.0.1", now.Add(Lifetime + time.Minute), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := server.Verify(x509.VerifyOptions{DNSName: tc.host, Roots: roots, CurrentTime: tc.at})
			if trusted := err == nil; trusted != tc.trusted {
				t.Errorf("trusted = %v (%v), want %v", trusted, err, tc.trusted)
			}
		})
	}
}

func TestWriteFilesWritesAKeyPairTLSCanLoadAndKeepsTheKeyPrivate(t *testing.T) {
	files, err := WriteFiles(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tls.LoadX509KeyPair(files.Cert, files.Key); err != nil {
		t.Fatalf("the written certificate and key do not load: %v", err)
	}
	info, err := os.Stat(files.Key)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode&0o077 != 0 {
		t.Errorf("the key file is readable by others: %v", mode)
	}
	if ca, err := os.ReadFile(files.CA); err != nil || !x509.NewCertPool().AppendCertsFromPEM(ca) {
		t.Errorf("the CA file holds no certificate (%v)", err)
	}
}
