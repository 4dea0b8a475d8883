"""The Anticipe site: the Django project (settings, URLs, WSGI) of the workshop.

The site's data and pages live in the :mod:`anticipe.workshop` app.
"""
