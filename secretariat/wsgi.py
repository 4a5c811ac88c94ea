"""WSGI entry point: ``gunicorn secretariat.wsgi`` or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")

application = get_wsgi_application()
