"""Fill the public copy (complaints.redaction) of the reports written before it existed, in
batches of BATCH by id, each batch committed on its own (the migration is not atomic), so a
national table is not rewritten in one long transaction and a rerun continues where it
stopped (it only touches rows whose copy is still empty)."""

from django.db import migrations
from django.db.models import Q

from complaints.redaction import public_copy

BATCH = 2000


def backfill(apps, schema_editor):
    Region = apps.get_model("agencies", "Region")
    Report = apps.get_model("complaints", "Report")
    districts = frozenset(
        code.replace(".", "")
        for code in Region.objects.filter(level="district").values_list("code", flat=True)
    )
    todo = Report.objects.filter(public_title="", public_description="").exclude(
        Q(title="") & Q(description="")
    )
    last = 0
    while True:
        batch = list(
            todo.filter(pk__gt=last).order_by("pk").only("id", "title", "description")[:BATCH]
        )
        if not batch:
            return
        for report in batch:
            report.public_title = public_copy(report.title, districts=districts)
            report.public_description = public_copy(report.description, districts=districts)
        Report.objects.bulk_update(batch, ["public_title", "public_description"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("complaints", "0021_report_public_copy"), ("agencies", "0001_initial")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
