# customer_mdm: the two commands are `make demo` and `make test`.
# Both install whatever is missing first (scripts/setup.sh).
.PHONY: demo demo-stop test setup install bench bench-quick bench-functions bench-realtime bench-merge bench-quality fmt clean

demo: install
	scripts/demo.sh

demo-stop:
	scripts/demo.sh stop

test: setup
	scripts/test.sh

setup:
	scripts/setup.sh

# Benchmarks, not part of `make test` (too slow): every peer on the same
# data in one run, tables printed and written to bench/results/.
bench: setup
	bench/run.sh

bench-quick: setup
	bench/run.sh --quick

# The function micro-benchmarks alone (part of `make bench`).
bench-functions: setup
	bench/functions.sh

# Realtime detection under pgbench alone (part of `make bench`): inserts
# into a registered table of 1M generated customers.
bench-realtime: setup
	bench/realtime.sh

# Merging alone (part of `make bench`): merges against 10M referencing rows,
# merge_all over 10,000 clusters.
bench-merge: setup
	bench/merge.sh

# The quality reports alone (part of `make bench`), over 1M customers.
bench-quality: setup
	bench/quality.sh

install: setup
	scripts/install.sh

fmt:
	cargo fmt

clean: demo-stop
	cargo clean
