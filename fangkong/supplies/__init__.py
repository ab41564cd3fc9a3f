"""Protective supplies (防护物资): stock per post and community, a ledger that adds up."""
