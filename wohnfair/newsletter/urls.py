from django.urls import path

from wohnfair.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("newsletter/anmelden/", views.signup, name="signup"),
    path("newsletter/anmelden/danke/", views.signup_done, name="signup_done"),
    path("newsletter/bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("newsletter/abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
