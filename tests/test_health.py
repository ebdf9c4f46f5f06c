import pytest

from lapor import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_heartbeat():
    client = health._redis_client()
    client.delete(health.HEARTBEAT_KEY)
    yield
    client.delete(health.HEARTBEAT_KEY)


def test_health_is_503_naming_the_worker_without_a_heartbeat(client):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["down"] == ["worker"]
    assert body["components"]["database"]["state"] == "ok"
    assert body["components"]["redis"]["state"] == "ok"


def test_health_is_ok_after_a_heartbeat(client):
    from lapor.tasks import heartbeat

    heartbeat.apply()  # what the worker does when beat sends it
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


def test_stale_heartbeat_means_worker_down(settings):
    import time

    health.record_heartbeat(now=time.time() - settings.HEARTBEAT_STALE_AFTER_SECONDS - 5)
    assert health.check_worker()["state"] == "down"


def test_redis_down_is_named(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["down"] == ["redis", "worker"]


def test_beat_schedules_the_heartbeat():
    from lapor.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["heartbeat"]["task"] == "lapor.tasks.heartbeat"
    assert "lapor.tasks.heartbeat" in app.tasks
