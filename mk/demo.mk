# make demo: install what is missing, build, render examples/pump.pd (kick + pad, 4 bars) to
# demo/pump.wav, examples/voice-over.pd (a voice ducking a pad, with and without range and
# hold) and examples/slow-release.pd (stabs and a long note, with and without slow_release)
# through pd -batch, draw demo/pump.png, demo/voice-over.png, demo/slow-release.png and
# demo/static-curve.png, print a summary of measured numbers.
# make docs-pictures: the same plus screenshots of the help patch and each of its subpatches
# (demo/help.png, demo/help-<subpatch>.png, under Xvfb) and of sidecar-panel~ at work
# (demo/panel.png), then copy the six README pictures to docs/.
demo:
	./scripts/install-deps.sh base demo
	$(MAKE) all
	./scripts/demo.sh demo
	gnuplot -e "outfile='demo/static-curve.png'" scripts/static-curve.gp

docs-pictures: demo
	./scripts/install-deps.sh gui
	./scripts/help-screenshot.sh demo/help.png --subpatches
	./scripts/panel-screenshot.sh demo/panel.png
	mkdir -p docs
	cp demo/pump.png demo/voice-over.png demo/slow-release.png demo/static-curve.png demo/help.png \
	    demo/panel.png docs/

.PHONY: demo docs-pictures
