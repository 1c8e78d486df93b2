"""Staff and public routes of monitoring, grouped by the views module that serves them."""

from django.urls import path

from wohnfair.monitoring.views import dashboard as dashboard_views
from wohnfair.monitoring.views import goals as goal_views
from wohnfair.monitoring.views import milestones as milestone_views
from wohnfair.monitoring.views import network as network_views
from wohnfair.monitoring.views import policy as policy_views
from wohnfair.monitoring.views import pooling as pooling_views
from wohnfair.monitoring.views import public as public_views
from wohnfair.monitoring.views import reports as report_views

app_name = "monitoring"

STAFF = "staff/statistik/"

urlpatterns = [
    # dashboard and its exports
    path(STAFF, dashboard_views.dashboard, name="dashboard"),
    path(f"{STAFF}export.csv", dashboard_views.export, {"file_format": "csv"}, name="export_csv"),
    path(
        f"{STAFF}export.xlsx", dashboard_views.export, {"file_format": "xlsx"}, name="export_xlsx"
    ),
    # goals
    path(f"{STAFF}ziele/", goal_views.goal_list, name="goals"),
    path(f"{STAFF}ziele/neu/", goal_views.goal_create, name="goal_create"),
    path(f"{STAFF}ziele/<int:pk>/", goal_views.goal_edit, name="goal_edit"),
    path(f"{STAFF}ziele/<int:pk>/loeschen/", goal_views.goal_delete, name="goal_delete"),
    # milestones
    path(f"{STAFF}meilensteine/", milestone_views.milestone_list, name="milestones"),
    path(f"{STAFF}meilensteine/neu/", milestone_views.milestone_create, name="milestone_create"),
    path(f"{STAFF}meilensteine/<int:pk>/", milestone_views.milestone_edit, name="milestone_edit"),
    path(
        f"{STAFF}meilensteine/<int:pk>/loeschen/",
        milestone_views.milestone_delete,
        name="milestone_delete",
    ),
    # annual and funder reports
    path(f"{STAFF}berichte/", report_views.report_list, name="reports"),
    path(f"{STAFF}berichte/neu/", report_views.report_create, name="report_create"),
    path(f"{STAFF}berichte/<int:pk>/", report_views.report_detail, name="report"),
    path(
        f"{STAFF}berichte/<int:pk>/pdf-erstellen/",
        report_views.report_generate,
        name="report_generate",
    ),
    path(f"{STAFF}berichte/<int:pk>/stand/", report_views.report_progress, name="report_progress"),
    path(f"{STAFF}berichte/<int:pk>/pdf/", report_views.report_download, name="report_download"),
    path(f"{STAFF}berichte/<int:pk>/loeschen/", report_views.report_delete, name="report_delete"),
    # network view, rules, exchange between installations, API keys
    path(f"{STAFF}netzwerk/", network_views.network, name="network"),
    path(f"{STAFF}regeln/", policy_views.policy, name="policy"),
    path(f"{STAFF}austausch/", pooling_views.pooling, name="pooling"),
    path(f"{STAFF}austausch/export/", pooling_views.pooling_export, name="pooling_export"),
    path(f"{STAFF}api-schluessel/", pooling_views.api_tokens, name="api_tokens"),
    path(
        f"{STAFF}api-schluessel/<int:pk>/widerrufen/",
        pooling_views.revoke_api_token,
        name="revoke_api_token",
    ),
    # public statistics of an organisation that opted in
    path("statistik/<str:code>/", public_views.public_statistics, name="public_statistics"),
]
