# Convenience targets; ./run is the entry point (it works where make is not installed).
.PHONY: demo test lint bench setup
demo test lint bench setup:
	./run $@
