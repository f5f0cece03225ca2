# kyodo — two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python)
UV_VERSION := 0.13.9
UV := .tools/bin/uv
KYODO := .venv/bin/kyodo
VENDOR := src/kyodo/core/static/vendor
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test bench env assets clean

run: env assets
	scripts/system-deps run
	$(KYODO) migrate --no-input -v 0
	$(KYODO) createcachetable
	$(KYODO) collectstatic --no-input -v 0
	$(KYODO) load_demo
	$(KYODO) serve

test: env assets
	scripts/system-deps test
	scripts/test

bench: env assets
	.venv/bin/python bench/run.py

env: .venv/.synced

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

assets: node_modules/.installed $(VENDOR)/design-tokens.css $(VENDOR)/htmx.min.js

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/design-tokens.css: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/@digital-go-jp/design-tokens/dist/tokens.css $@

$(VENDOR)/htmx.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

clean:
	rm -rf .venv .tools node_modules $(VENDOR) var/static
