"""Where the current request id lives while a request is served (read by the audit log)."""

import contextvars

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("konflik_request_id", default="")
