# The two commands of README.md. Each sets up what it needs first (scripts/bootstrap.sh).
.PHONY: run test bench bootstrap bootstrap-test lint format clean

## make run: set up, migrate, load the demo data and run web + worker + beat + Redis (Ctrl-C stops)
run: bootstrap
	bash scripts/run.sh

## make test: set up, then ruff, the suite on SQLite, the browser tests, the suite on PostgreSQL 15
test: bootstrap-test
	bash scripts/test.sh

## make bench: the scale benchmark on a throwaway PostgreSQL 15 and Redis (benchmarks/README.md, Scale);
## BENCH_ARGS="--quick" for 1,000 holders and a 10 s load, BENCH_ARGS="--holders 10000" for one size
bench: bootstrap-test
	bash scripts/bench.sh $(BENCH_ARGS)

bootstrap:
	bash scripts/bootstrap.sh run

bootstrap-test:
	bash scripts/bootstrap.sh test

lint: bootstrap-test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: bootstrap-test
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

## make clean: remove the local database, Redis data, collected static files and test artifacts
clean:
	rm -rf var staticfiles test-artifacts .pytest_cache .ruff_cache
