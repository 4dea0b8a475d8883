"""Settings for the test suite: the site's one settings module, with a test environment.

DATABASE_URL (PostgreSQL) is taken from the environment when set, so the same suite runs
on SQLite and on PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("ANTICIPE_SECRET_KEY", "tests-only-" + "k" * 50)
os.environ.setdefault("ANTICIPE_SECURE", "0")
os.environ.setdefault("ANTICIPE_DATA_DIR", tempfile.mkdtemp(prefix="anticipe-tests-"))

from anticipe.site.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test logins
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
