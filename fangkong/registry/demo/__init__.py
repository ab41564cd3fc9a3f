"""The demo registry: its fixed facts (data.py), who it registers (planning.py) and the
loader that writes them (loading.py)."""
