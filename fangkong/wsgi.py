"""The WSGI application (gunicorn fangkong.wsgi): Django's handler with a short lane for the
gate check, the hot path (fangkong.access.wsgi)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")

from fangkong.access.wsgi import get_wsgi_application

application = get_wsgi_application()
