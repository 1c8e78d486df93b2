"""Background work of the newsletter."""

from django.tasks import task


@task()
def send_newsletter(sending_id: int) -> int:
    """Send a newsletter page to all confirmed subscribers (see ``services.run_sending``)."""
    from wohnfair.newsletter.services import run_sending

    return run_sending(sending_id).sent


@task()
def delete_expired_signups() -> int:
    """Delete sign-ups whose confirmation link expired long ago."""
    from wohnfair.newsletter.services import delete_expired_pending

    return delete_expired_pending()
