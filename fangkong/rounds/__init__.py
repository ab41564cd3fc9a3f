"""Patrol and disinfection rounds (巡逻检查、消杀作业): places, plans, records, overdue rounds."""
