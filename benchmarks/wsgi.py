"""The portal's WSGI application with the benchmark baseline view added (benchmarks.urls).

Used only by ``python -m benchmarks``: ``gunicorn benchmarks.wsgi:application``.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lapor.settings")
application = get_wsgi_application()
settings.ROOT_URLCONF = "benchmarks.urls"
