from . import navigation as nav
from .permissions import role_of


def navigation(request):
    """Menu entries for the signed-in user's role (see konflik.navigation)."""
    role = role_of(getattr(request, "user", None))
    return {"nav_items": nav.items_for(role) if role else [], "user_role": role}
