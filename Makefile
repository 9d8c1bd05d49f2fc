# Raidtrace: `make run` opens the app on the demo case, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu packages; see .ci/install-deps).

export PATH := $(PATH):/usr/local/go/bin:$(HOME)/go/bin
export LANG ?= en_US.UTF-8
GO      ?= go
BIN     := bin/raidtrace
# System packages: building the window needs cgo, OpenGL and X11 headers; the tests also start
# the real binary under Xvfb, take a screenshot and check bundles with stock tools.
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
	libxinerama-dev libxi-dev libxxf86vm-dev
TEST_DEBS  := xvfb xauth x11-utils imagemagick openssh-client openssl poppler-utils strace xdotool

.PHONY: all deps test-deps build run demo test vet unit smoke no-network bench fuzz screenshots clean

all: build

deps:
	@bash .ci/install-deps $(BUILD_DEBS)

test-deps:
	@bash .ci/install-deps $(BUILD_DEBS) $(TEST_DEBS)

build: deps
	$(GO) build -o $(BIN) .

run: build
	./$(BIN) --demo

demo: build
	./$(BIN) demo --out out/demo

test: test-deps vet unit smoke no-network

vet:
	$(GO) vet -tags ci ./...

unit:
	$(GO) test -tags ci -count=1 ./...

smoke: build
	bash .ci/smoke $(BIN)

no-network: build
	bash .ci/no-network $(BIN)

# Benchmarks print their own figures (msgs/s, MB/s, peak MB, F1…). Sizes: RAIDTRACE_BENCH_N
# (messages, analysis and case file), RAIDTRACE_BENCH_SMS_MB (generated SMS backup size).
# The comparison with the ekzhu/minhash-lsh anchor is a separate module (analysis/anchorbench),
# on RAIDTRACE_ANCHOR_N messages (default 20,000: the anchor is quadratic on raids).
bench:
	$(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime=1x ./... 2>&1 | grep -v '^ok\|no test files\|^PASS'
	cd analysis/anchorbench && $(GO) test -run '^$$' -bench . -benchtime=1x . 2>&1 | grep -v '^ok\|^PASS'

# Each fuzz target for FUZZTIME (default 20s).
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list -tags ci ./...); do \
	  for t in $$($(GO) test -tags ci -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test -tags ci -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# README screenshots of the main screens, from the real binary under Xvfb (EN and FR).
screenshots: test-deps build
	bash .ci/screenshots $(BIN) assets/screenshots

clean:
	rm -rf bin out
