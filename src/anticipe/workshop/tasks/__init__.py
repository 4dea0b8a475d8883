"""The site's background tasks: long work that a request asks for and does not wait for.

Tasks are declared with Django's tasks framework (DEP 14; ``django.tasks`` from Django 6.0,
here its backport ``django_tasks`` for Django 5.2): a function decorated with ``@task()``,
started with ``.enqueue(...)`` with JSON arguments (ids, never model instances). Where they
run is a setting (``TASKS``, from ``ANTICIPE_TASKS``, see :mod:`anticipe.site.settings`):

- ``immediate`` (the default): at once, in the process that enqueues, before ``enqueue``
  returns, so ``anticipe demo`` and the tests need no other process;
- ``database``: queued in the database (the ``django_tasks_db`` app) and run by
  ``anticipe manage db_worker`` on any machine that reaches the database.

A task records its progress and outcome where every process finds it (the database, or the
cache when it is shared), so a page can show how far it is, whichever server answers.

One module per kind of work: :mod:`.reports` (the report's files), :mod:`.results` (the
study's analysis, computed when a round closes or a decision changes it).
"""
