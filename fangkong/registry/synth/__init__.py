"""Synthetic registry data at district scale for benchmarks (`fangkong synth`): the builder,
the area tree, the rows and their resident IDs."""
