"""Whether the panel looks like the people it speaks for: targets and the dashboard."""
