"""The site's own date formats (settings.FORMAT_MODULE_PATH): English pages write dates as
the report and the command line do (``presentation.date_text``: "6 December 2026",
06/12/2026), not Django's US default (Dec. 6, 2026; 12/06/2026). French keeps Django's
French formats, which already agree ("6 décembre 2026", 06/12/2026)."""
