"""Benchmarks: run with ``python -m benchmarks`` (or ``make bench``); never timed tests."""
