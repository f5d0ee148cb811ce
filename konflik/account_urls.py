from django.urls import path

from . import account_views as views

app_name = "users"
urlpatterns = [
    path("", views.UserListView.as_view(), name="list"),
    path("baru/", views.UserCreateView.as_view(), name="create"),
    path("<int:pk>/", views.UserUpdateView.as_view(), name="update"),
    path("<int:pk>/kata-sandi/", views.UserPasswordView.as_view(), name="password"),
    path("<int:pk>/nonaktifkan/", views.UserDeactivateView.as_view(), name="deactivate"),
    path("<int:pk>/aktifkan/", views.UserReactivateView.as_view(), name="reactivate"),
    path("<int:pk>/mfa/atur-ulang/", views.UserMfaResetView.as_view(), name="mfa_reset"),
]
