"""Engagements: focus groups and independent reviews, invitations to them and attendance."""
