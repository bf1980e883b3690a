"""Independent case reviews: case summaries, reviewers' assessments against the Victims' Code, and
the learning that becomes findings."""
