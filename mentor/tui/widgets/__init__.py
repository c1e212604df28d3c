"""The chat's widgets, each in its own module, styled by widgets.tcss."""
