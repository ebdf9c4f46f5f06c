"""Fixtures of the citizen's side."""

import pytest
from rest_framework.test import APIClient

from tests.conftest import verified_api_token
from tests.factories import UserFactory


@pytest.fixture
def api_citizen():
    """A citizen's API client signed in with their token (as a phone app is)."""
    user = UserFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {verified_api_token(user).key}")
    api.user = user
    return api
