# Common tasks. The test command is scripts/test.sh (installs chromium, the Playwright driver and
# axe-core when missing, then runs unit + e2e tests); extra go test args: make test ARGS='-run TestX ./e2e/'
.PHONY: run test fuzz generate lint build bench bench-nodes

ARGS ?=

run:
	go run ./cmd/checkout $(ARGS)

test:
	bash scripts/test.sh $(ARGS)

# Every fuzz target for FUZZTIME each (default 2s, as CI); e.g. make fuzz FUZZTIME=10m
fuzz:
	bash scripts/fuzz.sh $(ARGS)

generate:
	go tool templ generate

lint:
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

build:
	CGO_ENABLED=0 go build -trimpath -o bin/checkout ./cmd/checkout

# Load figures as ratios against a static file server and raw SQLite (wrk; see README, Performance).
bench:
	bash scripts/bench.sh $(ARGS)

# Order creation and the pay page on PostgreSQL with 1, 2 and 4 nodes, beside SQLite (README,
# Several nodes on PostgreSQL).
bench-nodes:
	bash scripts/bench-nodes.sh $(ARGS)
