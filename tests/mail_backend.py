"""A mail backend for the tests that stands for a real mail server (SMTP): the site says
messages are sent; they land in ``django.core.mail.outbox`` as with the memory backend."""

from django.core.mail.backends.locmem import EmailBackend


class DeliveringBackend(EmailBackend):
    pass
