"""Handing people over between communities (人员转交)."""
