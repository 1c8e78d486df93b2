"""Field classification of the newsletter (see ``wohnfair.lib.classification``)."""

from wohnfair.lib.classification import FieldClass

P = FieldClass.PERSONAL
S = FieldClass.STATISTICAL
T = FieldClass.TECHNICAL

# Wagtail's own page columns: published content and its bookkeeping.
PAGE_FIELDS = {
    name: T
    for name in (
        "id",
        "path",
        "depth",
        "numchild",
        "translation_key",
        "locale",
        "latest_revision",
        "live",
        "has_unpublished_changes",
        "first_published_at",
        "last_published_at",
        "live_revision",
        "go_live_at",
        "expire_at",
        "expired",
        "locked",
        "locked_at",
        "locked_by",
        "title",
        "draft_title",
        "slug",
        "content_type",
        "url_path",
        "owner",
        "latest_revision_created_at",
        "alias_of",
        "show_in_menus",
        "seo_title",
        "search_description",
        "page_ptr",
    )
}

FIELDS = {
    "NewsletterPage": {**PAGE_FIELDS, "intro": T, "body": T},
    "Subscriber": {
        "id": T,
        "email": P,
        # A keyed hash of the address: personal (pseudonymous), kept after unsubscribing
        # only so that a new sign-up finds the row.
        "email_index": P,
        "language": S,
        "status": S,
        "token_hash": T,
        "token_expires_at": T,
        "created_at": T,
        "confirmed_at": T,
        "unsubscribed_at": T,
    },
    "Sending": {
        "id": T,
        "page": T,
        "started_by": T,
        "status": T,
        "total": S,
        "created_at": T,
        "finished_at": T,
    },
    "Delivery": {"id": T, "sending": T, "subscriber": T, "status": T, "updated_at": T},
}
