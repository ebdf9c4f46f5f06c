"""The account emails (confirm an address, reset a password, and the notices that stand in for
them when an address in use is registered again, or a reset or a confirmation link is asked
for an address without such an account) in the user's language, rendered
from ``templates/accounts/email/<name>.txt`` whose first line is the subject, as plain text
with an HTML alternative in which the link is clickable (``lapor.mail``).

Services schedule these with ``transaction.on_commit``; they read the user afresh so a link is
signed over the committed state, and put the message in the outbox and send it at once
(``complaints.outbox``): a mail server that refuses leaves it to the outbox's retries instead
of failing the request after its commit.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from agencies.models import User
from complaints import outbox
from complaints.accounts.tokens import email_confirmation_token, uid_for
from lapor.mail import render_email


def _queue(subject: str, text: str, address: str) -> None:
    """Through the outbox (``complaints.outbox``), sent at once from here (the person waits
    for the link; this runs after the act's commit, where Redis is not needed): a mail server
    that refuses leaves the row to the outbox's sweep, which retries with back-off, and never
    makes the request fail after its commit. The row's text, which holds the link, is erased
    once sent."""
    rows = outbox.queue_email(subject=subject, text=text, recipients=[address],
                              forget_text=True, kick=False)
    outbox.deliver(ids=[row.pk for row in rows])


def _send(user: User, template: str, context: dict[str, object], language: str) -> None:
    with translation.override(language):
        subject, text = render_email(f"accounts/email/{template}.txt", {"user": user, **context})
    _queue(subject, text, user.email)


def send_confirmation_email(user_id: int, language: str, return_to: str = "") -> None:
    """Mail a link that confirms the user's current address (nothing if already confirmed).
    ``return_to``, a page of this site, rides along as the link's ``next`` (checked again when
    the link is opened)."""
    user = User.objects.filter(pk=user_id, is_active=True, is_email_confirmed=False).first()
    if user is None:
        return
    path = reverse("confirm_email", args=[uid_for(user), email_confirmation_token.make_token(user)])
    if return_to:
        path += "?" + urlencode({"next": return_to})
    _send(user, "confirm_email", {"link": settings.SITE_URL + path}, language)


def send_password_reset_email(user_id: int, language: str) -> None:
    """Mail a link to choose a new password (Django's reset token: it dies with the password)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    path = reverse(
        "password_reset_confirm", args=[uid_for(user), default_token_generator.make_token(user)]
    )
    _send(user, "password_reset", {"link": settings.SITE_URL + path}, language)


def send_already_registered_email(user_id: int, language: str) -> None:
    """Tell the owner of an address that someone tried to register with it: they have an
    account already, may sign in, or reset a forgotten password (see services.register)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    _send(
        user,
        "already_registered",
        {
            "login_link": settings.SITE_URL + reverse("login"),
            "reset_link": settings.SITE_URL + reverse("password_reset"),
        },
        language,
    )


def send_no_account_email(address: str, language: str) -> None:
    """Answer a reset asked for an address that no account may sign in with. Read afresh,
    as a reset link would be: an account that came since gets its link instead."""
    user = next(
        (
            user
            for user in User.objects.filter(
                email__iexact=address, is_active=True, erased_at__isnull=True
            )
            if user.has_usable_password()
        ),
        None,
    )
    if user is not None:
        send_password_reset_email(user.pk, language)
        return
    with translation.override(language):
        subject, text = render_email(
            "accounts/email/no_account.txt",
            {
                "address": address,
                "register_link": settings.SITE_URL + reverse("register"),
                "reset_link": settings.SITE_URL + reverse("password_reset"),
            },
        )
    _queue(subject, text, address)


def send_nothing_to_confirm_email(address: str, language: str) -> None:
    """Answer a new confirmation link asked for an address that no account waiting for
    confirmation uses (see services.resend_confirmation). Read afresh: an account that came
    since gets its link instead."""
    user = User.objects.filter(
        email=address, is_active=True, is_email_confirmed=False, erased_at__isnull=True
    ).first()
    if user is not None:
        send_confirmation_email(user.pk, language)
        return
    with translation.override(language):
        subject, text = render_email(
            "accounts/email/nothing_to_confirm.txt",
            {
                "address": address,
                "login_link": settings.SITE_URL + reverse("login"),
                "reset_link": settings.SITE_URL + reverse("password_reset"),
                "register_link": settings.SITE_URL + reverse("register"),
            },
        )
    _queue(subject, text, address)
