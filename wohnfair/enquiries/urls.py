from django.urls import path

from wohnfair.enquiries.views import public, staff

app_name = "enquiries"

ENQUIRY = "staff/anfragen/<int:pk>/"

urlpatterns = [
    # Public (German without prefix; /en/, /tr/, /ar/ through i18n_patterns)
    path("anfrage/<slug:slug>/", public.submit, name="submit"),
    path("anfrage/<slug:slug>/danke/", public.thanks, name="thanks"),
    # Staff
    path("staff/anfragen/", staff.inbox, name="inbox"),
    path(ENQUIRY, staff.detail, name="detail"),
    path(ENQUIRY + "zuweisen/", staff.assign, name="assign"),
    path(ENQUIRY + "status/", staff.set_status, name="set_status"),
    path(ENQUIRY + "fall-eroeffnen/", staff.open_case, name="open_case"),
]
