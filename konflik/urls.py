from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import mfa, own_account_views, views

api_patterns = [
    path("", include("konflik.api.urls")),
    path("", include("teams.api.urls")),
    path("", include("actionplans.api.urls")),
    path("", include("incidents.api.urls")),
    path("", include("dashboard.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("beranda/", views.workspace, name="workspace"),
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", own_account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("akun/mfa/", mfa.mfa_setup, name="mfa_setup"),
    path("akun/mfa/verifikasi/", mfa.mfa_verify, name="mfa_verify"),
    path("akun/token/", own_account_views.ApiTokenListView.as_view(), name="api_tokens"),
    path(
        "akun/token/<int:pk>/cabut/", own_account_views.ApiTokenRevokeView.as_view(), name="api_token_revoke"
    ),
    path("wilayah/", include("konflik.region_urls")),
    path("notifikasi/", include("konflik.notification_urls")),
    path("pengguna/", include("konflik.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("tim/", include("teams.urls")),
    path("rencana-aksi/", include("actionplans.urls")),
    path("kejadian/", include("incidents.urls")),
    path("dasbor/", include("dashboard.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
]

handler404 = "konflik.errors.not_found"
