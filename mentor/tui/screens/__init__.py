"""The chat's screens, each with its styles in a .tcss file beside it."""
