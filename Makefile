# sidecar~ — a stereo sidechain ducker / compressor for Pure Data.
# Built with pd-lib-builder (Debian's copy by default; override with PDLIBBUILDER_DIR=...).
#
#   make            build sidecar~.pd_linux (installs the Debian packages first when pd-lib-builder
#                   is missing; make deps installs them explicitly)
#   make floatsize=64   build sidecar~.linux-amd64-64.so for a double-precision Pd ("Pd64"), beside
#                   the float build (its objects go to build/obj64/, so neither build touches
#                   the other's files)
#   make demo       render examples/pump.pd to demo/pump.wav and draw demo/pump.png
#   make check      install what is missing, build, run every test; ends "N passed, N failed"
#   make install    install into PDLIBDIR/sidecar/ (pd-lib-builder's default PDLIBDIR: Pd's
#                   externals folder; e.g. make install PDLIBDIR=~/.local/lib/pd/extra) every
#                   binary that was built (float, double or both), help/, LICENSE, README.md,
#                   sidecar-meta.pd
#   make clean      remove both builds (objects and binaries) and the deken packages in build/
#   make bench      benchmark against Faust's compressor (see bench/)
#   make deken      build every binary (make ports), then build/sidecar[v<version>](Linux-amd64-32)
#                   ...(Windows-amd64-64).dek (+ .sha256, .txt) and build/sidecar[v<version>](Sources).dek
#                   (+ .sha256)
#   make ports      cross-build the Linux arm64, Linux armv7 and Windows x86-64 binaries, float and
#                   double (mk/ports.mk)
#   make check-ports  the release check: every port's binary in a Pd of its platform (qemu-user,
#                   wine), renders byte-identical to this machine's; "N passed, N failed, N skipped"
#   make host       build/host/sidecar-wav: the DSP core on WAV files, no Pd (libsndfile)
#   make version-check   sidecar-meta.pd's VERSION must equal SIDECAR_VERSION
#   make docs-pictures  make demo + a help screenshot (Xvfb), copied to docs/ for README.md

lib.name = sidecar
class.sources = sidecar~.c
common.sources = dsp/sidecar.c
# The help patches stay in help/ when installed, as in the source tree: the class's help symbol
# is help/sidecar~, which Pd looks up relative to the folder the binary was loaded from. For an
# abstraction Pd looks only beside it: sidecar-panel~-help.pd there opens help/'s and is closed.
datafiles = LICENSE README.md sidecar-meta.pd sidecar-panel~.pd sidecar-panel~-help.pd
datadirs = help

# C11, warnings on. No -ffast-math: the core relies on IEEE semantics (and stays deterministic);
# its non-finite tests are bit-level anyway.
cflags = -std=c11 -Idsp
# These flags hold with any pd-lib-builder: upstream's 0.7 sets CFLAGS itself, with -ffast-math,
# wherever it is not given on the command line. A CFLAGS from the command line or the
# environment still replaces them.
sidecar.CFLAGS = -Wall -Wextra -Wshadow -Wstrict-aliasing -O3 -funroll-loops -fomit-frame-pointer
ifeq ($(origin CFLAGS),environment)
  override CFLAGS := $(CFLAGS)
else ifneq ($(origin CFLAGS),command line)
  override CFLAGS = $(sidecar.CFLAGS)
endif

# --- float and double precision ---------------------------------------------------------------
# Pd's names for the CPU (the same in deken's package names and in the file names Pd 0.54+ looks
# for), from pd-lib-builder's $(target.arch); $(system) is Linux, Darwin or Windows. Recursive
# variables: pd-lib-builder works out target.arch and system after this point.
pd.cpu.x86_64 = amd64
pd.cpu.aarch64 = arm64
pd.cpu.arm = armv7
# A universal macOS build (make arch="arm64 x86_64") is Pd's "fat": sidecar~.darwin-fat-64.so.
pd.cpu.one = $(or $(pd.cpu.$(target.arch)), $(if $(filter i%86, $(target.arch)), i386), $(target.arch))
pd.cpu = $(if $(and $(filter Darwin, $(system)), $(word 2, $(arch))),fat,$(pd.cpu.one))
pd.os = $(subst Linux,linux,$(subst Darwin,darwin,$(subst Windows,windows,$(system))))
# A float Pd (0.51 and later) loads pd-lib-builder's default name, sidecar~.pd_linux (on macOS
# .pd_darwin, on Windows .dll). A double-precision Pd 0.54+ loads only the new-style name,
# sidecar~.linux-amd64-64.so (darwin-arm64-64.so, windows-amd64-64.dll, ...).
pd32.extension.Linux = pd_linux
pd32.extension.Darwin = pd_darwin
pd32.extension.Windows = dll
pd32.extension = $(pd32.extension.$(system))
pd64.extension = $(pd.os)-$(pd.cpu)-64.$(if $(filter Windows, $(system)),dll,so)
# the sources under their own names: the clean rule and the deken target need them whatever the
# floatsize
sources.c := $(class.sources) $(common.sources)
obj64 := build/obj64

floatsize ?= 32
# objdir: a folder of its own for the object files, so that no build touches another's: the
# double build uses build/obj64; make ports gives each cross build its own (see mk/ports.mk).
# The float build for this machine leaves its objects next to the sources (pd-lib-builder's way).
objdir ?= $(if $(filter 64, $(floatsize)), $(obj64))
ifeq ($(floatsize),64)
  cflags += -DPD_FLOATSIZE=64
  override extension = $(pd64.extension)
endif
ifneq ($(strip $(objdir)),)
  # pd-lib-builder names each object file after its source. Hand it the sources as if they sat
  # in $(objdir)/: its link rule then takes $(objdir)/sidecar~.o and so on, which the rule
  # at the end of this file compiles from the real sources. (Header dependencies of these
  # objects are declared there too; pd-lib-builder's own tracking would look for the sources in
  # $(objdir)/.)
  override objdir := $(strip $(objdir))
  class.sources := $(addprefix $(objdir)/, $(class.sources))
  common.sources := $(addprefix $(objdir)/, $(common.sources))
  override disable-dependency-tracking = yes
endif

PDLIBBUILDER_DIR ?= /usr/share/pd-lib-builder
pdlibbuilder := $(wildcard $(PDLIBBUILDER_DIR)/Makefile.pdlibbuilder)

ifneq ($(pdlibbuilder),)
include $(pdlibbuilder)

ifneq ($(objdir),)
# pd-lib-builder 0.6 wants $(objdir)/sidecar~.o, 0.7 $(objdir)/sidecar~.<extension>.o
$(objdir)/%.o $(objdir)/%.$(extension).o: %.c $(wildcard dsp/*.h) $(MAKEFILE_LIST)
	@mkdir -p $(@D)
	$(call make-object-file,c)
endif

# make install installs every binary that exists, whichever floatsize this make builds.
executables += $(filter-out $(executables), $(wildcard \
    $(addsuffix .$(pd32.extension), $(classes)) $(addsuffix .$(pd64.extension), $(classes))))

# make clean removes both builds, whichever floatsize it is given.
clean: clean-both
clean-both:
	rm -f $(addsuffix .$(pd32.extension), $(classes)) $(addsuffix .$(pd64.extension), $(classes))
	rm -f $(addsuffix .o, $(basename $(sources.c))) \
	    $(addsuffix .$(pd32.extension).o, $(basename $(sources.c)))
	rm -rf --one-file-system $(obj64)
	rm -f build/$(lib.name)\[v*.dek build/$(lib.name)\[v*.dek.sha256 \
	    build/$(lib.name)\[v*.dek.txt

.PHONY: clean-both
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
	rm -f *.o dsp/*.o *.pd_linux *-64.so
	rm -rf --one-file-system $(obj64)
endif

# The project's own targets (check, demo, bench, ...) live in mk/*.mk, one fragment per task.
.DEFAULT_GOAL := all
-include $(sort $(wildcard mk/*.mk))

deps:
	./scripts/install-deps.sh base

.PHONY: deps
