package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/authcontract/authcontract/reference"
)

const shutdownGrace = 5 * time.Second

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg := reference.DefaultConfig()
	apps := &stringList{values: cfg.ContainerApps.Apps}
	// Unlike the app list, api-versions and roles given add to the default,
	// not replace it: clients that send the document's version keep working
	// beside the one a newer client sends, and every Central has the
	// built-in roles.
	extraVersions := &stringList{}
	extraRoles := &stringList{}
	discovery := &discoveryOptions{}

	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	token := flags.String("token", os.Getenv("AUTHCONTRACT_TOKEN"), "bearer token both APIs accept (default: $AUTHCONTRACT_TOKEN, else a random one)")
	flags.Var(apps, "containerapp", "resource id of an existing container app (repeatable)")
	flags.Var(extraVersions, "api-version", fmt.Sprintf("a Container Apps api-version accepted besides the default %s, e.g. 2025-07-01, which the Azure JS client sends (repeatable; adds to the default)", strings.Join(cfg.ContainerApps.APIVersions, ", ")))
	flags.StringVar(&cfg.ContainerApps.Location, "location", cfg.ContainerApps.Location, "location reported for container apps")
	flags.Var(extraRoles, "role", fmt.Sprintf("an ACS role that exists besides the built-in ones (%s), for mappings to name (repeatable; adds to the built-in roles)", strings.Join(cfg.ACSM2M.Roles, ", ")))
	tlsCert := flags.String("tls-cert", "", "PEM certificate (chain) to serve https with; needs --tls-key")
	tlsKey := flags.String("tls-key", "", "PEM private key of --tls-cert; needs --tls-cert")
	discovery.register(flags)
	if err := flags.Parse(args); err != nil {
		return exitUsage
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "serve: unexpected arguments %q\n", flags.Args())
		return exitUsage
	}
	if *token == "" {
		*token = randomToken()
	}
	cfg.BearerToken = *token
	cfg.ContainerApps.Apps = apps.values
	cfg.ContainerApps.APIVersions = appendMissing(cfg.ContainerApps.APIVersions, extraVersions.values)
	cfg.ACSM2M.Roles = appendMissing(cfg.ACSM2M.Roles, extraRoles.values)
	tlsConfig, err := loadTLS(*tlsCert, *tlsKey)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return exitUsage
	}

	client, err := discovery.client()
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return exitUsage
	}
	cfg.ACSM2M.Discovery = client

	handler, err := reference.NewHandler(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return exitUsage
	}
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "serve: listen on %s: %v\n", *addr, err)
		return exitUsage
	}

	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "authcontract reference server listening on %s://%s\n", scheme, listener.Addr())
	fmt.Fprintf(stdout, "bearer token: %s\n", cfg.BearerToken)
	for _, app := range cfg.ContainerApps.Apps {
		fmt.Fprintf(stdout, "container app: %s\n", app)
	}
	for _, version := range cfg.ContainerApps.APIVersions {
		fmt.Fprintf(stdout, "api-version: %s\n", version)
	}
	for _, role := range cfg.ACSM2M.Roles {
		fmt.Fprintf(stdout, "acs role: %s\n", role)
	}
	discovery.printBanner(stdout)

	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, TLSConfig: tlsConfig}
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			// The certificate is already in TLSConfig; ServeTLS still
			// sets up HTTP/2, which plain tls.NewListener would not.
			served <- server.ServeTLS(listener, "", "")
			return
		}
		served <- server.Serve(listener)
	}()

	select {
	case err := <-served:
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return exitUsage
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "serve: shut down: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stdout, "authcontract reference server stopped")
	return exitOK
}

// appendMissing adds to list each of extra it does not hold yet, keeping
// the order given, so that a flag repeating a default is harmless.
func appendMissing(list, extra []string) []string {
	for _, value := range extra {
		if !slices.Contains(list, value) {
			list = append(list, value)
		}
	}
	return list
}

// loadTLS reads the certificate and key serve answers https with. Neither
// means plain http; one without the other is a mistake worth stopping for,
// since silently serving http would break every client that expects https.
// The files are read before the server listens, so that a bad path fails
// at once rather than on the first handshake.
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "":
		return nil, nil
	case certFile == "" || keyFile == "":
		return nil, errors.New("--tls-cert and --tls-key go together: give both to serve https, or neither for http")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("load --tls-cert %s and --tls-key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
