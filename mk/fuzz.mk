# make fuzz: libFuzzer over the DSP core (tests/fuzz/fuzz_core.c: every parameter, the v0.2
# options, trigger, sample-rate changes with the lookahead delay line) with ASan, UBSan and
# LeakSanitizer, for a bounded time (FUZZ_SECONDS, default 60; then a quarter of that over the
# double-precision core), starting from the committed seed corpus (tests/fuzz/make_corpus.py
# writes it). New corpus
# entries go to build/fuzz/corpus (kept between runs); a failing input is saved as
# build/fuzz/crash-* and the run ends non-zero. Replay one:  build/fuzz/fuzz_core FILE
# `make check` runs a short fixed-seed pass of the same binary (tests/suites/50-robust.sh).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_DIR := build/fuzz
FUZZ_FLAGS := -std=c11 -g -O1 -Wall -Wextra -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Idsp

$(FUZZ_DIR)/fuzz_core: tests/fuzz/fuzz_core.c dsp/sidecar.c $(wildcard dsp/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_core.c dsp/sidecar.c -lm -o $@

# the same harness over a double-precision core (t_sample = double, as in Pd built with
# PD_FLOATSIZE=64)
$(FUZZ_DIR)/fuzz_core64: tests/fuzz/fuzz_core.c dsp/sidecar.c $(wildcard dsp/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) $(FUZZ_FLAGS) -DSIDECAR_SAMPLE_DOUBLE tests/fuzz/fuzz_core.c dsp/sidecar.c -lm -o $@

fuzz-build: $(FUZZ_DIR)/fuzz_core $(FUZZ_DIR)/fuzz_core64

fuzz:
	./scripts/install-deps.sh check
	$(MAKE) fuzz-build
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/fuzz_core $(FUZZ_DIR)/corpus tests/fuzz/corpus -max_total_time=$(FUZZ_SECONDS) \
		-timeout=20 -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/
	@mkdir -p $(FUZZ_DIR)/corpus64
	$(FUZZ_DIR)/fuzz_core64 $(FUZZ_DIR)/corpus64 tests/fuzz/corpus \
		-max_total_time=$$(( ($(FUZZ_SECONDS) + 3) / 4 )) -timeout=20 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/double-

.PHONY: fuzz fuzz-build
