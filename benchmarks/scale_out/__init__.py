"""The scale-out stack (issue 19): benchmarks/scale_out.py runs it; tests/scale/ test it."""
