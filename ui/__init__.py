"""The touch screens and the command line: the composition root."""
