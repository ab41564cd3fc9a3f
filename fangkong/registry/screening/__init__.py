"""Screening rounds (摸排): door-to-door passes, their visits, and what changed between
rounds."""
