from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "wohnfair.website"
    verbose_name = _("Website")

    def ready(self) -> None:
        from wohnfair.accounts.models import Membership, User
        from wohnfair.website import cms_access

        # Editors' and leads' access to /cms/ follows their membership (see cms_access).
        post_save.connect(cms_access.on_membership_saved, sender=Membership)
        post_delete.connect(cms_access.on_membership_deleted, sender=Membership)
        post_save.connect(cms_access.on_user_saved, sender=User)

        # Publishing empties the anonymous page cache and indexes the page at once, in
        # every process (web, task worker, scheduler, commands).
        from wohnfair.website.cache import connect_signals

        connect_signals()
