# The README's two commands: `make run` (set up and start with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test faults lint checks lock setup worker beat benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs come from the lock files (the versions CI tested), the project itself without resolving
# anything more; `make lock` refreshes them on purpose.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(STAMP_DEV): requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(STAMP)

setup: $(STAMP)
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

## First command: everything set up, demo data loaded, web + worker + beat on http://127.0.0.1:8000/
run: setup
	$(BIN)/python manage.py devserver

## Second command: the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
test: $(STAMP_DEV)
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest

## The reliability suite alone (part of `make test` too): Schemathesis against gunicorn, the fault suite
## and the worker kill; needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)
faults: $(STAMP_DEV)
	$(BIN)/pytest -ra tests/security/test_schemathesis_live.py tests/faults tests/live

lint: $(STAMP_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checks: $(STAMP_DEV)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	KONFLIK_ENV=production DEBUG=False SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=konflik.example.go.id $(BIN)/python manage.py check --deploy --fail-level WARNING

## Refresh the lock files from pyproject.toml: the newest versions its ranges admit (`make lock
## LOCK_UPGRADE=` keeps the current pins and only adds what is new); then `make test`, and commit both
## files. requirements.lock is the runtime subset of requirements-dev.lock, at the same versions.
LOCK_UPGRADE ?= --upgrade
LOCK_FLAGS := --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links
lock: $(STAMP_DEV)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_FLAGS) $(LOCK_UPGRADE) --extra dev --output-file requirements-dev.lock pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(LOCK_FLAGS) --constraint requirements-dev.lock --output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) var staticfiles
