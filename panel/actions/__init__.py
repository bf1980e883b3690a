"""Improvement actions: what is done about findings, by which agency, tracked to the end."""
