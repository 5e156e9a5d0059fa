# Ports (issue 14): every binary of the deken package, cross-built on this one Linux machine with
# Debian's compilers, and the release check that runs them in real Pds.
#   make ports        the float and double binaries for Linux arm64, Linux armv7 (hard-float) and
#                     Windows x86-64, next to this machine's own two (see "Platforms" in
#                     README.md for the file names and what each Pd looks for)
#   make check-ports  make ports, then tests/ports.sh: each port in a Pd of its own (Debian 13's
#                     arm64/armhf Pd under qemu-user, a Windows Pd built from Pd's sources under
#                     wine, a double-precision Pd), every render byte-identical to x86-64 Linux;
#                     ends "N passed, N failed, N skipped". PD_SRC=... names the Pd sources for
#                     the Windows and double Pds (default ../shared/fixtures/pure-data-0.56-5.tar.xz)
#
# Float binaries take the per-CPU legacy names that every float Pd, 0.51 to 0.56, looks for
# before the plain .pd_linux/.dll (.l_arm64, .l_arm, .m_amd64): one file per port, found by old
# and new Pds alike, and never taken by a Pd of another CPU. Double binaries take the only names
# a Pd64 looks for (.linux-arm64-64.so, ...), from the Makefile's pd64.extension.
# Every cross build keeps its object files in build/ports/obj/<port>-<floatsize>, so no build
# touches another's (nor this machine's own, next to the sources).

ports.targets = linux-arm64 linux-armv7 windows-amd64
ports.cc.linux-arm64 = aarch64-linux-gnu-gcc
ports.cc.linux-armv7 = arm-linux-gnueabihf-gcc
ports.cc.windows-amd64 = x86_64-w64-mingw32-gcc
ports.ext32.linux-arm64 = l_arm64
ports.ext32.linux-armv7 = l_arm
ports.ext32.windows-amd64 = m_amd64
ports.ext64.linux-arm64 = linux-arm64-64.so
ports.ext64.linux-armv7 = linux-armv7-64.so
ports.ext64.windows-amd64 = windows-amd64-64.dll
# Windows links against an import library for pd.dll made from Pd's headers (no Windows Pd
# needed to build); it goes last on the link line, where ld looks for what the objects lack. No
# time stamp in the DLL, and the import library named by a relative path (ld orders the import
# tables by the libraries' path names), so that two builds, in any folder, give the same bytes.
ports.importdir = build/ports/pd-import
ports.args.windows-amd64 = PDBINDIR="$(ports.importdir)" \
    ldlibs="$(ports.importdir)/pd.dll" LDFLAGS=-Wl,--no-insert-timestamp

# deken's names for them: (Linux-arm64-32)(Linux-arm64-64)...(Windows-amd64-64)
ports.deken.os = $(subst linux,Linux,$(subst windows,Windows,$(word 1, $(subst -, ,$1))))
ports.deken.space := $(eval) $(eval)
ports.deken.archs = $(subst $(ports.deken.space),,$(foreach t, $(ports.targets), \
    $(foreach f, 32 64, ($(call ports.deken.os,$t)-$(word 2, $(subst -, ,$t))-$f))))
# the port binaries by name (for install, deken and clean)
ports.files = $(foreach t, $(ports.targets), \
    $(addsuffix .$(ports.ext32.$t), $(classes)) $(addsuffix .$(ports.ext64.$t), $(classes)))

# ports-build PORT FLOATSIZE: one cross build (pd-lib-builder takes the target from $(CC))
define ports-build
	$(MAKE) all CC=$(ports.cc.$1) floatsize=$2 objdir=build/ports/obj/$1-$2 \
	    PDINCLUDEDIR="$(PDINCLUDEDIR)" $(if $(filter 32, $2), extension=$(ports.ext32.$1)) \
	    $(ports.args.$1)

endef

ifeq ($(pdlibbuilder),)
ports check-ports: all
	$(MAKE) $@
else
ports:
	./scripts/install-deps.sh base ports-build
	$(MAKE) all floatsize=32
	$(MAKE) all floatsize=64
	./scripts/pd-importlib.sh "$(PDINCLUDEDIR)" $(ports.importdir)
	$(foreach t, $(ports.targets), $(foreach f, 32 64, $(call ports-build,$t,$f)))
	@for f in $(ports.files); do test -f "$$f" || { echo "ports: $$f was not built" >&2; exit 1; }; done
	@echo "ports: $(ports.files)"

check-ports:
	./scripts/install-deps.sh base check ports-build ports
	$(MAKE) ports
	tests/ports.sh
endif

# for the tests: the deken package's name, the port binaries' names
deken-name:
	@echo '$(deken.name)'
ports-files:
	@echo '$(ports.files)'

# make install (and so make deken) installs every port binary that was built, like both of
# this machine's; make clean removes them.
executables += $(filter-out $(executables), $(wildcard $(ports.files)))
clean: clean-ports
clean-ports:
	rm -f $(ports.files)
	rm -rf --one-file-system build/ports/obj $(ports.importdir)

.PHONY: ports check-ports clean-ports deken-name ports-files
