# Causerie — two commands: `make run` serves the app, `make test` passes every test.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8000
# Server processes for `make run` (several: set CAUSERIE_DATABASE_URL to PostgreSQL and
# CAUSERIE_REDIS_URL, see README "Running at scale").
WORKERS ?= 1
POSTGRES_URL ?= $(or $(CAUSERIE_TEST_POSTGRES_URL),postgresql+asyncpg://postgres@127.0.0.1:5432/postgres)
FRONTEND_SOURCES := $(shell find frontend/src frontend/scripts frontend/index.html frontend/vite.config.ts frontend/tsconfig.json -type f 2>/dev/null)
PYTEST_ARGS ?=

ifeq ($(CI),true)
export NO_COLOR := 1
export FORCE_COLOR := 0
endif

.PHONY: help run dev test lint fmt typecheck client client-check frontend-test pytest-sqlite bench \
	pytest-postgres setup browser clean mutation mutation-results screens

help:
	@echo "make run     install what is missing, migrate, load the demo once, serve on http://$(HOST):$(PORT)"
	@echo "             (WORKERS=4: four server processes, on PostgreSQL + Redis; see README)"
	@echo "make test    install what the tests need, then lint, type-check, unit, API and browser tests"
	@echo "make dev     backend with reload + Vite dev server (http://127.0.0.1:5173)"
	@echo "make lint | fmt | client (regenerate the API client) | clean"

# --- installation (each step reruns only when its inputs change) -------------------------
$(STAMPS)/python: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(STAMPS)/npm: frontend/package.json frontend/package-lock.json
	@mkdir -p $(STAMPS)
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/index.html: $(STAMPS)/npm $(FRONTEND_SOURCES)
	cd frontend && npm run build

setup: $(STAMPS)/python $(STAMPS)/npm

browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		echo "installing Chromium from apt for the end-to-end tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing: install the Debian package 'chromium' (the end-to-end tests need /usr/bin/chromium)"; \
	fi

# --- the two commands ---------------------------------------------------------------------
run: $(STAMPS)/python frontend/dist/index.html
	@mkdir -p var
	@$(BIN)/causerie migrate
	@if [ ! -f var/.demo-loaded ]; then $(BIN)/causerie demo && touch var/.demo-loaded; fi
	@echo ""
	@echo "  Causerie is running at http://$(HOST):$(PORT)"
	@echo "  Demo logins (password: causerie-demo):"
	@echo "    owner@maison-lumiere.example.com     (owner)"
	@echo "    animator@maison-lumiere.example.com  (animator)"
	@echo "    observer@maison-lumiere.example.com  (observer)"
	@echo ""
	@exec $(BIN)/causerie serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: setup browser lint typecheck frontend-test client-check frontend/dist/index.html pytest-sqlite pytest-postgres

# --- pieces ---------------------------------------------------------------------------------
lint: $(STAMPS)/python $(STAMPS)/npm
	$(BIN)/ruff check backend tests migrations bench
	$(BIN)/ruff format --check backend tests migrations bench
	$(BIN)/mypy
	$(BIN)/pytest -q -p no:cacheprovider tests/test_layering.py
	cd frontend && npm run --silent lint && npm run --silent format:check

typecheck: $(STAMPS)/npm
	cd frontend && npm run --silent typecheck

frontend-test: $(STAMPS)/npm
	cd frontend && npm test --silent

fmt: $(STAMPS)/python
	$(BIN)/ruff check --fix backend tests migrations bench
	$(BIN)/ruff format backend tests migrations bench

client: setup
	$(BIN)/causerie openapi -o var/openapi.json
	cd frontend && npm run --silent generate

client-check: setup
	@$(BIN)/causerie openapi -o var/openapi.json
	@cd frontend && npx openapi-typescript ../var/openapi.json -o ../var/schema.check.d.ts >/dev/null
	@diff -u frontend/src/api/schema.d.ts var/schema.check.d.ts \
		|| { echo "frontend/src/api/schema.d.ts is out of date: run 'make client' and commit it"; exit 1; }
	@echo "API client matches the OpenAPI document"

# The SQLite pass runs under coverage (branches, greenlet-aware); COVERAGE=0 skips it.
pytest-sqlite: $(STAMPS)/python
ifeq ($(COVERAGE),0)
	CAUSERIE_TEST_DATABASE=sqlite $(BIN)/pytest $(PYTEST_ARGS)
else
	CAUSERIE_TEST_DATABASE=sqlite $(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	@mkdir -p var && $(BIN)/coverage json -q -o var/coverage.json
	@$(BIN)/python -c 'import json; t = json.load(open("var/coverage.json"))["totals"]; \
		print("coverage (SQLite pass): %s %% - lines %.1f %%, branches %.1f %% (coverage report for details)" \
		% (t["percent_covered_display"], 100 * t["covered_lines"] / max(t["num_statements"], 1), \
		100 * t["covered_branches"] / max(t["num_branches"], 1)))'
endif

pytest-postgres: $(STAMPS)/python
	CAUSERIE_TEST_DATABASE=postgres CAUSERIE_TEST_POSTGRES_URL=$(POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS)

dev: $(STAMPS)/python $(STAMPS)/npm
	@mkdir -p var
	@$(BIN)/causerie migrate
	@if [ ! -f var/.demo-loaded ]; then $(BIN)/causerie demo && touch var/.demo-loaded; fi
	@trap 'kill 0' EXIT; \
		$(BIN)/causerie serve --host $(HOST) --port $(PORT) --reload & \
		(cd frontend && npm run dev) & \
		wait

clean:
	rm -rf $(STAMPS) frontend/dist var/openapi.json var/schema.check.d.ts

# Benchmarks (bench/README.md; not part of `make test`): QUICK=1 small and fast, SIZE=<number
# of participants> (default 5000), CASES=B1,B4 some cases only. PostgreSQL from
# CAUSERIE_BENCH_POSTGRES_URL; writes bench/results/latest.json.
bench: $(STAMPS)/python
	$(BIN)/python -m bench $(if $(filter 1 true yes,$(QUICK)),--quick) \
		$(if $(SIZE),--size $(SIZE)) $(if $(CASES),--cases $(CASES))

# Mutation testing (not part of `make test`): files and tests are listed in pyproject.toml
# [tool.mutmut]. mutmut names modules after their path, so it runs in var/mutation/ where
# `causerie` is at the top; MUTANTS="causerie.script.rules*" reruns some mutants only.
# It fails when a file's score (killed or timed out, of all mutants) is under the threshold;
# the survivors left are explained in tests/mutation-survivors.md.
MUTATION_DIR := var/mutation
MUTATION_CHILDREN ?= 1
MUTATION_THRESHOLD := 95
MUTANTS ?=
mutation: $(STAMPS)/python
	@mkdir -p $(MUTATION_DIR)
	@$(if $(MUTANTS),,rm -rf $(MUTATION_DIR)/mutants)
	@for f in pyproject.toml tests; do ln -sfn ../../$$f $(MUTATION_DIR)/$$f; done
	@ln -sfn ../../backend/causerie $(MUTATION_DIR)/causerie
	@# mutmut copies the code and tests when it starts; the migrations are copied with them
	@rm -rf $(MUTATION_DIR)/migrations $(MUTATION_DIR)/alembic.ini
	@cp -R migrations alembic.ini $(MUTATION_DIR)/
	cd $(MUTATION_DIR) && CAUSERIE_TEST_DATABASE=sqlite nice ../../$(BIN)/mutmut run \
		--max-children $(MUTATION_CHILDREN) $(MUTANTS) | tr '\r' '\n' | tail -n 2
	@cd $(MUTATION_DIR) && ../../$(BIN)/python -c 'import json, pathlib, sys; \
		from mutmut.stats import status_by_exit_code as status; \
		files = {str(p)[8:-5]: [status[c] for c in json.load(open(p))["exit_code_by_key"].values()] \
			for p in sorted(pathlib.Path("mutants").rglob("*.py.meta"))}; \
		score = lambda s: 100 * sum(x in ("killed", "timeout") for x in s) / max(sum(x != "skipped" for x in s), 1); \
		scores = {f: score(s) for f, s in files.items() if s}; \
		[print("  %-34s %5.1f %% of %3d mutants" % (f, scores[f], len(files[f]))) for f in scores]; \
		total = score([x for s in files.values() for x in s]); \
		print("mutation score: %.1f %%, each file at least $(MUTATION_THRESHOLD) %% wanted (survivors: make mutation-results)" % total); \
		low = [f for f, v in scores.items() if v < $(MUTATION_THRESHOLD)]; \
		sys.exit(("under $(MUTATION_THRESHOLD) %: " + ", ".join(low)) if low else None)'

mutation-results:
	@cd $(MUTATION_DIR) && ../../$(BIN)/mutmut results

# Screenshots of every main screen (phone 390x844 and desktop 1440x900, French and English)
# into var/screens/, from a server on a fresh SQLite database with the demo data.
screens: $(STAMPS)/python frontend/dist/index.html
	$(BIN)/python -m tests.e2e.screens
