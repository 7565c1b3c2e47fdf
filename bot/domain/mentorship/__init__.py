"""Mentorship rules: requests and routing (``requests``, ``routing``), matches (``matches``)."""
