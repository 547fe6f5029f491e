# Two commands set everything up on a fresh clone: `make dev` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-processing.txt requirements-dev.txt | cksum | cut -d' ' -f1)
CDK := npx --no-install cdk
TENANT ?=
SCOPES ?= assets:read,assets:write

export PYTHONPATH := $(CURDIR)
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: install dev test unit integration infra e2e lint format openapi lock synth deploy key tier events bench clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-processing.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

dev: install ## Run the local stack on http://127.0.0.1:8000
	$(PY) -m local

test: install ## Every test: unit, integration, infra, e2e
	$(PY) -m pytest

unit integration infra e2e: install
	$(PY) -m pytest tests/$@

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

openapi: install ## Regenerate openapi.json from the handlers and docs/events/ from the event models
	$(PY) -m local.openapi
	$(PY) -m local.event_catalog

lock: install ## Re-resolve the layers' locks (requirements*.lock, hashed, for the Lambda platform) after editing requirements*.txt
	$(PY) -m infra.layer

synth: install node_modules/.package-lock.json ## Synthesize with cdk-nag; no AWS account, no network
	$(CDK) synth --quiet -c skip_bundling=true

deploy: install node_modules/.package-lock.json ## Build the dependency layer and deploy with your AWS credentials
	$(CDK) deploy

key: install ## make key TENANT=name SCOPES=keys:admin,assets:read[,...] [LABEL=text] [TIER=standard] [AWS=1 TABLE=<TableName output> [STACK=AssetBackend]]
	@test -n "$(TENANT)" || (echo "usage: make key TENANT=name SCOPES=assets:read,assets:write" && exit 2)
	$(PY) -m local.keys --tenant "$(TENANT)" --scopes "$(SCOPES)" $(if $(LABEL),--label "$(LABEL)") $(if $(TIER),--tier "$(TIER)") $(if $(AWS),--aws) $(if $(TABLE),--table "$(TABLE)") $(if $(STACK),--stack "$(STACK)")

tier: install ## make tier TENANT=name TIER=pro [AWS=1 TABLE=<TableName output> [STACK=AssetBackend]]: move a tenant between tiers
	@test -n "$(TENANT)" -a -n "$(TIER)" || (echo "usage: make tier TENANT=name TIER=pro" && exit 2)
	$(PY) -m local.keys --move --tenant "$(TENANT)" --tier "$(TIER)" $(if $(AWS),--aws) $(if $(TABLE),--table "$(TABLE)") $(if $(STACK),--stack "$(STACK)")

events: install ## Print the running local stack's asset.* events as they happen (EMULATOR_PORT honoured)
	$(PY) -m local.events

bench: install ## Cold-start, processing, large-file, upload, listing, folder-job, transform and export benchmarks, JSON in bench/results/
	$(PY) -m bench.cold_start
	$(PY) -m bench.processing
	$(PY) -m bench.large_files
	$(PY) -m bench.uploads
	$(PY) -m bench.listing
	$(PY) -m bench.folder_jobs
	$(PY) -m bench.transforms
	$(PY) -m bench.exports

clean:
	rm -rf $(VENV) node_modules cdk.out .pytest_cache .ruff_cache bench/results
