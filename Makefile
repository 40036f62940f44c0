# Everything runs from a project-local virtual environment, created on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: demo run test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make demo: build every example agreement, in French and in English, into out/demo
demo: $(STAMP)
	$(BIN)/clausier demo --out $(OUT)/demo --force

## make run ANSWERS=my-case.yaml: build the documents for your answers file into out/
run: $(STAMP)
	@if [ -z "$(ANSWERS)" ]; then \
		echo "usage: make run ANSWERS=path/to/answers.yaml (see examples/ and README.md)"; exit 2; fi
	$(BIN)/clausier build $(ANSWERS) --out $(OUT)

## make test: lint, check the clause library, run the test suite
test: $(STAMP)
	$(BIN)/ruff check generator tests tools
	$(BIN)/clausier check
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
