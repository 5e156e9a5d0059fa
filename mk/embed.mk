# Packaging and embedding (issue 7).
#   make version-check  sidecar-meta.pd's VERSION must equal SIDECAR_VERSION in dsp/sidecar.h
#   make deken          build/sidecar[v<version>](<OS>-<cpu>-<floatsize>).dek, its .sha256
#                       and its .txt object list (DEKDIR=dir to put them elsewhere)
#   make host           build/host/sidecar-wav: the DSP core on WAV files, no Pd (libsndfile)
#
# The one version string is SIDECAR_VERSION in dsp/sidecar.h (the object's `print` shows it).
# sidecar-meta.pd repeats it because pd-lib-builder and deken read it from there; version-check
# (run by `make deken` and by the test suite) refuses any drift between the two.

sidecar.version := $(shell sed -n 's/^\#define SIDECAR_VERSION "\(.*\)"/\1/p' dsp/sidecar.h)
sidecar.metaversion := $(shell sed -n \
    's/^\#X text [0-9][0-9]* [0-9][0-9]* VERSION \(.*\);/\1/p' $(lib.name)-meta.pd)

# Installed (and so packaged) with the object, help and licence.
datafiles += $(filter-out $(datafiles), $(lib.name)-meta.pd)

# deken's architecture names: <OS>-<cpu>-<floatsize>, e.g. Linux-amd64-32. pd-lib-builder has
# already worked out $(system) and $(target.arch) from the compiler.
deken.cpu.x86_64 = amd64
deken.cpu.aarch64 = arm64
deken.cpu.arm = armv7
deken.cpu := $(or $(deken.cpu.$(target.arch)), \
    $(if $(filter i%86, $(target.arch)), i386), $(target.arch))
deken.arch = $(system)-$(deken.cpu)-$(floatsize)
deken.name = $(lib.name)[v$(sidecar.version)]($(deken.arch))
DEKDIR ?= build
deken.stage = $(DEKDIR)/deken-stage

version-check:
	@test -n "$(sidecar.version)" || { echo "no SIDECAR_VERSION in dsp/sidecar.h" >&2; exit 1; }
	@test "$(sidecar.version)" = "$(sidecar.metaversion)" || { echo "version mismatch:" \
	    "dsp/sidecar.h says '$(sidecar.version)', $(lib.name)-meta.pd says" \
	    "'$(sidecar.metaversion)'" >&2; exit 1; }
	@echo "version $(sidecar.version)"

# A .dek is a zip holding the installed library folder. Debian's `deken` command would make
# the same thing, but it installs itself from the network on first run; zip works offline.
ifeq ($(pdlibbuilder),)
# Fresh machine: `all` installs pd-lib-builder first; a new make then knows the architecture.
deken: all
	$(MAKE) deken
else
deken: version-check all
	./scripts/install-deps.sh deken
	rm -rf "$(deken.stage)" "$(DEKDIR)/$(deken.name).dek"*
	$(MAKE) install PDLIBDIR="$(abspath $(deken.stage))" DESTDIR=
	@# pd-lib-builder's install loop does not stop on a missing file: check before zipping.
	@for f in $(notdir $(executables) $(datafiles)); do \
	    test -f "$(deken.stage)/$(lib.name)/$$f" || \
	    { echo "deken: $$f was not installed" >&2; exit 1; }; done
	cd "$(deken.stage)" && zip -q -r -X "../$(deken.name).dek" $(lib.name)
	cd "$(DEKDIR)" && sha256sum "$(deken.name).dek" > "$(deken.name).dek.sha256"
	printf '%s\t%s\n' 'sidecar~' 'stereo sidechain ducker / compressor' \
	    > "$(DEKDIR)/$(deken.name).dek.txt"
	rm -rf "$(deken.stage)"
	@echo "deken package: $(DEKDIR)/$(deken.name).dek"
endif

host:
	./scripts/install-deps.sh base check
	$(MAKE) -C examples/host BUILD="$(abspath build/host)"

.PHONY: version-check deken host
