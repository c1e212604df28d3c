"""Evaluation against the starter corpus's labels. The only code that reads corpus/labels/."""
