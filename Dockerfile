FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 KONFLIK_COLLECTED_STATIC=True \
    KONFLIK_VAR_DIR=/data/var KONFLIK_MEDIA_ROOT=/data/uploads
WORKDIR /app
# The dependencies first, at the versions CI tested (requirements.lock, refreshed by `make lock`): this
# layer is rebuilt only when the lock changes. Then the whole tree, and the project without resolving.
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps . \
 && python manage.py compile_translations \
 && SECRET_KEY=build-only python manage.py collectstatic --noinput \
 && useradd --system --home /app konflik && mkdir -p /data && chown konflik /data
USER konflik
EXPOSE 8000
CMD ["gunicorn", "konflik.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
