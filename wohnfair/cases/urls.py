from django.urls import path

from wohnfair.cases.views import (
    case_create,
    case_detail,
    case_edit,
    case_list,
    deadlines,
    documents,
    letters,
    privacy,
    respondents,
    workflow,
)

app_name = "cases"

CASE = "staff/faelle/<str:number>/"

urlpatterns = [
    path("staff/faelle/", case_list.case_list, name="list"),
    path("staff/faelle/zuweisen/", case_list.bulk_assign, name="bulk_assign"),
    path("staff/faelle/neu/", case_create.case_create, name="create"),
    path(CASE, case_detail.case_detail, name="detail"),
    path(CASE + "protokoll/", case_detail.case_audit_trail, name="audit_trail"),
    path(CASE + "status/", case_edit.change_status, name="change_status"),
    path(CASE + "abschliessen/", case_edit.close, name="close"),
    path(CASE + "wiedereroeffnen/", case_edit.reopen, name="reopen"),
    path(CASE + "bearbeiten/", case_edit.edit_case, name="edit"),
    path(CASE + "beratende/", case_edit.assign, name="assign"),
    path(CASE + "vorfaelle/neu/", case_edit.add_incident, name="add_incident"),
    path(CASE + "vorfaelle/<int:pk>/", case_edit.edit_incident, name="edit_incident"),
    path(CASE + "personen/neu/", case_edit.add_person, name="add_person"),
    path(CASE + "personen/<int:pk>/", case_edit.edit_person, name="edit_person"),
    path(CASE + "notizen/neu/", case_edit.add_note, name="add_note"),
    path(CASE + "einwilligungen/", case_edit.consents, name="consents"),
    path(
        CASE + "einwilligungen/<int:pk>/widerrufen/",
        case_edit.withdraw_consent,
        name="withdraw_consent",
    ),
    path(CASE + "dokumente/neu/", documents.upload, name="upload_document"),
    path(CASE + "dokumente/<int:pk>/", documents.download, name="download_document"),
    path(CASE + "personen/<int:pk>/auskunft.json", privacy.export_json, name="export_json"),
    path(CASE + "personen/<int:pk>/auskunft.pdf", privacy.export_pdf, name="export_pdf"),
    path(CASE + "personen/<int:pk>/loeschen/", privacy.erase, name="erase_person"),
    # Counselling workflow
    path(CASE + "agg/", workflow.agg_check, name="agg_check"),
    path(CASE + "interventionen/neu/", workflow.add_intervention, name="add_intervention"),
    path(CASE + "interventionen/<int:pk>/", workflow.edit_intervention, name="edit_intervention"),
    path(CASE + "aufgaben/neu/", workflow.add_task, name="add_task"),
    path(CASE + "aufgaben/<int:pk>/erledigt/", workflow.complete_task, name="complete_task"),
    path(CASE + "gespraeche/neu/", workflow.add_session, name="add_session"),
    path(CASE + "vereinbarungen/neu/", workflow.add_agreement, name="add_agreement"),
    path(
        CASE + "vereinbarungen/<int:pk>/ueberprueft/",
        workflow.review_agreement,
        name="review_agreement",
    ),
    path("staff/aufgaben/", workflow.my_tasks, name="my_tasks"),
    path(CASE + "fristen/<int:pk>/gewahrt/", deadlines.mark_met, name="mark_deadline_met"),
    path("staff/auslastung/", deadlines.workload, name="workload"),
    path("staff/benachrichtigungen/", deadlines.notifications, name="notifications"),
    path("staff/briefvorlagen/", letters.template_list, name="letter_templates"),
    path("staff/briefvorlagen/neu/", letters.template_create, name="letter_template_create"),
    path("staff/briefvorlagen/<int:pk>/", letters.template_edit, name="letter_template"),
    path(CASE + "briefe/neu/", letters.letter_create, name="letter_create"),
    path(CASE + "briefe/<int:pk>/", letters.letter_edit, name="letter"),
    path(CASE + "briefe/<int:pk>/fertigstellen/", letters.letter_finalise, name="letter_finalise"),
    # Respondents
    path("staff/verursachende/", respondents.respondent_list, name="respondents"),
    path("staff/verursachende/neu/", respondents.respondent_create, name="respondent_create"),
    path("staff/verursachende/suche/", respondents.respondent_search, name="respondent_search"),
    path("staff/verursachende/<int:pk>/", respondents.respondent_detail, name="respondent"),
]
