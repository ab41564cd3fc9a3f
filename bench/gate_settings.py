"""Settings for the gate-check benchmark's gunicorn: production settings, plus one URL conf
that adds a bare JSON view to compare with. Selected with
DJANGO_SETTINGS_MODULE=bench.gate_settings; production settings stay untouched."""

from fangkong.settings import *  # noqa: F403

ROOT_URLCONF = "bench.gate_urls"
