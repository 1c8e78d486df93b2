"""Field classification of the website's pages (see ``wohnfair.lib.classification``).

Pages hold published editorial content, not data about the people the office
works with: their text fields are technical (content of the system), except
the contact data of the office and of directory entries, and the users who own
or lock a page, which are personal. Every page type inherits Wagtail's page
columns; they are classified once in ``PAGE_FIELDS``.
"""

from wohnfair.lib.classification import FieldClass

P = FieldClass.PERSONAL
T = FieldClass.TECHNICAL

# Columns of wagtailcore.Page, inherited through the parent link ``page_ptr``.
PAGE_FIELDS = {
    "id": T,
    "page_ptr": T,
    "path": T,
    "depth": T,
    "numchild": T,
    "translation_key": T,
    "locale": T,
    "latest_revision": T,
    "live": T,
    "has_unpublished_changes": T,
    "first_published_at": T,
    "last_published_at": T,
    "live_revision": T,
    "go_live_at": T,
    "expire_at": T,
    "expired": T,
    "locked": T,
    "locked_at": T,
    "locked_by": P,
    "title": T,
    "draft_title": T,
    "slug": T,
    "content_type": T,
    "url_path": T,
    "owner": P,
    "seo_title": T,
    "show_in_menus": T,
    "search_description": T,
    "latest_revision_created_at": T,
    "alias_of": T,
    # WebsitePage
    "summary": T,
}


def page(**own: FieldClass) -> dict[str, FieldClass]:
    return {**PAGE_FIELDS, **own}


FIELDS = {
    "HomePage": page(intro=T, body=T),
    "StandardPage": page(body=T),
    "ContactPage": page(address=P, phone=P, email=P, opening_hours=T, consultation_hours=T, body=T),
    "EnquiryPage": page(body=T, form_kind=T, form_heading=T),
    "CampaignIndexPage": page(),
    "CampaignPage": page(start_date=T, end_date=T, is_featured=T, body=T),
    "NewsIndexPage": page(),
    "NewsPage": page(date=T, body=T, tags=T, campaign=T),
    "NewsPageTag": {"id": T, "tag": T, "content_object": T},
    "PositionIndexPage": page(),
    "PositionPage": page(date=T, addressee=T, body=T, document=T),
    "MilestonesPage": page(milestones=T),
    # Names, addresses and contacts of counselling offices and partners.
    "LinkDirectoryPage": page(entries=P),
    "MaterialsPage": page(body=T, documents=T),
}
