# sidecar~ — a stereo sidechain ducker / compressor for Pure Data.
# Built with pd-lib-builder (Debian's copy by default; override with PDLIBBUILDER_DIR=...).
#
#   make            build sidecar~.pd_linux (installs the Debian packages first when pd-lib-builder
#                   is missing; make deps installs them explicitly)
#   make demo       render examples/pump.pd to demo/pump.wav and draw demo/pump.png
#   make check      install what is missing, build, run every test; ends "N passed, N failed"
#   make install    install object + help into PDLIBDIR (pd-lib-builder's default: Pd's
#                   externals folder; e.g. make install PDLIBDIR=~/.local/lib/pd/extra)
#   make bench      benchmark against Faust's compressor (see bench/)
#   make deken      build/sidecar[v<version>](<OS>-<cpu>-<floatsize>).dek (+ .sha256, .txt)
#   make host       build/host/sidecar-wav: the DSP core on WAV files, no Pd (libsndfile)
#   make version-check   sidecar-meta.pd's VERSION must equal SIDECAR_VERSION
#   make docs-pictures  make demo + a help screenshot (Xvfb), copied to docs/ for README.md
#
# Double-precision Pd: make floatsize=64

lib.name = sidecar
class.sources = sidecar~.c
common.sources = dsp/sidecar.c
datafiles = help/sidecar~-help.pd LICENSE README.md sidecar-meta.pd

# C11, warnings on. No -ffast-math: the core relies on IEEE semantics (and stays deterministic);
# its non-finite tests are bit-level anyway.
cflags = -std=c11 -Idsp
CFLAGS ?= -Wall -Wextra -Wshadow -Wstrict-aliasing -O3 -funroll-loops -fomit-frame-pointer
floatsize ?= 32
ifeq ($(floatsize),64)
  cflags += -DPD_FLOATSIZE=64
endif

PDLIBBUILDER_DIR ?= /usr/share/pd-lib-builder
pdlibbuilder := $(wildcard $(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder)

ifneq ($(pdlibbuilder),)
include $(pdlibbuilder)
else
# Fresh machine: install the Debian packages, then build with them.
all:
	./scripts/install-deps.sh base
	@test -f "$(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder" || { \
	    echo "no Makefile.pdlibbuilder in PDLIBBUILDER_DIR=$(PDLIBBUILDER_DIR)" >&2; exit 1; }
	$(MAKE) all
install: all
	$(MAKE) install
clean:
	rm -f *.o dsp/*.o *.pd_linux
endif

# The project's own targets (check, demo, bench, ...) live in mk/*.mk, one fragment per task.
.DEFAULT_GOAL := all
-include $(sort $(wildcard mk/*.mk))

deps:
	./scripts/install-deps.sh base

.PHONY: deps
