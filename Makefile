# The README's two commands: `make run` (set up and start with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test faults lint checks setup worker beat benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
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

clean:
	rm -rf $(VENV) var staticfiles
