"""Observation after arrival (居家 / 集中观察): its life cycle (start, extend, shorten,
release, to hospital, cancel), the lists by state and due date, one observation's timeline
and the printable paperwork. Health reports, alerts and call tasks are arrivals.health."""
