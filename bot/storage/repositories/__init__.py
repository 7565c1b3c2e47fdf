"""Repositories: SQL lives here, next to the code that needs it. They never commit."""
