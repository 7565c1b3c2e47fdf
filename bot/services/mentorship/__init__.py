"""Mentorship use cases."""
