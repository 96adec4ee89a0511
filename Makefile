# graphcap: `make run` opens the app on the sample network; `make test` runs the whole suite.
# Both do all set-up themselves on a fresh machine (Python 3.11+, Java 17+ and Maven for the
# local Neo4j; Debian's Chromium for the browser tests is installed by `make test`).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
GC     := $(VENV)/bin/graphcap
PORT   ?= 8501
SUDO   := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test venv system-deps neo4j-build sample lint mutate bench clean help

help:
	@echo "make run    - set up, start Neo4j if possible, load the sample, open the app on :$(PORT)"
	@echo "make test   - set up (Python deps, Neo4j from Maven Central, Chromium) and run the suite"
	@echo "make lint   - ruff check, ruff format --check, mypy, import layers"
	@echo "make mutate - mutation testing of the modules users act on (not in CI; see docs/TESTING.md)"
	@echo "make bench  - benchmarks (figures go to docs/PERFORMANCE.md)"

# -- Python environment (re-installed when pyproject.toml changes) -----------------------------
$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "graphcap needs Python 3.11+, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

# -- System packages the tests need: Debian's Chromium (browser tests), poppler (PDF pages),
#    docker-compose (checks docker-compose.yml), a CJK font for PNG/PDF exports, and Java 17 +
#    Maven where missing (local Neo4j).
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftoppm >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jdk-headless"; \
	command -v mvn >/dev/null 2>&1 || missing="$$missing maven"; \
	command -v docker-compose >/dev/null 2>&1 || missing="$$missing docker-compose"; \
	[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# -- The local Neo4j: Neo4j Community 5.26 resolved from Maven Central (cached in ~/.m2) ---------
neo4j-build: venv
	$(PY) -c "from graphcap.localdb.launcher import NEO4J_VERSION, build; build(); print('local Neo4j', NEO4J_VERSION, 'built')"

# -- make test -------------------------------------------------------------------------------
test: venv system-deps neo4j-build
	$(PY) -m pytest $(PYTEST_ARGS)

# -- make run: Neo4j (NEO4J_URI, else local when Java is there), sample, app --------------------
run: venv
	@if [ -n "$$NEO4J_URI" ]; then \
	  echo "Using the Neo4j at $$NEO4J_URI"; \
	  $(GC) sample --neo4j --if-empty || echo "Could not load the sample into $$NEO4J_URI; the app will say why."; \
	elif $(GC) neo4j start; then \
	  $(GC) sample --neo4j --if-empty; \
	else \
	  echo "No local Neo4j (see the message above): the app opens on the embedded sample snapshot."; \
	  $(GC) sample; \
	fi
	$(GC) app --port $(PORT)

sample: venv
	$(GC) sample

LINTED := graphcap loaders queries tests bench app.py

lint: venv
	$(VENV)/bin/ruff check $(LINTED)
	$(VENV)/bin/ruff format --check $(LINTED)
	$(VENV)/bin/mypy graphcap loaders app.py
	$(VENV)/bin/lint-imports

# -- make mutate: mutation testing (slow; not part of `make test`; figures in docs/TESTING.md) -----
mutate: venv
	$(PY) -m pip install --quiet "mutmut>=3.2,<4"
	$(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results

bench: venv neo4j-build
	$(PY) -m bench

clean:
	rm -rf $(VENV) graphcap/localdb_src/target .pytest_cache .hypothesis
