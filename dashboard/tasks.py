"""Celery tasks of the dashboard: thin, IDs in, one service call, quiet when the row is gone."""

from celery import shared_task

from . import services


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=600,
    time_limit=660,
)
def generate_period_report(report_id):
    return services.report_generate(report_id)


@shared_task(ignore_result=True, expires=3000)
def sweep_period_reports():
    return len(services.sweep_period_reports())
