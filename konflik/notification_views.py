from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from .models import Notification
from .permissions import ALL_ROLES, RoleRequiredMixin


class NotificationListView(RoleRequiredMixin, ListView):
    template_name = "konflik/notification_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)


class NotificationReadView(RoleRequiredMixin, View):
    """Mark one notification read (POST) and follow its link; everyone may mark their own."""

    write_roles = ALL_ROLES

    def post(self, request, pk):
        notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        target = notification.url
        if request.POST.get("follow") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ):
            return redirect(target)
        return redirect("notifications:list")


class NotificationReadAllView(RoleRequiredMixin, View):
    write_roles = ALL_ROLES

    def post(self, request):
        Notification.objects.visible_to(request.user).unread().update(read_at=timezone.now())
        return redirect("notifications:list")
