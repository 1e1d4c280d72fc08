"""Benchmarks: `make bench` runs them; results land in bench/results/."""
