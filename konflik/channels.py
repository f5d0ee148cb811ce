"""Delivery channels of the reminder engine. A channel is a small class: `address(recipient)` says
where to send (or None when the recipient cannot be reached that way), `send(...)` sends. A WhatsApp
or SMS gateway is one more class in CHANNELS."""

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from .models import Notification


class EmailChannel:
    name = "email"

    def address(self, recipient):
        return recipient.email_address or None

    def send(self, *, reminder, recipient, address, message):
        mail = EmailMultiAlternatives(
            subject=message.subject,
            body=message.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={
                "Message-ID": f"<reminder-{reminder.pk}-{hashlib.sha256(address.encode()).hexdigest()[:16]}@konflik>"
            },
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        for filename, content, mimetype in message.attachments:
            mail.attach(filename, content, mimetype)
        mail.send(fail_silently=False)


class InAppChannel:
    name = "in_app"

    def address(self, recipient):
        user = recipient.user
        if user is None or not user.is_active:
            return None
        return f"user:{user.pk}"

    def send(self, *, reminder, recipient, address, message):
        Notification.objects.create(
            user=recipient.user,
            title=message.subject[:200],
            body=message.text,
            url=message.url,
            kind=reminder.kind,
        )


CHANNELS = {channel.name: channel for channel in (EmailChannel(), InAppChannel())}


def get_channel(name):
    return CHANNELS[name]
