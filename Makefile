# Every target but interop runs with only Go on the PATH: tools come from
# go.mod via tools.go. interop also needs node >= 20 and npm.
GO ?= go
# FUZZTIME is how long each fuzz target runs under `make fuzz`.
FUZZTIME ?= 10s
# BENCHTIME is how long each benchmark runs under `make bench` (e.g. make bench BENCHTIME=5s).
# At 1s the ratios moved by up to a fifth from run to run on a 2-core VM,
# at 3s by less while the VM's speed held; the README's figures are medians
# of several runs of what this prints.
BENCHTIME ?= 3s

.PHONY: all test generate check-generated serve fuzz bench spec-diff interop

all: test

## test: vet; the packages where concurrency lives under the race detector; every package without it.
# RACE are the packages whose own code runs goroutines against shared
# state: the runner (parallel cases, the reorder window, race cases,
# shrinking, hostile targets), the reference stores and their load tests,
# and the issuer server. verify's command line, the suite's broken
# implementations and the Central look-alike drive that same code; under
# the race detector their several-MiB cases ran several times slower
# (78 s of a warm run, against about 25 s for this list), so they run once,
# without it, with every seed of their sweeps.
# With an empty build cache the race pass is mostly compiling every
# dependency a second time, with instrumentation. RACEFLAGS leave
# inlining out of that build (-l): inlining is where libopenapi's generic
# instantiations multiply, and without it the pass compiles in about 150 s
# instead of 250 on a 2-core VM, while its tests take 2 s longer warm. The
# detector instruments the same memory accesses either way; only calls
# stay calls. The README's Performance section has the figures.
# go vet ./... runs every analyzer over every package and its tests, a
# superset of the few go test runs before testing, so the test runs skip
# theirs (-vet=off): they would analyse every dependency again, once per
# build mode (about 40 s of a cold run).
RACE = ./contracttests/conformance ./reference/... ./internal/oidcissuer
RACEFLAGS = -race -gcflags=all=-l
test:
	$(GO) vet ./...
	$(GO) test -vet=off $(RACEFLAGS) -count=1 $(RACE)
	$(GO) test -vet=off -count=1 $(filter-out $(shell $(GO) list $(RACE)),$(shell $(GO) list ./...))

## generate: regenerate generated/ from openapi/ with the pinned oapi-codegen.
generate:
	$(GO) generate ./...

## check-generated: fail when committed generated code differs from what the specs produce.
check-generated: generate
	@git diff --exit-code -- generated/ || { echo "generated/ is stale: run 'make generate' and commit the result" >&2; exit 1; }
	@test -z "$$(git status --porcelain -- generated/)" || { git status --porcelain -- generated/; echo "generated/ has untracked files: run 'make generate' and commit the result" >&2; exit 1; }

## spec-diff: show what each openapi/*.yaml changes against git ref BASE (e.g. make spec-diff BASE=main): breaking changes, fixtures no longer admitted.
# Each document is compared with its version at BASE, which spec-diff reads
# from git as BASE:openapi/<api>.yaml. The exit status is the worst of the
# documents': 0 nothing breaks, 1 something does, 2 usage error. A document
# BASE does not have is new: there is nothing to compare it with.
spec-diff:
	@test -n "$(BASE)" || { echo "usage: make spec-diff BASE=<git ref>" >&2; exit 2; }
	@git rev-parse --verify --quiet "$(BASE)^{commit}" >/dev/null || { echo "spec-diff: BASE=$(BASE) is no commit" >&2; exit 2; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(GO) build -o "$$tmp/authcontract" ./cmd/authcontract && \
	worst=0 && \
	for spec in openapi/*.yaml; do \
		if ! git cat-file -e "$(BASE):$$spec" 2>/dev/null; then echo "spec-diff: $$spec is new since $(BASE): nothing to compare"; continue; fi; \
		"$$tmp/authcontract" spec-diff "$(BASE):$$spec" "$$spec"; status=$$?; \
		echo; \
		if [ $$status -gt $$worst ]; then worst=$$status; fi; \
	done; \
	exit $$worst

## serve: run both reference implementations on 127.0.0.1:8080.
serve:
	$(GO) run ./cmd/authcontract serve

## fuzz: run every fuzz target for $(FUZZTIME) each (e.g. make fuzz FUZZTIME=1m); failures land in testdata/fuzz.
# go test -fuzz takes one target per package per run, hence one line each.
# -tags fuzzing leaves out the tests that judge replies with both OpenAPI
# validators (//go:build !fuzzing): instrumenting those libraries for fuzzing
# would cost minutes of build the fuzz targets do not need.
fuzz:
	$(GO) test -tags fuzzing -run='^$$' -fuzz='^FuzzValidateConfig$$' -fuzztime=$(FUZZTIME) ./reference/acsm2m
	$(GO) test -tags fuzzing -run='^$$' -fuzz='^FuzzValidateConfigJSON$$' -fuzztime=$(FUZZTIME) ./reference/acsm2m
	$(GO) test -tags fuzzing -run='^$$' -fuzz='^FuzzAddConfigHandler$$' -fuzztime=$(FUZZTIME) ./reference/acsm2m
	$(GO) test -tags fuzzing -run='^$$' -fuzz='^FuzzGetAuthTokenHandler$$' -fuzztime=$(FUZZTIME) ./reference/containerapps
	$(GO) test -tags fuzzing -run='^$$' -fuzz='^FuzzJSONBody$$' -fuzztime=$(FUZZTIME) ./reference/httpguard

## bench: the performance ratios the README's Performance section reports; runs no ordinary test.
# Each benchmark times its subject and its floor in the same run and prints
# their ratio (x-floor, x-roundtrip, bulk-x-loopback, heap-ratio,
# scale-ratio, x-slower): only ratios carry from one
# machine to another.
bench:
	$(GO) test -run='^$$' -bench=. -benchtime=$(BENCHTIME) ./openapi/validation ./contracttests ./reference

## interop: the real Azure JS client against serve over https, and verify through Prism's validating proxy (needs node >= 20, npm).
# Packages are pinned in interop/package-lock.json and installed with npm ci
# into interop/node_modules; see interop/run.sh for each step.
interop:
	./interop/run.sh
