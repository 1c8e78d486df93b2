from django.urls import path

from wohnfair.intake.views import public, staff

app_name = "intake"

REPORT = "staff/meldungen/<str:reference>/"

urlpatterns = [
    # Public (German without prefix; /en/, /tr/, /ar/ through i18n_patterns)
    path("melden/", public.report_form, name="report"),
    path("melden/bestaetigung/", public.confirmation, name="confirmation"),
    path("melden/leichte-sprache/", public.easy_language, name="easy_language"),
    path("melden/status/", public.follow_up, name="follow_up"),
    path("melden/pow/", public.proof_of_work_challenge, name="pow_challenge"),
    # Staff
    path("staff/meldungen/", staff.queue, name="queue"),
    path("staff/meldungen/aufnehmen/", staff.enter_report, name="enter_report"),
    path(REPORT, staff.report_detail, name="detail"),
    path(REPORT + "zuweisen/", staff.assign, name="assign"),
    path(REPORT + "antworten/", staff.reply, name="reply"),
    path(REPORT + "status/", staff.set_status, name="set_status"),
    path(REPORT + "weiterleiten/", staff.forward, name="forward"),
    path(REPORT + "fall-eroeffnen/", staff.open_case, name="open_case"),
    path(REPORT + "dateien/<int:pk>/", staff.download_file, name="download_file"),
    path("staff/zustaendigkeit/", staff.catchment, name="catchment"),
]
