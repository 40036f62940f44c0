# Everything runs from a project-local virtual environment, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: demo run pages test fuzz mutate bench interview-bench locales clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make demo: build every example agreement, in French and in English, into out/demo
demo: $(STAMP)
	$(BIN)/clausier demo --out $(OUT)/demo --force

## make run: the interview — answer questions, get the answers file and documents in out/
## (OUT=DIR elsewhere; ANSWERS=file.yaml starts from an existing answers file; RESUME=1
## continues an interrupted interview; UI=fr or UI=en sets the interface language, else the
## interrupted interview's, else the locale's. LANG=fr or LANG=en is taken too, but not a
## locale such as LANG=C.UTF-8 inherited from the shell.) CLAUSIER_MAKE_RUN makes the
## interview's "to continue, run:" hints print this make command.
UI ?= $(filter fr en,$(LANG))
run: $(STAMP)
	CLAUSIER_MAKE_RUN=1 $(BIN)/clausier interview --out '$(OUT)' $(if $(UI),--lang '$(UI)',) \
		$(if $(filter 1,$(RESUME)),--resume,) $(if $(ANSWERS),--from '$(ANSWERS)',)

## make pages: the example documents as PDFs and PNG page images in out/pages (needs
## LibreOffice and poppler-utils), to look at without Word
pages: $(STAMP)
	$(BIN)/clausier demo --out $(OUT)/pages --force --pdf >/dev/null
	cd $(OUT)/pages && for f in *.pdf; do pdftoppm -r 70 -png "$$f" "$${f%.pdf}"; done
	@echo "page images in $(OUT)/pages"

## make test: lint, check the clause library, run the test suite on every core (pytest-xdist).
## Each test file runs whole on one worker (loadfile), so a module's costly fixture (one
## LibreOffice run for every demo document, in test_pdf.py) runs once, not once per worker;
## the slowest files first (tests/conftest.py: SLOWEST_FIRST).
test: $(STAMP)
	$(BIN)/ruff check generator tests tools bench
	$(BIN)/clausier check
	$(BIN)/pytest -q -n auto --dist loadfile --no-loadscope-reorder

## make fuzz: the property-based tests with a large budget (fifty times `make test`'s), with
## hypothesis's statistics: how many cases ran, how many were refused by the answers model
fuzz: $(STAMP)
	CLAUSIER_FUZZ=1 $(BIN)/pytest -q tests/test_properties.py --hypothesis-show-statistics

## make mutate: mutation testing of the legal layer (generator/legal/) with mutmut: each
## mutant is run against tests/test_findings.py in a copy of the code in mutants/ (a few
## minutes); lists the survivors at the end (`.venv/bin/mutmut show NAME` shows one)
MUTATE_STAMP := $(VENV)/.mutate-stamp
$(MUTATE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,mutate]'
	touch $(MUTATE_STAMP)

mutate: $(MUTATE_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run
	$(BIN)/mutmut results

## make bench: speed and memory against the budgets of docs/design.md, as a table of medians
## and ratios (about a minute; run it on a quiet machine), then make interview-bench
bench: $(STAMP) interview-bench
	$(BIN)/python bench/run.py

## make interview-bench: each example's interview answered from scratch: prompts, keystrokes,
## and the time of two whole interviews typed into the prompts (a few minutes), as a table and
## as $(OUT)/bench/interview.json (BEFORE=old.json shows the change against an earlier run)
interview-bench: $(STAMP)
	$(BIN)/python bench/interview.py --json $(OUT)/bench/interview.json \
		$(if $(BEFORE),--before $(BEFORE),)

## make locales: extract the interface's messages (the interview's, and what is said of a
## mistaken answers file) into locales/clausier.pot, bring the French and
## English catalogs up to date, compile them (.mo files are committed). Translate in
## locales/fr/LC_MESSAGES/clausier.po, then run it again.
POT := locales/clausier.pot
locales: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k _ -k N_ -k gettext \
		--sort-output --add-location=file --project clausier --version 0.1.0 \
		--header-comment "# Translations template for the clausier interview (make locales)." \
		-o $(POT).new generator/interview generator/answers
	@# Keep the template (and its date) unless a message changed, so a rerun changes nothing.
	@if diff -q -I '^"POT-Creation-Date: ' $(POT) $(POT).new >/dev/null 2>&1; \
		then rm $(POT).new; else mv $(POT).new $(POT); fi
	$(BIN)/pybabel update -D clausier -i $(POT) -d locales -l fr --ignore-obsolete --init-missing
	$(BIN)/pybabel update -D clausier -i $(POT) -d locales -l en --ignore-obsolete --init-missing \
		--no-fuzzy-matching
	$(BIN)/python tools/english_catalog.py locales/en/LC_MESSAGES/clausier.po
	$(BIN)/pybabel compile -D clausier -d locales --statistics

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache mutants
