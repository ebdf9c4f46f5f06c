"""The signed-in user of a request, typed. Django and DRF type ``request.user`` as
``User | AnonymousUser``; a page behind ``login_required``, the admin and an API view that
requires authentication act for a ``User``, and say so here instead of at every use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from agencies.models import User

if TYPE_CHECKING:
    from rest_framework.request import Request


class AuthenticatedRequest(HttpRequest):
    """The request of a page view behind ``login_required``: its user has signed in. A type
    only (Django builds the request); annotate such a view's ``request`` with it."""

    user: User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The user of a request that only a signed-in user gets this far with (the admin, an API
    view whose permission classes require authentication), where the base class fixes the
    request's type. Refuses (403) an anonymous one, which those checks already turned away."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
