# make check: install what is missing, build, run every suite in tests/suites/.
check:
	./scripts/install-deps.sh base check deken
	$(MAKE) all
	tests/run.sh

.PHONY: check
