from django.urls import path

from .notification_views import NotificationListView, NotificationReadAllView, NotificationReadView

app_name = "notifications"
urlpatterns = [
    path("", NotificationListView.as_view(), name="list"),
    path("<int:pk>/baca/", NotificationReadView.as_view(), name="read"),
    path("baca-semua/", NotificationReadAllView.as_view(), name="read_all"),
]
