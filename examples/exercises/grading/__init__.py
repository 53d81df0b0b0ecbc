"""The grader of the exercises: `core` holds what every exercise shares, and each `exN` module
says how exercise N's parts are checked. `grade.py`, one folder up, runs them."""
