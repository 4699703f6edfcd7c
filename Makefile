# Factdesk: every task is one command. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := help
.PHONY: help site bundle bundle-zip bundle-html bundle-zim sign lint test check review serve bench lock clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	@touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

site: $(STAMP) $(NODE_STAMP) ## Check the claims and build the site into site/ (strict)
	$(BIN)/factdesk build

bundle: $(STAMP) $(NODE_STAMP) ## Every offline edition, for every language, into dist/ (PREVIOUS=date|editions.json)
	$(BIN)/factdesk bundle --format all $(if $(PREVIOUS),--previous $(PREVIOUS))

bundle-zip: $(STAMP) $(NODE_STAMP) ## The zip edition per language: dist/<site>[-<lang>]-offline-<date>.zip, for a computer
	$(BIN)/factdesk bundle --format zip $(if $(PREVIOUS),--previous $(PREVIOUS))

bundle-html: $(STAMP) $(NODE_STAMP) ## The single-file edition per language: dist/…-offline-<date>.html, for a phone
	$(BIN)/factdesk bundle --format html $(if $(PREVIOUS),--previous $(PREVIOUS))

bundle-zim: $(STAMP) $(NODE_STAMP) ## The Kiwix edition per language: dist/…-offline-<date>.zim
	$(BIN)/factdesk bundle --format zim $(if $(PREVIOUS),--previous $(PREVIOUS))

sign: $(STAMP) ## Sign the editions in dist/: SHA256SUMS, SHA256SUMS.sig, editions.json (KEY=private key file)
	$(BIN)/factdesk sign dist $(if $(KEY),--key $(KEY))

lint: $(STAMP) ## Lint (ruff) and type-check (mypy) the code
	$(BIN)/ruff check build_scripts tests bench
	$(BIN)/mypy

test: $(STAMP) $(NODE_STAMP) lint ## Lint, type-check and run the whole test suite
	$(BIN)/python -m pytest

check: $(STAMP) ## Check claim, source and rating files only
	$(BIN)/factdesk check --strict

review: $(STAMP) ## List the claims due for another check, soonest first
	$(BIN)/factdesk review --all

serve: $(STAMP) ## Live preview at http://127.0.0.1:8000, rebuilt when a claim or source changes
	$(BIN)/factdesk serve

bench: $(STAMP) ## Scale benchmark against bare MkDocs (SIZES=100,1000,5000,10000 CORPUS=synthetic|realistic SERVE_SIZE=2000 SEARCH_SIZE=<largest>); writes bench-results/
	$(BIN)/python bench/run.py $(if $(SIZES),--sizes $(SIZES)) $(if $(CORPUS),--corpus $(CORPUS)) \
		$(if $(SERVE_SIZE),--serve-size $(SERVE_SIZE)) $(if $(SEARCH_SIZE),--search-size $(SEARCH_SIZE))

lock: ## Re-resolve dependencies within pyproject's ranges and rewrite requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[test]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^factdesk' > requirements.lock
	rm -rf .lock-venv

clean: ## Remove the environment, the build output and the build cache
	rm -rf $(VENV) node_modules site dist .pytest_cache test-artifacts bench-results .factdesk-cache
