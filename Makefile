# DataMorph: `make run` to start, `make test` for the whole suite (README: Quick start).
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
PORT ?= 8080
# Let ccache hit across clones (CI builds a fresh clone each run).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: setup build build-tests web run test format format-check bench clean

setup:
	@scripts/setup.sh

$(BUILD_DIR)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DDATAMORPH_WERROR=ON

build: setup $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR) -j$(JOBS) datamorph

build-tests: build
	ninja -C $(BUILD_DIR) -j$(JOBS) engine_tests server_tests

# The web UI: dependencies reinstalled only when the lockfile changed; then a Vite build,
# which also writes gzip siblings of text assets (web/vite.config.ts) that the server sends
# to clients accepting gzip.
web: setup
	@if [ -f web/package.json ]; then cd web && \
	  { [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; } && \
	  npm run --silent build; fi

run: build web
	$(BUILD_DIR)/datamorph serve --port $(PORT)

test: build-tests web
	@scripts/test.sh

format:
	@git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' | xargs clang-format -i

format-check:
	@scripts/format-check.sh

bench: build web
	@bench/run.sh

clean:
	rm -rf $(BUILD_DIR)
