"""Wagtail's public page serving, without Wagtail's own front-end login form.

Included last in ``i18n_patterns``. Wagtail's ``_util/login/`` would be a second,
unthrottled login: here it sends visitors to the staff login (allauth) instead.
The URL names stay Wagtail's, since Wagtail reverses them.
"""

from django.urls import path, re_path
from wagtail.urls import serve_pattern

from wohnfair.website import views

urlpatterns = [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("_util/login/", views.login_redirect, name="wagtailcore_login"),
    re_path(serve_pattern, views.serve, name="wagtail_serve"),
]
