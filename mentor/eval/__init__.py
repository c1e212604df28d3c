"""Evaluation: the starter corpus's labels (the only code that reads corpus/labels/) and labelled
sets of thread files (`mentor eval --threads DIR --labels FILE`)."""
