"""The scale benchmark's parts: the world written in bulk (world, rows), then measured (pages, figures, load).

Run by `benchmarks/scale.py` (`make bench`); see benchmarks/README.md, Scale.
"""
