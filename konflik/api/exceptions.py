from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from konflik.access import OutOfScope


def exception_handler(exc, context):
    """A model or service `ValidationError` becomes a 400 with field errors, never a 500; a service's
    `OutOfScope` a 404 like any other object the user cannot see (`NotAllowedHere` is a
    `PermissionDenied`: DRF's 403)."""
    if isinstance(exc, OutOfScope):
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                field: [str(m) for e in errors for m in e.messages]
                for field, errors in exc.error_dict.items()
            }
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
