"""URLs of the Atom feeds (namespace "feeds", under /umpan/) and of the email alerts
(namespace "alerts", under /peringatan/). Feed paths are stable: readers keep them."""

from django.contrib.syndication.views import Feed
from django.urls import URLPattern, path

from complaints.feeds import AnswersFeed, ReportsFeed
from complaints.views import alerts

reports, answers = ReportsFeed(), AnswersFeed()


def _feeds(prefix: str, feed: Feed, name: str) -> list[URLPattern]:
    return [
        path(f"{prefix}/", feed, name=name),
        path(f"{prefix}/wilayah/<str:code>/", feed, name=f"{name}-region"),
        path(f"{prefix}/wilayah/<str:code>/kategori/<slug:category>/", feed,
             name=f"{name}-region-category"),
        path(f"{prefix}/instansi/<int:body>/", feed, name=f"{name}-body"),
        path(f"{prefix}/instansi/<int:body>/kategori/<slug:category>/", feed,
             name=f"{name}-body-category"),
        path(f"{prefix}/kategori/<slug:category>/", feed, name=f"{name}-category"),
    ]


feed_patterns = [*_feeds("laporan", reports, "reports"), *_feeds("jawaban", answers, "answers")]

alert_pages = [
    path("", alerts.subscribe_page, name="subscribe"),
    path("terkirim/", alerts.sent_page, name="sent"),
    path("konfirmasi/<str:token>/", alerts.confirm_page, name="confirm"),
    path("berhenti/<str:token>/", alerts.unsubscribe_page, name="unsubscribe"),
    path("kelola/<str:token>/", alerts.manage_page, name="manage"),
]
