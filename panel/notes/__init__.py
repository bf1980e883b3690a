"""Session notes: what was said at a held session, written by its facilitator and kept only once
the redaction engine (``panel.redaction``) has replaced what could identify anyone."""
