"""Joining the panel online: the question pages, check your answers, and verifying the email."""
