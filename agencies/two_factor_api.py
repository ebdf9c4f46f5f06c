"""The API's side of two-step sign-in: DRF's token and session authentication, refusing
(401, like any credentials that are not enough, in the user's language) a person who must
enter a second-factor code and whose credentials did not. A token carries the mark
``VerifiedApiToken`` when it was issued with a code (``POST /api/v1/auth/token/`` with
``otp_code``); a session is verified when its person entered a code on the site (django-otp's
middleware). Tokens issued before someone had to use a second factor stop working until a new
one is asked for with a code."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token
from rest_framework.request import Request

from agencies import access, two_factor
from agencies.models import User
from lapor.compiled_query import CompiledQuery

# The token of every API request, its user and its second-factor mark in the same query, and
# whether the user has any membership (a citizen's request then reads none): compiled once.
token_with_marks: CompiledQuery[Token] = CompiledQuery(
    lambda key: Token.objects.select_related("user", "second_factor")
    .annotate(has_memberships=access.has_memberships_subquery())
    .filter(key=key)
)


class SecondFactorTokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            token = token_with_marks.get(key)
        except Token.DoesNotExist:
            return super().authenticate_credentials(key)  # DRF's own "invalid token"
        user: User = token.user
        access.known_memberships(user, has_any=token.has_memberships)  # type: ignore[attr-defined]
        if not user.is_active:
            return super().authenticate_credentials(key)
        if not two_factor.token_is_enough(user, token):
            raise exceptions.AuthenticationFailed(two_factor.token_refused_message())
        return user, token


class SecondFactorSessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        if found is None:
            return None
        user = found[0]
        if two_factor.must_verify(user) and not two_factor.is_verified(user):
            raise exceptions.AuthenticationFailed(two_factor.session_refused_message())
        return found


class SecondFactorSessionScheme(SessionScheme):
    """The schema names the session as drf-spectacular names Django's (``cookieAuth``)."""

    target_class = "agencies.two_factor_api.SecondFactorSessionAuthentication"
