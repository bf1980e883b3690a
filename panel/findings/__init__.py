"""Findings: what was learnt at a session or a review, anonymised, with its themes and quotes;
staff approve them before they reach the insight library."""
