"""Regions as filing reads them (agencies.cached): a province at a time, once per process and
config version."""

from __future__ import annotations

import pytest

from agencies import cached
from agencies.config_cache import cache
from agencies.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_one_query_reads_a_province_and_everything_in_it(django_assert_num_queries):
    semarang_tengah = Region.objects.get(code="33.74.01")
    last_district = Region.objects.filter(code__startswith="33.", level="district").last()
    with django_assert_num_queries(2):  # the config version, then Central Java whole
        assert cached.region_by_code("33.74.01") == semarang_tengah
    with django_assert_num_queries(3):  # the version only (read at each call outside a request)
        assert cached.region_by_code("33.74").level == Region.Level.REGENCY
        assert cached.region_by_code("33").level == Region.Level.PROVINCE
        assert cached.region_by_code(last_district.code) == last_district
    with django_assert_num_queries(2):  # another province: its own load
        assert cached.region_by_code("91").level == Region.Level.PROVINCE


def test_an_unknown_code_is_none_and_a_code_of_another_province_is_not_confused():
    assert cached.region_by_code("33.99.99") is None
    assert cached.region_by_code("99") is None
    assert cached.region_by_code("") is None
    # "3" is not the start of "33": a province is matched on its whole code
    assert cached.region_by_code("3") is None


def test_a_renamed_region_is_read_again_once_the_change_is_committed():
    assert cached.region_by_code("33.74.01").name != "Semarang Tengah Baru"
    Region.objects.filter(code="33.74.01").update(name="Semarang Tengah Baru")
    assert cached.region_by_code("33.74.01").name == "Semarang Tengah Baru"
