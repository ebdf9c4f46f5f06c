export DATABASE_URL=postgres://postgres@127.0.0.1:5432/lapor_similar
export DATABASE_TEST_NAME=test_lapor_similar
export REDIS_URL=redis://127.0.0.1:6379/2
export SECRET_KEY=dev SITE_URL=http://127.0.0.1:8000 LAPOR_REQUIRE_BROWSER=1
