"""Celery tasks of the core: the reminder dispatcher, the send task and the sweeper. Thin: load, call
one service, return quietly when the row is gone."""

from celery import shared_task

from . import reminders


@shared_task(ignore_result=True, expires=55)
def dispatch_reminders():
    return len(reminders.dispatch_due())


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_reminder(self, reminder_id):
    return reminders.deliver(reminder_id)


@shared_task(ignore_result=True, expires=240)
def sweep_reminders():
    return len(reminders.sweep_stale())


@shared_task(ignore_result=True, expires=3000)
def sweep_orphan_uploads():
    """Delete stored files that no row names (left by rolled-back transactions); see konflik.orphans."""
    from . import orphans

    return len(orphans.sweep())
