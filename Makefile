# customer_mdm: the two commands are `make demo` and `make test`.
# Both install whatever is missing first (scripts/setup.sh).
.PHONY: demo demo-stop test setup install bench-functions fmt clean

demo: install
	scripts/demo.sh

demo-stop:
	scripts/demo.sh stop

test: setup
	scripts/test.sh

setup:
	scripts/setup.sh

# Not part of `make test`: builds a release, takes about 7 minutes.
bench-functions: setup
	bench/functions.sh

install: setup
	scripts/install.sh

fmt:
	cargo fmt

clean: demo-stop
	cargo clean
