"""`python -m autograd.draw`: the command line of `autograd.draw.cli`."""

import sys

from autograd.draw.cli import main

if __name__ == "__main__":  # imported (by the docstring tests, say), it does nothing
    sys.exit(main())
