"""Staff and public routes of monitoring. Each block belongs to one views module."""

app_name = "monitoring"

# views/dashboard.py: dashboard, exports, network view, public statistics, policy
from django.urls import path  # noqa: E402

from wohnfair.monitoring.views import dashboard as dashboard_views  # noqa: E402

dashboard_patterns: list = [
    path("staff/statistik/", dashboard_views.dashboard, name="dashboard"),
    path(
        "staff/statistik/export.csv",
        dashboard_views.export,
        {"file_format": "csv"},
        name="export_csv",
    ),
    path(
        "staff/statistik/export.xlsx",
        dashboard_views.export,
        {"file_format": "xlsx"},
        name="export_xlsx",
    ),
]

# views/goals.py and views/reports.py: goals, milestones, annual and funder reports
from django.urls import path  # noqa: E402

from wohnfair.monitoring.views import goals as goal_views  # noqa: E402
from wohnfair.monitoring.views import milestones as milestone_views  # noqa: E402
from wohnfair.monitoring.views import reports as report_views  # noqa: E402

reports_patterns: list = [
    path("staff/statistik/ziele/", goal_views.goal_list, name="goals"),
    path("staff/statistik/ziele/neu/", goal_views.goal_create, name="goal_create"),
    path("staff/statistik/ziele/<int:pk>/", goal_views.goal_edit, name="goal_edit"),
    path("staff/statistik/ziele/<int:pk>/loeschen/", goal_views.goal_delete, name="goal_delete"),
    path("staff/statistik/meilensteine/", milestone_views.milestone_list, name="milestones"),
    path(
        "staff/statistik/meilensteine/neu/",
        milestone_views.milestone_create,
        name="milestone_create",
    ),
    path(
        "staff/statistik/meilensteine/<int:pk>/",
        milestone_views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "staff/statistik/meilensteine/<int:pk>/loeschen/",
        milestone_views.milestone_delete,
        name="milestone_delete",
    ),
    path("staff/statistik/berichte/", report_views.report_list, name="reports"),
    path("staff/statistik/berichte/neu/", report_views.report_create, name="report_create"),
    path("staff/statistik/berichte/<int:pk>/", report_views.report_detail, name="report"),
    path(
        "staff/statistik/berichte/<int:pk>/pdf-erstellen/",
        report_views.report_generate,
        name="report_generate",
    ),
    path(
        "staff/statistik/berichte/<int:pk>/stand/",
        report_views.report_progress,
        name="report_progress",
    ),
    path(
        "staff/statistik/berichte/<int:pk>/pdf/",
        report_views.report_download,
        name="report_download",
    ),
    path(
        "staff/statistik/berichte/<int:pk>/loeschen/",
        report_views.report_delete,
        name="report_delete",
    ),
]

# views/pooling.py: API tokens, pooling export and import
# (and views/network.py, views/policy.py, views/public.py: network view, policy, public statistics)
from wohnfair.monitoring.views import network as network_views  # noqa: E402
from wohnfair.monitoring.views import policy as policy_views  # noqa: E402
from wohnfair.monitoring.views import pooling as pooling_views  # noqa: E402
from wohnfair.monitoring.views import public as public_views  # noqa: E402

pooling_patterns: list = [
    path("staff/statistik/netzwerk/", network_views.network, name="network"),
    path("staff/statistik/regeln/", policy_views.policy, name="policy"),
    path("staff/statistik/austausch/", pooling_views.pooling, name="pooling"),
    path("staff/statistik/austausch/export/", pooling_views.pooling_export, name="pooling_export"),
    path("staff/statistik/api-schluessel/", pooling_views.api_tokens, name="api_tokens"),
    path(
        "staff/statistik/api-schluessel/<int:pk>/widerrufen/",
        pooling_views.revoke_api_token,
        name="revoke_api_token",
    ),
    path("statistik/<str:code>/", public_views.public_statistics, name="public_statistics"),
]

urlpatterns = [*dashboard_patterns, *reports_patterns, *pooling_patterns]
