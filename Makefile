# Lakegate — build, test and demo. `make demo` and `make test` are the two set-up commands.
SHELL := /bin/bash
SWIFT ?= swift
VENV ?= .venv
PYTHON ?= python3
APT_PACKAGES := libgit2-dev libcurl4-openssl-dev libsqlite3-dev pkg-config git openssh-client gnupg python3 python3-venv chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps apt-deps py-deps build build-tests test test-swift test-python lint lint-contracts lint-schemas format demo release release-check image clean

deps: apt-deps py-deps

# Installs the C libraries and tools Lakegate needs; a no-op when they are present.
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The Python test tools (databricks-sdk and friends) live in a virtualenv.
py-deps: $(VENV)/.installed
$(VENV)/.installed: requirements-test.txt
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-test.txt
	@touch $@

build: apt-deps
	$(SWIFT) build

build-tests: apt-deps
	$(SWIFT) build --build-tests

# Everything CI runs: dependencies, one build, every test suite, the format check.
test: deps build-tests lint lint-contracts lint-schemas release-check test-swift test-python

test-swift:
	$(SWIFT) test --skip-build --disable-xctest

test-python:
	LAKEGATE_BIN_DIR="$$($(SWIFT) build --show-bin-path)" $(VENV)/bin/python -m pytest -q Tests/python

lint:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format lint --strict --parallel

# Every data contract under Examples against the ODCS v3.1 JSON schema (datacontract-cli from the test venv).
lint-contracts: py-deps
	DATACONTRACT=$(VENV)/bin/datacontract ./scripts/lint-contracts.sh

# Every example file (lakegate.yaml, dataproduct.yaml, policies, blueprints) against its JSON schema in docs/schemas/,
# with its yaml-language-server modeline.
lint-schemas: py-deps
	$(VENV)/bin/python scripts/lint-schemas.py

format:
	git ls-files -z '*.swift' | xargs -0 $(SWIFT) format -i --parallel

# The main job on the embedded default: the local Databricks emulator.
demo: apt-deps
	$(SWIFT) build
	./scripts/demo.sh "$$($(SWIFT) build --show-bin-path)"

release: apt-deps
	$(SWIFT) build -c release --static-swift-stdlib

# The shipped binary: release, Swift runtime linked statically, checked with ldd and an empty environment.
RELEASE_SCRATCH := .build-release
RELEASE_FLAGS := -c release --static-swift-stdlib --scratch-path $(RELEASE_SCRATCH)
release-check: apt-deps
	$(SWIFT) build $(RELEASE_FLAGS) --product lakegate
	./scripts/release-check.sh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/lakegate"

image:
	@command -v docker >/dev/null && docker info >/dev/null 2>&1 || { echo "make image needs a running container engine (none here)"; exit 1; }
	docker build -f deploy/Dockerfile -t lakegate:$$(git describe --tags --always) .

clean:
	rm -rf .build $(VENV)
