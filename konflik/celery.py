"""The Celery application.

JSON only, late acknowledgement with reject-on-worker-lost (a task whose worker dies is redelivered),
time limits on every task, tasks discovered in each app's `tasks.py`. The broker is Redis when
`REDIS_URL` is set, otherwise kombu's filesystem transport under var/ so that a first run's worker and
beat really run without any service.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "konflik.settings")

app = Celery("konflik")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_time_limit=300,
    task_soft_time_limit=240,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    timezone="Asia/Pontianak",
    enable_utc=True,
)
app.autodiscover_tasks()
