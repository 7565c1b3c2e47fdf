"""Mentorship: routing requests to mentors, and the life of a match."""
