"""URLs of the workshop, gathered from each feature's views module (one module per feature,
each with its own ``urlpatterns``)."""

from django.urls import path

from anticipe.workshop.views import (
    desk,
    expert,
    glossary,
    home,
    invitations,
    joining,
    lifecycle,
    members,
    panel,
    privacy,
    respondent,
    rounds,
    self_assessment,
    self_assessment_handout,
    setup,
)

app_name = "workshop"

urlpatterns = [
    path("", home.home, name="home"),
    *joining.urlpatterns,
    *setup.urlpatterns,
    *lifecycle.urlpatterns,
    *members.urlpatterns,
    *panel.urlpatterns,
    *invitations.urlpatterns,
    *privacy.urlpatterns,
    *glossary.urlpatterns,
    *rounds.urlpatterns,
    *expert.urlpatterns,
    *desk.urlpatterns,
    *self_assessment.urlpatterns,
    *self_assessment_handout.urlpatterns,
    *respondent.urlpatterns,
]
