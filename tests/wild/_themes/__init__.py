"""The themes of the fidelity corpus: one module per store, each returning a :class:`Store`."""
