# make demo: install what is missing, build, render examples/pump.pd (kick + pad, 4 bars) through
# pd -batch to demo/pump.wav, draw demo/pump.png and demo/static-curve.png, print a summary.
# make docs-pictures: the same plus a screenshot of the help patch (demo/help.png, under Xvfb),
# then copy the three pictures to docs/, where README.md shows them.
demo:
	./scripts/install-deps.sh base demo
	$(MAKE) all
	./scripts/demo.sh demo
	gnuplot -e "outfile='demo/static-curve.png'" scripts/static-curve.gp

docs-pictures: demo
	./scripts/install-deps.sh gui
	./scripts/help-screenshot.sh demo/help.png
	mkdir -p docs
	cp demo/pump.png demo/static-curve.png demo/help.png docs/

.PHONY: demo docs-pictures
