from allauth.account.decorators import secure_admin_login
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from wohnfair import views
from wohnfair.website import sitemap as website_sitemap
from wohnfair.website import views as website_views

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
    path("api/v1/", include("wohnfair.monitoring.api_urls")),
    # Wagtail's admin login is not offered: editors sign in through the staff login.
    path("cms/login/", website_views.login_redirect),
    path("cms/", include(wagtailadmin_urls)),
    path("dokumente/", include(wagtaildocs_urls)),
    path("sitemap.xml", website_sitemap.sitemap, name="sitemap"),
    path("robots.txt", website_sitemap.robots_txt, name="robots_txt"),
]

urlpatterns += i18n_patterns(
    path("staff/", include(staff_patterns)),
    path("konto/", include("allauth.urls")),
    path("", include("wohnfair.accounts.urls")),
    path("", include("wohnfair.audit.urls")),
    path("", include("wohnfair.cases.urls")),
    path("", include("wohnfair.intake.urls")),
    path("", include("wohnfair.monitoring.urls")),
    path("", include("wohnfair.enquiries.urls")),
    path("", include("wohnfair.newsletter.urls")),
    path("", include("wohnfair.website.urls")),
    # Wagtail serves every other path: the public website's pages (the start page too).
    path("", include("wohnfair.website.serve_urls")),
    prefix_default_language=False,
)

handler403 = "wohnfair.views.permission_denied"
handler404 = "wohnfair.views.page_not_found"
handler500 = "wohnfair.views.server_error"
