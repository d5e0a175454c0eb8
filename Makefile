# connls — see README.md. Every target works on a fresh machine with Go,
# gcc and (for the editor tests) node/npm; scripts install the rest
# (PostgreSQL for the API's tests: scripts/ensure-postgres.sh).

GO      ?= go
BIN     := bin/connls
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
export PATH := $(PATH):/usr/local/go/bin

.PHONY: build demo test test-go test-editors lint bench fuzz clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/connls

# The main job on the sample workspaces: what connls understands of them,
# then the CI check (exit code 0 on the clean sample).
demo: build
	$(BIN) inspect testdata/ticketdesk
	$(BIN) check testdata/ticketdesk && echo "ticketdesk: no findings"

# All tests: Go (unit, end-to-end over a real pipe), then the editor
# integrations (VS Code extension, Neovim plugin in a real Neovim).
test: test-go test-editors

# The API's PostgreSQL tests start a private cluster from the Debian
# package, which ensure-postgres.sh installs when it is absent.
test-go:
	@scripts/ensure-postgres.sh
	@dirs="$$($(GO) list -f '{{.Dir}}' ./...)"; out="$$(gofmt -l $$dirs)"; test -z "$$out" || { echo "gofmt needed:"; echo "$$out"; exit 1; }
	$(GO) vet ./...
	$(GO) test -race ./...

test-editors: build
	@if [ -x editors/test.sh ]; then editors/test.sh; fi

bench:
	bench/run.sh

clean:
	rm -rf bin bench/out
