# Wohnfair: `make run` sets up and serves the demo, `make test` runs all checks.
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: install run test lint fmt messages worker clean

$(UV):
	python=$$(bin/find-python) && "$$python" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet uv==0.13.8

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --python $(PY)
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo
	$(PY) manage.py run_all --port $(PORT)

test: install lint
	$(PY) manage.py makemigrations --check --dry-run
	WOHNFAIR_ENV=production \
	WOHNFAIR_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	WOHNFAIR_ENCRYPTION_KEYS=$$($(PY) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	WOHNFAIR_RECEIPT_SALT=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))') \
	WOHNFAIR_ALLOWED_HOSTS=wohnfair.example \
		$(PY) manage.py check --deploy --fail-level WARNING
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	cd wohnfair && ../$(PY) ../manage.py makemessages -l en -l tr -l ar --no-obsolete
	cd wohnfair && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) var/db.sqlite3
