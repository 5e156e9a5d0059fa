# make demo: install what is missing, build, render examples/pump.pd (kick + pad, 4 bars) through
# pd -batch to demo/pump.wav, draw demo/pump.png and demo/static-curve.png, print a summary.
# make docs-pictures: the same, then copy both pictures to docs/ (the ones README.md shows).
demo:
	./scripts/install-deps.sh base demo
	$(MAKE) all
	./scripts/demo.sh demo
	gnuplot -e "outfile='demo/static-curve.png'" scripts/static-curve.gp

docs-pictures: demo
	mkdir -p docs
	cp demo/pump.png docs/pump.png
	cp demo/static-curve.png docs/static-curve.png

.PHONY: demo docs-pictures
