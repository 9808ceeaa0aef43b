package main

import (
	"context"
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
	versions := &stringList{values: cfg.ContainerApps.APIVersions}
	// Unlike the lists above, roles given add to the default, not replace
	// it: every Central has the built-in roles.
	extraRoles := &stringList{}
	discovery := &discoveryOptions{}

	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	token := flags.String("token", os.Getenv("AUTHCONTRACT_TOKEN"), "bearer token both APIs accept (default: $AUTHCONTRACT_TOKEN, else a random one)")
	flags.Var(apps, "containerapp", "resource id of an existing container app (repeatable)")
	flags.Var(versions, "api-version", "a supported Container Apps api-version (repeatable)")
	flags.StringVar(&cfg.ContainerApps.Location, "location", cfg.ContainerApps.Location, "location reported for container apps")
	flags.Var(extraRoles, "role", fmt.Sprintf("an ACS role that exists besides the built-in ones (%s), for mappings to name (repeatable; adds to the built-in roles)", strings.Join(cfg.ACSM2M.Roles, ", ")))
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
	cfg.ContainerApps.APIVersions = versions.values
	for _, role := range extraRoles.values {
		if !slices.Contains(cfg.ACSM2M.Roles, role) {
			cfg.ACSM2M.Roles = append(cfg.ACSM2M.Roles, role)
		}
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

	fmt.Fprintf(stdout, "authcontract reference server listening on http://%s\n", listener.Addr())
	fmt.Fprintf(stdout, "bearer token: %s\n", cfg.BearerToken)
	for _, app := range cfg.ContainerApps.Apps {
		fmt.Fprintf(stdout, "container app: %s\n", app)
	}
	for _, role := range cfg.ACSM2M.Roles {
		fmt.Fprintf(stdout, "acs role: %s\n", role)
	}
	discovery.printBanner(stdout)

	server := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

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
