# The two set-up commands of the README: `make run` and `make test`. Both create the virtual
# environment on first use (and again when pyproject.toml or constraints.txt change).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck lock messages bench

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

# Front-end test tools (axe-core) from the npm registry, when npm is there; without them the
# browser tests' accessibility checks fail in CI and are skipped elsewhere.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi

run: $(STAMP)
	$(PY) -m lapor.devstack run

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m lapor.devstack test $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# mypy with the Django and DRF plugins (configured in pyproject.toml). The plugin imports the
# settings but opens no connection: placeholders stand in for the servers that are not set.
typecheck: $(STAMP)
	DATABASE_URL="$${DATABASE_URL:-postgres://127.0.0.1:5432/lapor}" \
	REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
	SECRET_KEY="$${SECRET_KEY:-typecheck}" SITE_URL="$${SITE_URL:-http://127.0.0.1:8000}" \
	$(VENV)/bin/mypy agencies complaints routing lapor

# Refresh the pinned versions after changing pyproject.toml.
lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable --exclude pip > constraints.txt

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*'

# Every benchmark at national scale (1,000,000 reports): prints a table, writes BENCHMARKS.md.
# Needs DATABASE_URL and REDIS_URL (or the ones `make run`/`make test` remembered in var/).
bench: $(STAMP)
	$(PY) -m benchmarks $(ARGS)
