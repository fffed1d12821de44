"""The benchmark suite of issue 11 (``make bench``; see bench/README.md)."""
