from django import template

from konflik.selectors import object_history as select_history

register = template.Library()


@register.inclusion_tag("konflik/_history.html", takes_context=True)
def object_history(context, obj):
    """Render an object's audit history for the current user: `{% object_history incident %}`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    events = select_history(user=user, obj=obj) if user is not None else []
    return {"events": events}
