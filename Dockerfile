# LAPOR production image: one image for web (gunicorn), worker and beat (celery) and the
# one-shot migrate job. See docs/docker.md and docker-compose.yml.
FROM python:3.11-slim-bookworm

# PYTHONPATH=/app: every process (gunicorn, celery, manage.py) imports the project from the
# source tree in /app, where BASE_DIR-relative files live (templates/, static/, locale/,
# agencies/data/). The non-editable install below would otherwise put a second copy of the
# packages in site-packages without those data files, and `celery -A lapor` only puts the
# working directory on sys.path while it imports `lapor`, so the other apps would come from
# that copy.
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=lapor.settings \
    LAPOR_VAR_DIR=/var/lib/lapor \
    STATIC_ROOT=/app/staticfiles

# No system packages: psycopg2-binary bundles libpq, so libpq5 is not needed.
RUN groupadd --system lapor \
    && useradd --system --gid lapor --home-dir /var/lib/lapor --shell /usr/sbin/nologin lapor \
    && mkdir -p /var/lib/lapor/media \
    && chown -R lapor:lapor /var/lib/lapor

WORKDIR /app

# Dependencies first (pinned by constraints.txt), so that a change to the source alone does not
# reinstall them. They are read from pyproject.toml; the project itself is installed below.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
    && rm -rf build *.egg-info

# Settings refuse to import without these; the values are dummies for this step only and no
# connection is made.
RUN DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    SECRET_KEY=build-only \
    SITE_URL=http://build.invalid \
    STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --noinput

USER lapor

EXPOSE 8000

CMD ["gunicorn", "lapor.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
