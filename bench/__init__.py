"""Benchmarks. Separate from tests; each writes JSON under bench/results/."""
