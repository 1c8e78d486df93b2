"""The CMS action "Als Newsletter versenden" on newsletter pages, and its views."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem

from wohnfair.newsletter import admin_views
from wohnfair.newsletter.models import NewsletterPage


class SendNewsletterMenuItem(ActionMenuItem):
    label = _("Als Newsletter versenden")
    name = "action-send-newsletter"
    icon_name = "mail"
    order = 90

    def is_shown(self, context: dict[str, Any]) -> bool:
        page = context.get("page")
        if context.get("view") != "edit" or page is None:
            return False
        if not isinstance(page.specific, NewsletterPage) or not page.live:
            return False
        return bool(self.get_user_page_permissions_tester(context).can_publish())

    def get_url(self, parent_context: dict[str, Any]) -> str:
        return reverse("newsletter_admin:send", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def send_newsletter_menu_item() -> ActionMenuItem:
    return SendNewsletterMenuItem()


@hooks.register("register_admin_urls")
def newsletter_admin_urls() -> list[Any]:
    patterns = [
        path("<int:page_id>/versenden/", admin_views.send, name="send"),
        path("<int:page_id>/versand/", admin_views.progress, name="progress"),
    ]
    return [path("newsletter/", include((patterns, "newsletter_admin")))]
