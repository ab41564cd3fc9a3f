"""Health during observation: twice-daily temperature reports (by the person through the
personal self-report link, or by a worker after a call), fever and symptom alerts, call
tasks about missed reports, and the daily steps that raise those tasks and release
observations whose time is up."""
