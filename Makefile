# The two commands of the README's quick start. Both set everything up first and are idempotent.
.PHONY: run test setup
run: setup
	.venv/bin/qa serve
test:
	bash scripts/test.sh
setup:
	bash scripts/setup.sh
