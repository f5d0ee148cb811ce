"""Control characters in text input (ASVS 2.2.x, positive validation of free text).

A single-line field (every `CharField` of the project's models: a name, a meeting title, a place) may
hold no line break and no other control character: a line break in a meeting title ends up in every
e-mail's `Subject:` header for that meeting, and escape sequences in a name reach terminals, logs and
spreadsheets. A multi-line field (`TextField`: minutes, a chronology) keeps tab, line feed and carriage
return, nothing else.

`install()` (from `KonflikConfig.ready()`) appends the validators to those fields of the project's apps,
so the model forms, the DRF model serializers (which copy a model field's validators when they are
built) and every service's `full_clean()` refuse them; the fields' migrations are unchanged (the
validators are not among a field's constructor arguments).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PROJECT_APPS = ("konflik", "teams", "actionplans", "incidents", "dashboard")

# C0 controls, DEL, C1 controls (NEL among them) and the Unicode line and paragraph separators
SINGLE_LINE_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MULTI_LINE_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_single_line(value):
    if isinstance(value, str) and SINGLE_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("Isian satu baris ini tidak boleh memuat baris baru atau karakter kendali."),
            code="control_character",
        )


def validate_multi_line(value):
    if isinstance(value, str) and MULTI_LINE_FORBIDDEN.search(value):
        raise ValidationError(
            _("Isian ini tidak boleh memuat karakter kendali (selain tab dan baris baru)."),
            code="control_character",
        )


def install():
    from django.apps import apps

    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.local_concrete_fields:
                if isinstance(field, models.CharField):
                    validator = validate_single_line
                elif isinstance(field, models.TextField):
                    validator = validate_multi_line
                else:
                    continue
                # a new list: a field copied from an abstract model may share its cached one
                if validator not in field.validators:
                    field.validators = [*field.validators, validator]
