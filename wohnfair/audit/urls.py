from django.urls import path

from wohnfair.audit import views

app_name = "audit"

urlpatterns = [path("staff/protokoll/", views.log, name="log")]
