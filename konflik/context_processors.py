from . import navigation as nav
from .permissions import role_of


def navigation(request):
    """Menu entries for the signed-in user's role (see konflik.navigation)."""
    role = role_of(getattr(request, "user", None))
    return {"nav_items": nav.items_for(role) if role else [], "user_role": role}


def notifications(request):
    """The unread count for the bell (one indexed COUNT per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .models import Notification

    return {"unread_notifications": lambda: Notification.objects.visible_to(user).unread().count()}
