"""Public pages of the reporting portal (Meldeportal): the report form, the one-time
confirmation with the receipt code, the Leichte Sprache page, the follow-up page
and the proof-of-work challenge.

Every response here is marked not cacheable: pages carry one-time tokens, and
the confirmation and follow-up pages carry a receipt code or a report's thread.
No view stores or logs the client's address; rate limits see only a keyed hash.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from wohnfair.accounts.access import public
from wohnfair.intake import forms, receipts, services, spam
from wohnfair.intake.forms import POW_REUSED_MESSAGE, MessageForm, ReceiptForm, ReportForm
from wohnfair.intake.models import Report, ReportStatus
from wohnfair.lib.http import private

logger = logging.getLogger(__name__)
STATUS_LABELS = {
    ReportStatus.RECEIVED: _("Eingegangen"),
    ReportStatus.IN_PROGRESS: _("In Bearbeitung"),
    ReportStatus.CLOSED: _("Abgeschlossen"),
}
STATUS_EXPLANATIONS = {
    ReportStatus.RECEIVED: _(
        "Ihre Meldung ist angekommen und wartet darauf, dass eine Beraterin oder ein Berater "
        "sie liest."
    ),
    ReportStatus.IN_PROGRESS: _("Eine Beraterin oder ein Berater kümmert sich um Ihre Meldung."),
    ReportStatus.CLOSED: _(
        "Ihre Meldung ist abgeschlossen. Wenn etwas Neues passiert, schicken Sie uns gern "
        "eine neue Meldung."
    ),
}


class OneTimePage(HttpResponse):
    """A page with a receipt code that is used up only once it has been delivered.

    The WSGI server iterates the response and writes each part to the connection,
    then closes it. If that iteration ran to its end, the page has been handed to the
    connection: ``display.delivered()``. If it broke off (the connection went away,
    writing failed), ``display.not_delivered()``: the same link shows the code again.
    If the process dies on the way, the reservation of the code ends after
    ``services.RECEIPT_SHOWING_SECONDS``. A server that closes without iterating
    (Django's test client) counts as having delivered it.
    """

    def __init__(self, content: str, display: services.ReceiptDisplay, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.display = display
        self._iteration = ""  # "", "started", "finished"
        self._settled = False

    def __iter__(self) -> Iterator[bytes]:
        self._iteration = "started"
        yield from self._container
        self._iteration = "finished"

    def close(self) -> None:
        if not self._settled:
            self._settled = True
            try:
                if self._iteration == "started":
                    self.display.not_delivered()
                else:
                    self.display.delivered()
            except Exception:
                logger.exception("the one-time display of a receipt could not be settled")
        super().close()


def one_time_page(
    request: HttpRequest, template: str, context: dict[str, Any], display: Any
) -> HttpResponse:
    """Render ``template`` as a ``OneTimePage`` for ``display`` (never cached)."""
    try:
        content = render_to_string(template, context, request)
    except BaseException:
        display.not_delivered()
        raise
    return private(OneTimePage(content, display))


def _throttled(
    request: HttpRequest, scope: str, response: HttpResponse | None = None
) -> HttpResponse:
    if response is None:
        response = render(request, "intake/public/throttled.html", status=429)
    response.status_code = 429
    response["Retry-After"] = str(spam.retry_after(scope))
    return private(response)


# The empty form page for anonymous visitors, rendered once per process for each path
# (language), day and consent wording, with placeholders for what every page gets new:
# the CSRF token, the form token and the signed start time. Rendering the page is most
# of the cost of showing it.
_FORM_PAGES: dict[tuple[object, ...], str] = {}
_FORM_PAGES_MAX = 32
_PLACEHOLDER = secrets.token_hex(16)  # per process; never part of a real page
CSRF_PLACEHOLDER = f"csrf{_PLACEHOLDER}"
TOKEN_PLACEHOLDER = f"token{_PLACEHOLDER}"
STARTED_PLACEHOLDER = f"started{_PLACEHOLDER}"


def _page_is_shared(request: HttpRequest) -> bool:
    """True if the form page of this request looks the same for every visitor but for
    its tokens: anonymous, no session, no messages waiting, no query string."""
    return (
        not request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def _shared_form_page(request: HttpRequest) -> HttpResponse:
    """The empty form page from the per-process copy, with this page's own tokens."""
    labels = forms.consent_labels()
    key = (
        get_language(),
        request.path,
        forms.today().isoformat(),
        tuple(label for label, _version in labels.values()),
    )
    page = _FORM_PAGES.get(key)
    if page is None:
        form = ReportForm(check_spam=True)
        form.submission_token, form.started_token = TOKEN_PLACEHOLDER, STARTED_PLACEHOLDER
        context = {"form": form, "csrf_token": CSRF_PLACEHOLDER}
        page = render_to_string("intake/public/report_form.html", context, request)
        # A page that used the CSP nonce of its response cannot serve other responses.
        if not getattr(request, "_csp_nonce", None):
            if len(_FORM_PAGES) >= _FORM_PAGES_MAX:
                _FORM_PAGES.clear()
            _FORM_PAGES[key] = page
    page = (
        page.replace(CSRF_PLACEHOLDER, get_token(request))
        .replace(TOKEN_PLACEHOLDER, services.new_submission_token())
        .replace(STARTED_PLACEHOLDER, spam.started_token())
    )
    return HttpResponse(page)


def _staff_member(request: HttpRequest) -> Any:
    """A signed-in member of an organisation: spam checks do not apply to them."""
    user = request.user
    if user.is_authenticated and getattr(request, "membership", None) is not None:
        return user
    return None


def _form_from_post(post: QueryDict, *, check_spam: bool) -> ReportForm:
    """An unbound form showing what was sent (to give it back unchanged with a 429)."""
    initial: dict[str, Any] = {}
    for name, field in ReportForm.base_fields.items():
        if name == "files":
            continue
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = post.getlist(name)
        elif name in post:
            initial[name] = post.get(name)
    return ReportForm(initial=initial, check_spam=check_spam, tokens=post)


def _already_sent(request: HttpRequest, report: Report) -> HttpResponse:
    """A form sent again: the confirmation if its code was not shown yet, else the
    reference of the one report it stored."""
    if services.receipt_waiting(report.submission_token):
        return private(redirect(services.confirmation_url(report)))
    context = {"report": report, "reason": "resent"}
    return private(render(request, "intake/public/already_sent.html", context))


@public
@require_http_methods(["GET", "HEAD", "POST"])
def report_form(request: HttpRequest) -> HttpResponse:
    staff_user = _staff_member(request)
    check_spam = staff_user is None
    if request.method != "POST":
        if check_spam and _page_is_shared(request):
            return private(_shared_form_page(request))
        form = ReportForm(check_spam=check_spam)
        return private(render(request, "intake/public/report_form.html", {"form": form}))

    if check_spam and not spam.allow(request, "submit"):
        form = _form_from_post(request.POST, check_spam=check_spam)
        page = render(request, "intake/public/report_form.html", {"form": form, "throttled": True})
        return _throttled(request, "submit", page)
    existing = services.find_by_submission_token(request.POST.get("submission_token"))
    if existing is not None:
        return _already_sent(request, existing)

    form = ReportForm(request.POST, request.FILES, check_spam=check_spam)
    if form.is_valid():
        data = form.cleaned_data
        if check_spam and not data.get("proof_of_work") and not spam.allow(request, "unverified"):
            form = _form_from_post(request.POST, check_spam=check_spam)
            context = {"form": form, "throttled": True}
            page = render(request, "intake/public/report_form.html", context)
            return _throttled(request, "unverified", page)
        try:
            report, _code = services.submit_report(
                data,
                data["files"],
                language=get_language(),
                entered_by=staff_user,
                token_checked=True,
            )
        except services.DuplicateSubmission as duplicate:
            return _already_sent(request, duplicate.report)
        except services.ChallengeUsed:
            form.add_error(None, POW_REUSED_MESSAGE)
        else:
            return private(redirect(services.confirmation_url(report)))
    return private(render(request, "intake/public/report_form.html", {"form": form}))


@public
@require_GET
def confirmation(request: HttpRequest) -> HttpResponse:
    """Shows the receipt code of a new report once: the link works until the page with
    the code has been delivered (``OneTimePage``)."""
    display = services.claim_receipt(request.GET.get("t"))
    report, code = display.report, display.code
    if report is None:
        context: dict[str, Any] = {"reason": "invalid"}
        return private(render(request, "intake/public/already_sent.html", context, status=404))
    if code is None:
        context = {"report": report, "reason": "showing" if display.busy else "shown"}
        return private(render(request, "intake/public/already_sent.html", context))
    context = {
        "report": report,
        "code_groups": receipts.groups(code),
        "follow_up_address": request.build_absolute_uri(reverse("intake:follow_up")),
    }
    return one_time_page(request, "intake/public/confirmation.html", context, display)


@public
@require_GET
def easy_language(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/public/easy_language.html")


def _status_page(
    request: HttpRequest,
    report: Report,
    form: MessageForm | None = None,
    *,
    sent: str = "",
    message_token: str = "",
) -> HttpResponse:
    status = report.public_status
    context = {
        "report": report,
        "status": status,
        "status_label": STATUS_LABELS[ReportStatus(status)],
        "status_explanation": STATUS_EXPLANATIONS[ReportStatus(status)],
        "thread": services.public_thread(report),
        "report_files": services.files_sent_with_report(report),
        "accepts_messages": services.accepts_messages(report),
        "form": form or MessageForm(),
        "access": services.access_token(report),
        "message_token": message_token or secrets.token_urlsafe(24),
        "sent": sent,
    }
    services.mark_answers_read(report)
    return private(render(request, "intake/public/status.html", context))


def _lookup_page(request: HttpRequest, form: ReceiptForm, **flags: bool) -> HttpResponse:
    context = {"form": form, **flags}
    return private(render(request, "intake/public/follow_up.html", context))


@public
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up(request: HttpRequest) -> HttpResponse:
    """Enter the receipt to see status and thread; write messages and add files."""
    if request.method != "POST":
        return _lookup_page(request, ReceiptForm())

    if "access" in request.POST:
        if not spam.allow(request, "message"):
            return _throttled(request, "message")
        report = services.report_for_access(request.POST.get("access"))
        if report is None:
            return _lookup_page(request, ReceiptForm(), expired=True)
        form = MessageForm(request.POST, request.FILES)
        token = request.POST.get("message_token", "")
        if not services.accepts_messages(report) or not form.is_valid():
            return _status_page(request, report, form, message_token=token)
        message = services.add_reporter_message(
            report,
            form.cleaned_data["body"],
            form.cleaned_data["files"],
            message_token=token if isinstance(token, str) and len(token) <= 64 else "",
        )
        return _status_page(request, report, sent="stored" if message else "duplicate")

    if not spam.allow(request, "receipt"):
        return _throttled(request, "receipt")
    receipt_form = ReceiptForm(request.POST)
    if not receipt_form.is_valid():
        return _lookup_page(request, receipt_form)
    report = services.find_report_by_receipt(receipt_form.cleaned_data["receipt"])
    if report is None:
        # One answer for malformed and wrong codes alike; the typed code is not shown again.
        return _lookup_page(request, ReceiptForm(), not_found=True)
    return _status_page(request, report)


@public
@require_GET
def proof_of_work_challenge(request: HttpRequest) -> HttpResponse:
    """A fresh proof-of-work challenge for pow.js (JSON, never cached)."""
    if not spam.allow(request, "pow"):
        return _throttled(request, "pow", JsonResponse({"error": "too_many_requests"}))
    return private(JsonResponse(spam.new_challenge()))
