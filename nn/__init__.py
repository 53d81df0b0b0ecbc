"""nn: neural networks built on autograd."""
