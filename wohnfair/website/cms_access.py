"""Who may edit the website: our roles mapped to Wagtail groups.

Members with the editor role join the group "Redaktion" (edit pages, images and
documents; publishing goes through the moderation workflow), leads join
"Leitung" (may also publish and approve). Wagtail lets a user into /cms/ only
with ``wagtailadmin.access_admin``, which these two groups alone carry here.
Membership changes are followed by ``sync_cms_groups``, which the website app
connects to saves of memberships and users (accounts does not import website).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_noop

from wohnfair.accounts.models import Membership, Role, User

EDITORS_GROUP = gettext_noop("Redaktion")
LEADS_GROUP = gettext_noop("Leitung")
GROUP_FOR_ROLE = {Role.EDITOR: EDITORS_GROUP, Role.LEAD: LEADS_GROUP}

PAGE_PERMISSIONS = {
    EDITORS_GROUP: ["add_page", "change_page", "lock_page", "unlock_page"],
    LEADS_GROUP: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
}


def _permission(app_label: str, codename: str) -> Permission | None:
    # None only right after a database flush, before post_migrate recreated permissions.
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


@transaction.atomic
def ensure_cms_groups() -> dict[str, Group]:
    """Create the two groups with their Wagtail permissions; safe to call again."""
    from wagtail.models import (
        Collection,
        GroupApprovalTask,
        GroupCollectionPermission,
        GroupPagePermission,
        Page,
        Workflow,
        WorkflowPage,
        WorkflowTask,
    )

    # The tree roots exist after migrate; a flushed test database may lack them.
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    groups: dict[str, Group] = {}
    for name, page_codenames in PAGE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        groups[name] = group
        access_admin = _permission("wagtailadmin", "access_admin")
        if access_admin is not None:
            group.permissions.add(access_admin)
        for codename in page_codenames:
            permission = _permission("wagtailcore", codename)
            if root_page is not None and permission is not None:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )
        for (app_label, _model), codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                permission = _permission(app_label, codename)
                if root_collection is not None and permission is not None:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    # Leads approve what editors submit in Wagtail's default moderation workflow
    # (created by Wagtail's migrations; created here if it is missing).
    if root_page is not None and not WorkflowPage.objects.filter(page=root_page).exists():
        workflow = Workflow.objects.create(name="Freigabe durch die Leitung")
        task = GroupApprovalTask.objects.create(name="Freigabe durch die Leitung")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        WorkflowPage.objects.create(workflow=workflow, page=root_page)
    for task in GroupApprovalTask.objects.all():
        task.groups.add(groups[LEADS_GROUP])
    return groups


def sync_cms_groups(user: User) -> None:
    """Put ``user`` into exactly the CMS groups its active memberships call for."""
    if user.pk is None:
        return
    wanted: set[str] = set()
    if user.is_active:
        roles = Membership.objects.active().filter(user=user).values_list("role", flat=True)
        wanted = {GROUP_FOR_ROLE[Role(role)] for role in roles if role in GROUP_FOR_ROLE}
    if not wanted and not user.groups.filter(name__in=GROUP_FOR_ROLE.values()).exists():
        return  # most users: nothing to add, nothing to take away
    groups = ensure_cms_groups()
    for name, group in groups.items():
        if name in wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def on_membership_saved(sender: type[Membership], instance: Membership, **kwargs: object) -> None:
    sync_cms_groups(instance.user)


def on_membership_deleted(sender: type[Membership], instance: Membership, **kwargs: object) -> None:
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_cms_groups(user)


def on_user_saved(sender: type[User], instance: User, created: bool, **kwargs: object) -> None:
    # Only (de)activation matters; logins save ``last_login`` alone and are skipped.
    update_fields = kwargs.get("update_fields")
    if created or kwargs.get("raw") or (update_fields and "is_active" not in update_fields):
        return
    sync_cms_groups(instance)
