"""The workshop: studies, their panel and rounds, the experts' answers, the decisions.

A Django app. It stores what the facilitator and the experts enter and hands it to the
method core through the study file format (:mod:`anticipe.workshop.study_format`).
"""
