"""WSGI entry point: ``gunicorn anticipe.site.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anticipe.site.settings")
application = get_wsgi_application()
