# corresptei — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

# The TEI P5 source for the ODD compiler: use the shared copy when it is there
# (it is never committed); otherwise corresptei downloads the pinned release once.
SHARED_TEI := $(abspath ../shared/tei/p5subset.xml)
ifneq ($(wildcard $(SHARED_TEI)),)
export CORRESPTEI_TEI_SOURCE ?= $(SHARED_TEI)
endif

# Debian packages the tests (and PDF output) need; installed only when missing.
# chromium: browser tests; poppler-utils: PDF checks; fonts-dejavu-core: Latin + Cyrillic
# for the PDF; libsaxonhe-java: the second XSLT processor the render tests compare with;
# default-jre-headless also runs vnu.jar (HTML5 checker, from the test extras on PyPI).
APT_PACKAGES := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless libsaxonhe-java

.PHONY: run test bench bench-deps system-deps bytecode clean

# The package's bytecode, as pip writes it for a regular install: an editable install never
# gets it where PYTHONDONTWRITEBYTECODE is set, and every command would compile every module
# again at start-up (0.05-0.1 s per process).  Up-to-date files are skipped.
bytecode:
	@$(BIN)/python -m compileall -q src bench

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.test-installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/.installed $@

# $(call apt_install,PACKAGES): install the Debian packages that are missing (sudo when not root).
apt_install = @missing=""; for p in $(1); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

system-deps:
	$(call apt_install,$(APT_PACKAGES))

run: $(BIN)/.installed bytecode
	$(BIN)/corresptei build seeds/*.txt --tei tei/ --out out/

test: $(BIN)/.test-installed system-deps bytecode
	$(BIN)/python -m pytest -q

# Benchmarks at archive scale (not part of `make test`): bench/RESULTS.md.
# Quicker: make bench BENCH_SIZES="100 1000"; more options: BENCH_ARGS="--sample 10 --profile"
BENCH_SIZES ?= 100 1000 10000
BENCH_ARGS ?=
BENCH_APT_PACKAGES := default-jre-headless libsaxonhe-java

bench-deps:
	$(call apt_install,$(BENCH_APT_PACKAGES))

bench: $(BIN)/.test-installed bench-deps bytecode
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) out bench/work
