"""Settings for the test suite: the production settings with test-only keys filled in.

Only keys that a test run cannot have are defaulted here; everything else, the database
included (FANGKONG_DATABASE_URL), comes from the environment exactly as in production.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("FANGKONG_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("FANGKONG_FIELD_KEY", "test-only-field-key-" + "y" * 20)
os.environ.setdefault("FANGKONG_SSL_REDIRECT", "false")
os.environ.setdefault("FANGKONG_VAR_DIR", tempfile.mkdtemp(prefix="fangkong-test-"))
os.environ.setdefault("FANGKONG_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from fangkong.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
