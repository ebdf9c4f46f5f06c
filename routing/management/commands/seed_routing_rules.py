"""manage.py seed_routing_rules: national default rules (category → ministry) for a demo or a
first installation; existing rules are left as they are."""

from django.core.management.base import BaseCommand

from agencies.models import Body, Region
from complaints.models import Category
from routing.models import RoutingRule

# category slug → central body source_key (a national default the verifier usually overrides
# for regional matters; regions get their own rules as they join)
NATIONAL_DEFAULTS = {
    "kesehatan": "kemenkes",
    "pendidikan": "kemendikdasmen",
    "administrasi-kependudukan": "kemendagri",
    "perhubungan": "kemenhub",
    "sosial": "kemensos",
    "ketenagakerjaan": "kemnaker",
    "pertanahan": "atr-bpn",
    "lingkungan-hidup": "klh-bplh",
    "pertanian": "kementan",
    "bencana": "bnpb",
    "teknologi-informasi": "komdigi",
}
# A regional example: infrastructure in Kota Semarang goes to its city government.
REGIONAL = [("infrastruktur", "33.74", "regency-33.74")]


class Command(BaseCommand):
    help = "Create default routing rules where none exist yet."

    def handle(self, *args: object, **options: object) -> None:
        bodies = {b.source_key: b for b in Body.objects.filter(source_key__isnull=False)}
        categories = {c.slug: c for c in Category.objects.all()}
        created = 0
        for slug, key in NATIONAL_DEFAULTS.items():
            if slug in categories and key in bodies:
                _, made = RoutingRule.objects.get_or_create(
                    category=categories[slug], region=None, is_active=True,
                    defaults={"body": bodies[key]},
                )
                created += made
        for slug, region_code, key in REGIONAL:
            region = Region.objects.filter(code=region_code).first()
            if slug in categories and region and key in bodies:
                _, made = RoutingRule.objects.get_or_create(
                    category=categories[slug], region=region, is_active=True,
                    defaults={"body": bodies[key]},
                )
                created += made
        self.stdout.write(f"routing rules: {created} created")
