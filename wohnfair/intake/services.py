"""Reports from the public: storing them, routing, receipts, follow-up by the reporter.

Called alike by the public views, the staff view that enters a report taken by
phone or at the counter, the demo and tests.

Storing a report is all or nothing and happens once per form: the files are
checked and written (encrypted, under random names) first, then the report, its
files and the audit entry are written in one transaction. If anything fails the
written files are deleted again. The unique ``submission_token`` makes a form
that is sent twice, even at the same moment, store one report; the second
sender is told which report was stored. Mails go out only after the commit.

Neither the receipt code nor any address of the sender is stored: the report
holds the slow hash of the code (``receipts``), and the code waits, encrypted,
for a few minutes (``models.PendingReceipt``) until the confirmation page has
delivered it once. It is used up only when the page has been handed to the
connection completely (``views.public.OneTimePage``); a page that broke off, or
whose process died, can be opened again with the same link.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.connection import ConnectionProxy
from django.utils.translation import gettext as _

from wohnfair.accounts.models import Organisation
from wohnfair.audit.services import log_action
from wohnfair.cases.documents import CheckedFile
from wohnfair.cases.models import ConsentText, Term, Vocabulary
from wohnfair.intake import receipts, spam, state
from wohnfair.intake.models import (
    CatchmentArea,
    Report,
    ReportFile,
    ReportMessage,
    ReportStatus,
)
from wohnfair.lib import crypto
from wohnfair.lib.stored_files import EncryptedFileStore

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from wohnfair.accounts.models import User

# Like django.core.cache.cache: resolves the per-thread cache on each use.
onetime = ConnectionProxy(caches, "onetime")
logger = logging.getLogger(__name__)

SUBMISSION_TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REFERENCE_LENGTH = 6
FILE_DIRECTORY = "report-files"
MAX_FILES = 5
# How long the confirmation page can show a new receipt code (once).
RECEIPT_DISPLAY_SECONDS = 15 * 60
# How long one request may take to deliver the page with the code before another
# request may show it (only matters if the first one's process died on the way).
RECEIPT_SHOWING_SECONDS = 20
CONFIRMATION_SALT = "wohnfair.intake.confirmation"
# How long the follow-up page stays open after the receipt code was entered.
ACCESS_SECONDS = 30 * 60
ACCESS_SALT = "wohnfair.intake.follow-up"
CONSENT_PURPOSES = ("counselling", "statistics", "publication")


class DuplicateSubmission(Exception):
    """The form was sent before; ``report`` is the one report it stored."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.reference)
        self.report = report


class ChallengeUsed(Exception):
    """The proof of work of this form was already used for another report."""


def reports(reason: str) -> Any:
    """Reports without an organisation scope: the public side finds a report only by a
    secret (its receipt or the token of the form that stored it), never by listing."""
    return Report.objects.unscoped(reason)


# Routing -------------------------------------------------------------------------------


def _place(text: str) -> str:
    return " ".join(crypto.normalise(text).replace("-", " ").split())


def _single(organisation_ids: set[int]) -> Organisation | None:
    if len(organisation_ids) != 1:
        return None
    return Organisation.objects.filter(pk=next(iter(organisation_ids))).first()


def organisation_for(postcode: str, city: str, district: str) -> Organisation | None:
    """The organisation whose catchment matches, or None for the network queue.

    The longest matching postcode prefix wins; several organisations with an
    equally long prefix are told apart by district or city, else the report goes
    to the network queue. Without a postcode match the district, then the city
    decides (case and accents ignored). Ambiguous matches go to the network queue,
    where an administrator assigns the report.
    """
    digits = "".join(char for char in postcode or "" if char.isdigit())[:5]
    places = [_place(name) for name in (district, city) if name and _place(name)]
    if digits:
        prefixes = [digits[:length] for length in range(1, len(digits) + 1)]
        # length of the prefix -> organisation id -> organisation (read along: one query)
        by_length: dict[int, dict[int, Organisation]] = {}
        for area in CatchmentArea.objects.filter(postcode_prefix__in=prefixes).select_related(
            "organisation"
        ):
            by_length.setdefault(len(area.postcode_prefix), {})[area.organisation_id] = (
                area.organisation
            )
        if by_length:
            candidates = by_length[max(by_length)]
            if len(candidates) == 1:
                return next(iter(candidates.values()))
            return _by_place(places, set(candidates))
    return _by_place(places, None)


def _by_place(places: list[str], among: set[int] | None) -> Organisation | None:
    if not places:
        return None
    areas = CatchmentArea.objects.exclude(district="")
    if among is not None:
        areas = areas.filter(organisation_id__in=among)
    named = [
        (_place(name), organisation_id)
        for name, organisation_id in areas.values_list("district", "organisation_id")
    ]
    for place in places:  # the district is more specific than the city
        matches = {organisation_id for name, organisation_id in named if name == place}
        if matches:
            return _single(matches)
    return None


# Files ---------------------------------------------------------------------------------


STORE = EncryptedFileStore(FILE_DIRECTORY, "report-file")


def file_path(storage_name: str) -> str:
    """Where a report file lies in the media storage."""
    return STORE.path(storage_name)


def write_file(data: bytes) -> str:
    """Encrypt and store under a new random name; returns the name."""
    return STORE.write(data)


def read_report_file(report_file: ReportFile) -> bytes:
    """The plaintext of a stored file; raises crypto.DecryptionError if it was altered."""
    data = STORE.read(report_file.storage_name)
    if hashlib.sha256(data).hexdigest() != report_file.sha256:
        raise crypto.DecryptionError("report file does not match its checksum")
    return data


def _delete_files(storage_names: Sequence[str]) -> None:
    for name in storage_names:
        try:
            STORE.delete(name)
        except OSError:
            logger.warning("a report file could not be deleted")


def delete_report_files_after_commit(storage_names: Sequence[str]) -> None:
    """For erasure: remove stored files once the deletion of their rows is committed."""
    transaction.on_commit(partial(_delete_files, list(storage_names)), robust=True)


def delete_orphaned_report_files(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete stored files no ReportFile points to (left by a crash between writing
    the file and the rollback); young files are kept, their row may be on its way."""
    known = ReportFile.objects.values_list("storage_name", flat=True)
    return STORE.delete_orphans(known, older_than=older_than)


def _checked(files: Sequence[CheckedFile | UploadedFile]) -> list[CheckedFile]:
    from wohnfair.intake.forms import check_report_file

    return [item if isinstance(item, CheckedFile) else check_report_file(item) for item in files]


def _write_all(files: Sequence[CheckedFile]) -> list[tuple[CheckedFile, str]]:
    written: list[tuple[CheckedFile, str]] = []
    try:
        for item in files:
            written.append((item, write_file(item.data)))
    except BaseException:
        _delete_files([name for _, name in written])
        raise
    return written


def _file_rows(
    report: Report, written: list[tuple[CheckedFile, str]], message: ReportMessage | None = None
) -> list[ReportFile]:
    return ReportFile.objects.bulk_create(
        ReportFile(
            report=report,
            message=message,
            original_name=item.original_name or "file",
            storage_name=storage_name,
            content_type=item.content_type,
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
        )
        for item, storage_name in written
    )


# Submitting ----------------------------------------------------------------------------


# What the pages about a stored form need of its report (reading all of a report means
# decrypting its texts).
SUMMARY_FIELDS = ("id", "reference", "submission_token", "created_at", "organisation_id")


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


def valid_submission_token(token: object) -> bool:
    return isinstance(token, str) and bool(SUBMISSION_TOKEN_PATTERN.match(token))


def find_by_submission_token(token: object) -> Report | None:
    """The report stored from the form with this token (its other fields load on use)."""
    if not valid_submission_token(token):
        return None
    return (
        reports("the sender of the form holds its token")
        .filter(submission_token=token)
        .only(*SUMMARY_FIELDS)
        .order_by()
        .first()
    )


def new_reference(year: int | None = None) -> str:
    year = year or timezone.localdate().year
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"M-{year}-{suffix}"


def consent_versions(purposes: Sequence[str]) -> dict[str, int]:
    """purpose -> version of the consent text in force, for each purpose agreed to."""
    return {
        purpose: ConsentText.current(purpose).version
        for purpose in CONSENT_PURPOSES
        if purpose in purposes
    }


def _terms(wanted: Mapping[str, Sequence[str]]) -> dict[str, list[Term]]:
    """vocabulary -> usable terms with the given codes, in one query."""
    wanted = {vocabulary: set(codes) for vocabulary, codes in wanted.items() if codes}
    found: dict[str, list[Term]] = {vocabulary: [] for vocabulary in wanted}
    if wanted:
        codes = set().union(*wanted.values())
        for term in Term.objects.usable().filter(vocabulary__in=list(wanted), code__in=codes):
            if term.code in wanted[term.vocabulary]:
                found[term.vocabulary].append(term)
    return found


def _display_key(submission_token: str) -> str:
    return hashlib.sha256(f"receipt-display:{submission_token}".encode()).hexdigest()[:40]


def _remember_receipt(submission_token: str, code: str) -> None:
    """Keep the new code, encrypted, until the confirmation page shows it once."""
    key = _display_key(submission_token)
    sealed = crypto.encrypt_text(code, f"intake.receipt-display:{key}")
    expires = timezone.now() + timedelta(seconds=RECEIPT_DISPLAY_SECONDS)
    state.put_pending(key, sealed, expires)


def receipt_waiting(submission_token: str) -> bool:
    """True while the code of this form's report has not been shown yet."""
    return state.is_pending(_display_key(submission_token))


def confirmation_url(report: Report) -> str:
    """Where the sender sees the receipt once: a signed, short-lived, one-time link.

    The link names the report's reference, when it came in and a hash of the form token,
    never the code: all the confirmation page shows besides the code.
    """
    token = signing.dumps(
        {
            "k": _display_key(report.submission_token),
            "r": report.reference,
            "t": int(report.created_at.timestamp()),
        },
        salt=CONFIRMATION_SALT,
    )
    return f"{reverse('intake:confirmation')}?t={token}"


@dataclass
class ReceiptDisplay:
    """What a confirmation link leads to.

    ``report`` is None for a forged or expired link. ``code`` is set when this request
    may show the code: then exactly one of ``delivered`` (the page reached the
    connection: the code is used up) or ``not_delivered`` (it broke off: the link
    shows it again) must follow. ``busy``: another request is showing it right now.
    """

    report: Report | None = None
    code: str | None = None
    busy: bool = False
    key: str = ""

    def delivered(self) -> None:
        if self.code is not None:
            state.shown(self.key)

    def not_delivered(self) -> None:
        if self.code is not None:
            state.not_shown(self.key)


def claim_receipt(link_token: object) -> ReceiptDisplay:
    """The report behind a confirmation link and, until it has been delivered once,
    its code, reserved for this request (see ``ReceiptDisplay``)."""
    if not isinstance(link_token, str) or len(link_token) > 500:
        return ReceiptDisplay()
    try:
        data = signing.loads(link_token, salt=CONFIRMATION_SALT, max_age=RECEIPT_DISPLAY_SECONDS)
    except signing.BadSignature:
        return ReceiptDisplay()
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        return ReceiptDisplay()
    key, reference, received = data["k"], data.get("r"), data.get("t")
    # The conditional update decides who shows it: of two requests at once only one.
    hold = timezone.now() + timedelta(seconds=RECEIPT_SHOWING_SECONDS)
    sealed = state.take_pending(key, hold)
    if sealed is not None and isinstance(reference, str) and isinstance(received, int):
        # A code waits for this form: the signed link says all the page shows of the report.
        report = Report(reference=reference, created_at=datetime.fromtimestamp(received, UTC))
    else:
        report = (
            reports("signed confirmation link")
            .filter(reference=reference)
            .only(*SUMMARY_FIELDS)
            .order_by()
            .first()
        )
        if report is None or _display_key(report.submission_token) != key:
            if sealed is not None:
                state.not_shown(key)
            return ReceiptDisplay()
    if sealed is None:
        return ReceiptDisplay(report, busy=state.is_pending(key), key=key)
    code = crypto.decrypt_text(sealed, f"intake.receipt-display:{key}")
    return ReceiptDisplay(report, code, key=key)


def submit_report(
    form_data: Mapping[str, Any],
    files: Sequence[CheckedFile | UploadedFile] = (),
    *,
    language: str,
    entered_by: User | None = None,
    notify: bool = True,
    token_checked: bool = False,
) -> tuple[Report, str]:
    """Store one report and return it with its new receipt code (to be shown once).

    ``form_data`` is ``ReportForm.cleaned_data`` (the public form, or the same form
    in the staff view with ``check_spam=False``); ``files`` are the checked files
    (``cleaned_data["files"]``) or uploads, which are checked here. Raises
    DuplicateSubmission when a report with the same submission token exists,
    ChallengeUsed when the proof of work was used for another report, and
    ValidationError when an upload is refused. ``notify=False`` sends no mail (demo).
    ``token_checked``: the caller has just looked for a report of this form token
    (the unique token still makes a twin that comes in meanwhile fail).
    """
    token = form_data.get("submission_token") or new_submission_token()
    if not valid_submission_token(token):
        raise ValueError("invalid submission token")
    existing = None if token_checked else find_by_submission_token(token)
    if existing is not None:
        raise DuplicateSubmission(existing)
    checked = _checked(list(files)[:MAX_FILES])
    postcode, city = form_data.get("postcode", ""), form_data.get("city", "")
    district = form_data.get("district", "")
    organisation = organisation_for(postcode, city, district)
    kind_code = form_data.get("respondent_kind") or ""
    terms = _terms(
        {
            Vocabulary.MERKMAL: form_data.get("ground_codes") or [],
            Vocabulary.VERURSACHENDE: [kind_code] if kind_code else [],
        }
    )
    grounds = terms.get(Vocabulary.MERKMAL, [])
    kinds = terms.get(Vocabulary.VERURSACHENDE, [])
    challenge = form_data.get("proof_of_work") or ""
    agreed = form_data.get("consents") or []
    # The form read the texts in force already (ReportForm.consent_versions).
    known = form_data.get("consent_versions") or {}
    if all(isinstance(known.get(purpose), int) for purpose in agreed):
        consents = {purpose: known[purpose] for purpose in CONSENT_PURPOSES if purpose in agreed}
    else:
        consents = consent_versions(agreed)
    fields = {
        "organisation": organisation,
        "submission_token": token,
        "language": (language or settings.LANGUAGE_CODE)[:10],
        "entered_by": entered_by,
        "situations": list(form_data.get("situations") or []),
        "description": form_data.get("description", ""),
        "incident_date": form_data.get("incident_date"),
        "date_is_approximate": bool(form_data.get("date_is_approximate")),
        "city": city,
        "district": district,
        "postcode": postcode,
        "respondent_kind": kinds[0] if kinds else None,
        "respondent_name": form_data.get("respondent_name", ""),
        "wish": form_data.get("wish") or "counselling",
        "contact_name": form_data.get("contact_name", ""),
        "contact_email": form_data.get("contact_email", ""),
        "contact_phone": form_data.get("contact_phone", ""),
        "preferred_language": form_data.get("preferred_language", ""),
        "call_times": form_data.get("call_times", ""),
        "consents": consents,
        "proof_of_work_verified": bool(challenge),
    }
    # The slow hash before the transaction, so that no locks are held meanwhile.
    code = receipts.new_code()
    receipt_hash = receipts.hash_code(code)
    written = _write_all(checked)
    try:
        for _attempt in range(5):
            reference = new_reference()
            try:
                with transaction.atomic():
                    # The report first: a clash of its unique fields rolls back nothing else.
                    report = Report.objects.create(
                        reference=reference, receipt_hash=receipt_hash, **fields
                    )
                    _store_with(report, grounds, written, challenge, code, notify=notify)
            except IntegrityError:
                twin = find_by_submission_token(token)
                if twin is not None:
                    raise DuplicateSubmission(twin) from None
                # A random reference that was taken: try another. Anything else (a clash
                # of receipt hashes, one in 10^16 per pair of reports) fails.
                if not reports("reference clash").filter(reference=reference).exists():
                    raise
                continue
            return report, code
        raise RuntimeError("no free reference for a report")
    except BaseException:
        _delete_files([name for _, name in written])
        raise


def _store_with(
    report: Report,
    grounds: Sequence[Term],
    written: list[tuple[CheckedFile, str]],
    challenge: str,
    code: str,
    *,
    notify: bool,
) -> None:
    """What belongs to a new report, in its transaction."""
    if grounds:
        report.grounds.add(*grounds)
    _file_rows(report, written)
    if challenge and not spam.claim_challenge(challenge):
        raise ChallengeUsed
    entered_by = report.entered_by
    log_action(
        entered_by,
        report.organisation,
        "intake.report_received",
        report,
        source="staff" if entered_by is not None else "web",
        files=len(written),
        anonymous=report.is_anonymous,
        verified=bool(challenge) or entered_by is not None,
    )
    _remember_receipt(report.submission_token, code)
    if report.contact_email and notify:
        transaction.on_commit(
            partial(_send_confirmation, report.contact_email, report.reference, report.language),
            robust=True,
        )


def _send_confirmation(email: str, reference: str, language: str) -> None:
    """The confirmation mail: reference and where to follow up, never the code or content."""
    try:
        with translation.override(language):
            context = {
                "reference": reference,
                "follow_up_url": settings.SITE_URL + reverse("intake:follow_up"),
            }
            send_mail(
                subject=_("Ihre Meldung ist eingegangen"),
                message=render_to_string("intake/public/email_confirmation.txt", context),
                from_email=None,
                recipient_list=[email],
            )
    except Exception:
        # The report is stored; the mail is a courtesy and not retried. No address logged.
        logger.exception("the confirmation mail of a report could not be sent")


# Follow-up -----------------------------------------------------------------------------


def find_report_by_receipt(raw_code: object) -> Report | None:
    """The report a typed receipt code belongs to, or None (malformed or wrong alike)."""
    code = receipts.normalise(raw_code)
    if code is None:
        # Spend the same time as for a well-formed code, so that timing tells nothing.
        receipts.lookup_hashes("0" * receipts.DIGITS)
        return None
    # The hash under every parameter set in use (codes handed out before a change work).
    digests = receipts.lookup_hashes(code)
    report = reports("the reporter holds the receipt").filter(receipt_hash__in=digests).first()
    if report is None or not receipts.verify(code, report.receipt_hash):
        return None
    return report


def _hash_tag(report: Report) -> str:
    """16 hex digits of the receipt hash (not of its parameters) to bind access tokens."""
    return receipts.digest_part(report.receipt_hash)[:16]


def access_token(report: Report) -> str:
    """Lets the follow-up page act for this report for ACCESS_SECONDS without the code."""
    return signing.dumps({"r": report.pk, "h": _hash_tag(report)}, salt=ACCESS_SALT, compress=True)


def report_for_access(token: object) -> Report | None:
    if not isinstance(token, str) or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=ACCESS_SALT, max_age=ACCESS_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    report = reports("signed follow-up access").filter(pk=data["r"]).first()
    if report is None or _hash_tag(report) != data.get("h"):
        return None
    return report


def accepts_messages(report: Report) -> bool:
    return report.public_status != ReportStatus.CLOSED


def public_thread(report: Report) -> list[ReportMessage]:
    """The messages the reporter may see (never internal notes), oldest first."""
    return list(
        report.messages.filter(internal=False)
        .prefetch_related("files")
        .order_by("created_at", "id")
    )


def files_sent_with_report(report: Report) -> list[ReportFile]:
    return list(report.files.filter(message__isnull=True))


def mark_answers_read(report: Report) -> None:
    """The reporter has seen the office's answers."""
    report.messages.filter(internal=False, author__isnull=False, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def add_reporter_message(
    report: Report,
    body: str,
    files: Sequence[CheckedFile | UploadedFile] = (),
    *,
    message_token: str = "",
) -> ReportMessage | None:
    """Add a message (and files) from the reporter; None if this form was sent already.

    ``message_token`` is the random token of the message form; a resent form adds nothing.
    """
    checked = _checked(list(files)[:MAX_FILES])
    written = _write_all(checked)
    try:
        with transaction.atomic():
            if message_token and not onetime.add(
                f"intake:message:{hashlib.sha256(message_token.encode()).hexdigest()}",
                1,
                timeout=ACCESS_SECONDS * 2,
            ):
                _delete_files([name for _, name in written])
                return None
            message = ReportMessage.objects.create(report=report, author=None, body=body)
            _file_rows(report, written, message)
            log_action(
                None,
                report.organisation,
                "intake.reporter_message",
                report,
                files=len(written),
            )
    except BaseException:
        _delete_files([name for _, name in written])
        raise
    return message
