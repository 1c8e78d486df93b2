from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from wohnfair import views

# The admin has no login form of its own: it uses the staff login, which is
# throttled and asks for the second factor.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Wohnfair – Systemverwaltung"

staff_patterns = (
    [path("", views.dashboard, name="dashboard")],
    "staff",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("staff/", include(staff_patterns)),
    path("konto/", include("allauth.urls")),
    path("", include("wohnfair.accounts.urls")),
    path("", include("wohnfair.audit.urls")),
    path("", include("wohnfair.cases.urls")),
    path("", include("wohnfair.intake.urls")),
    prefix_default_language=False,
)

handler403 = "wohnfair.views.permission_denied"
handler404 = "wohnfair.views.page_not_found"
handler500 = "wohnfair.views.server_error"
