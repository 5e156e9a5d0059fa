# make bench: sidecar~ against Faust's co.compressor_stereo in real `pd -batch` runs (a few
# minutes). Installs what is missing (Faust, valgrind, ...), builds the object, builds the Faust
# peer with faust2puredata, and writes the tables to bench/out/report.md, among them what each
# v0.2 option costs when on (callgrind). Not a test: nothing here asserts a time. BENCH_REPS=3 or
# BENCH_SKIP=callgrind,silence,options shorten it (see bench/run.sh); bench/step.sh [all|options]
# is the minute-long check for one optimisation step.
bench:
	./scripts/install-deps.sh base bench
	$(MAKE) all
	bench/run.sh

.PHONY: bench
