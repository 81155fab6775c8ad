"""Report formats: one module per format, each a pure function of an Analysis."""
