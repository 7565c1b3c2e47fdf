"""Intro rounds: grouping (pure), and the rules of schedules, check-ins and ghosts."""
