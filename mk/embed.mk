# Packaging and embedding (issues 7 and 11).
#   make version-check  sidecar-meta.pd's VERSION must equal SIDECAR_VERSION in dsp/sidecar.h
#   make deken          builds every binary (make ports: this machine's float and double ones,
#                       and those of every port in mk/ports.mk), then in DEKDIR (default build/):
#                       sidecar[v<version>](Linux-amd64-32)(Linux-amd64-64)(Linux-arm64-32)...
#                       (Windows-amd64-64).dek with all of them side by side, the help and every
#                       datafile/datadir of the Makefile; its .dek.sha256 and its .dek.txt object
#                       list; sidecar[v<version>](Sources).dek (+ .sha256) with the files git
#                       tracks. Two runs give byte-identical files.
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

# deken's package names: name[vVERSION](OS-cpu-floatsize)...: one package holds the float and the
# double binary, e.g. sidecar[v0.2.0](Linux-amd64-32)(Linux-amd64-64).dek. $(system) and $(pd.cpu)
# come from pd-lib-builder's view of the compiler (see the Makefile).
deken.archs = ($(system)-$(pd.cpu)-32)($(system)-$(pd.cpu)-64)$(ports.deken.archs)
deken.name = $(lib.name)[v$(sidecar.version)]$(deken.archs)
deken.srcname = $(lib.name)[v$(sidecar.version)](Sources)
DEKDIR ?= build
deken.stage = $(DEKDIR)/deken-stage
# Fixed file times in the packages, so that two runs give byte-identical files: the time of the
# last commit (reproducible-builds.org's SOURCE_DATE_EPOCH, which overrides it), never before
# 1980 (the earliest a zip can store). zip stores local time: it runs with TZ=UTC0.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)
deken.epoch = $(shell e='$(SOURCE_DATE_EPOCH)'; [ "$${e:-0}" -ge 315532800 ] 2>/dev/null \
    && echo "$$e" || echo 315532800)
# The objects deken lists besides the classes: the abstractions shipped beside the object.
deken.abstractions = sidecar-panel~
# The .dek.txt object list: each object, a tab, the DESCRIPTION of its help's [pd META] (the
# record may be wrapped over lines; ", f N" is a box width; Pd writes a comma as " \,").
deken.describe = awk 'BEGIN { RS = ";\n" } { gsub(/\n/, " ") } \
    /^\#X text [0-9]+ [0-9]+ DESCRIPTION / { sub(/^\#X text [0-9]+ [0-9]+ DESCRIPTION /, ""); \
    sub(/, f [0-9]+$$/, ""); gsub(/ ?\\,/, ","); gsub(/ ?\\;/, ";"); gsub(/\\/, ""); \
    print; exit }'

version-check:
	@test -n "$(sidecar.version)" || { echo "no SIDECAR_VERSION in dsp/sidecar.h" >&2; exit 1; }
	@test "$(sidecar.version)" = "$(sidecar.metaversion)" || { echo "version mismatch:" \
	    "dsp/sidecar.h says '$(sidecar.version)', $(lib.name)-meta.pd says" \
	    "'$(sidecar.metaversion)'" >&2; exit 1; }
	@echo "version $(sidecar.version)"

# A .dek is a zip holding the installed library folder. Debian's `deken` command would make
# the same thing, but it installs itself from the network on first run; zip works offline.
# deken-zip DIR ARCHIVE: zip the folder DIR/$(lib.name) (names sorted, fixed times and modes, no
# extra fields) into ARCHIVE (relative to DIR), then write ARCHIVE.sha256 as deken does: the hex
# digest alone.
define deken-zip
	find "$1/$(lib.name)" -exec touch -h -d @$(deken.epoch) {} +
	find "$1/$(lib.name)" -type d -exec chmod 755 {} +
	find "$1/$(lib.name)" -type f -perm -u+x -exec chmod 755 {} +
	find "$1/$(lib.name)" -type f ! -perm -u+x -exec chmod 644 {} +
	cd "$1" && find $(lib.name) | LC_ALL=C sort | TZ=UTC0 zip -q -X -@ "$2"
	sha256sum "$1/$2" | cut -d' ' -f1 | tr -d '\n' > "$1/$2.sha256"
endef

ifeq ($(pdlibbuilder),)
# Fresh machine: `all` installs pd-lib-builder first; a new make then knows the architecture.
deken: all
	$(MAKE) deken
else
deken: version-check
	./scripts/install-deps.sh deken
	$(MAKE) ports
	rm -rf --one-file-system "$(deken.stage)"
	rm -f "$(DEKDIR)/$(deken.name).dek"* "$(DEKDIR)/$(deken.srcname).dek"*
	$(MAKE) install floatsize=32 PDLIBDIR="$(abspath $(deken.stage))/bin" DESTDIR=
	@# pd-lib-builder's install loop does not stop on a missing file: check before zipping.
	@for f in $(addsuffix .$(pd32.extension), $(classes)) \
	    $(addsuffix .$(pd64.extension), $(classes)) $(ports.files) $(notdir $(datafiles)) \
	    $(foreach d, $(datadirs), $(wildcard $d/*)); do \
	    test -f "$(deken.stage)/bin/$(lib.name)/$$f" || \
	    { echo "deken: $$f was not installed" >&2; exit 1; }; done
	cd "$(deken.stage)/bin/$(lib.name)" && chmod 755 $(addsuffix .$(pd32.extension), $(classes)) \
	    $(addsuffix .$(pd64.extension), $(classes)) $(ports.files)
	$(call deken-zip,$(deken.stage)/bin,../../$(deken.name).dek)
	for c in $(classes) $(deken.abstractions); do \
	    printf '%s\t%s\n' "$$c" "$$($(deken.describe) "help/$$c-help.pd")"; \
	done > "$(DEKDIR)/$(deken.name).dek.txt"
	@if grep -q "$$(printf '\t')$$" "$(DEKDIR)/$(deken.name).dek.txt"; then \
	    echo "deken: no DESCRIPTION in a help patch's [pd META]" >&2; exit 1; fi
	@# the (Sources) package: the files git tracks, as they are in the work tree
	@test -n "$$(git ls-files 2>/dev/null)" || \
	    { echo "deken: the (Sources) package needs a git checkout" >&2; exit 1; }
	mkdir -p "$(deken.stage)/src/$(lib.name)"
	git ls-files -z | xargs -0 sh -c \
	    'for f; do if [ -f "$$f" ]; then cp --parents "$$f" "$$0" || exit 1; fi; done' \
	    "$(deken.stage)/src/$(lib.name)"
	$(call deken-zip,$(deken.stage)/src,../../$(deken.srcname).dek)
	rm -rf --one-file-system "$(deken.stage)"
	@echo "deken packages: $(DEKDIR)/$(deken.name).dek, $(DEKDIR)/$(deken.srcname).dek"
endif

host:
	./scripts/install-deps.sh base check
	$(MAKE) -C examples/host BUILD="$(abspath build/host)"

.PHONY: version-check deken host
