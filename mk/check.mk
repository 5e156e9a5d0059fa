# make check: install what is missing, build, run every suite in tests/suites/ under the Pds it is
# meant for (tests/run.sh --list): this machine's Pd 0.53, and Debian 13's Pd 0.55 in the chroot
# build/pd-0.55, which tests/run.sh makes once through scripts/pd-chroot.sh (root or sudo, ~30 s).
# A chroot that cannot be made is a FAIL per 0.55 suite, never a silent skip.
#   make pd-chroot   make (or check) build/pd-0.55 alone
check:
	./scripts/install-deps.sh base check deken ports-build
	$(MAKE) all
	tests/run.sh

pd-chroot:
	./scripts/pd-chroot.sh

.PHONY: check pd-chroot
