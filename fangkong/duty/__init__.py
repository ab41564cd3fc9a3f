"""Duty (值守): posts staffed around the clock, their shifts and rosters, and attendance."""
