"""Reproducible benchmarks: ``python -m bench`` (``make bench``) prints medians of several runs."""
