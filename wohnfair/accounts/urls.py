from django.urls import path

from wohnfair.accounts import views

app_name = "accounts"

urlpatterns = [
    path("staff/team/", views.team, name="team"),
    path("staff/team/einladen/", views.invite, name="invite"),
    path("staff/team/<int:pk>/", views.member, name="member"),
    path("staff/team/<int:pk>/deaktivieren/", views.deactivate, name="deactivate"),
    path("staff/team/<int:pk>/aktivieren/", views.reactivate, name="reactivate"),
    path("staff/organisation/", views.switch_organisation, name="switch_organisation"),
    path("einladung/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
