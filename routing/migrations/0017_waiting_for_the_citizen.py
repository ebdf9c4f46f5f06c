"""Waiting for the citizen: a policy says whether its clock pauses while the citizen is asked
for information (a new version of verification's does; the body's clocks and the 60 days do
not), and a clock of the citizen's reply: silent for 10 working days, the citizen is reminded
once (its warning 5 working days before the end of day 15); at the end of day 15 the report is
closed with the policy's closing note, which the citizen reads."""

from django.db import migrations, models

CLOSING_NOTE = (
    "Laporan ditutup karena informasi yang diminta dari pelapor tidak diterima dalam 15 hari "
    "kerja. Anda dapat mengirim laporan baru dengan informasi yang lengkap."
)


def new_versions(apps, schema_editor):
    DeadlinePolicy = apps.get_model("routing", "DeadlinePolicy")
    old = DeadlinePolicy.objects.filter(clock="verification", is_current=True).first()
    if old is not None and not old.pauses_for_citizen:
        old.is_current = False
        old.save(update_fields=["is_current"])
        DeadlinePolicy.objects.create(
            clock="verification", version=old.version + 1, length_hours=old.length_hours,
            working_days=old.working_days, day_one=old.day_one, action=old.action,
            warnings_before=old.warnings_before, pauses_for_citizen=True, is_current=True,
        )
    if not DeadlinePolicy.objects.filter(clock="citizen_reply").exists():
        DeadlinePolicy.objects.create(
            clock="citizen_reply", version=1, length_hours=None, working_days=15,
            day_one="next_working_day", action="close_unanswered", warnings_before=[5],
            closing_note=CLOSING_NOTE, is_current=True,
        )


class Migration(migrations.Migration):

    dependencies = [
        ('routing', '0016_next_step_clock'),
    ]

    operations = [
        migrations.AddField(
            model_name='clock',
            name='paused_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='deadlinepolicy',
            name='closing_note',
            field=models.TextField(blank=True, db_default='', default='', verbose_name='alasan penutupan untuk pelapor'),
        ),
        migrations.AddField(
            model_name='deadlinepolicy',
            name='pauses_for_citizen',
            field=models.BooleanField(db_default=False, default=False, verbose_name='berhenti sementara saat menunggu pelapor'),
        ),
        migrations.AlterField(
            model_name='clock',
            name='kind',
            field=models.CharField(choices=[('first_response', 'Tanggapan pertama'), ('follow_up', 'Tindak lanjut'), ('next_step', 'Tindak lanjut berkala'), ('verification', 'Verifikasi'), ('citizen_silence', 'Pelapor tidak menanggapi jawaban'), ('citizen_reply', 'Menunggu jawaban pelapor')], max_length=16),
        ),
        migrations.AlterField(
            model_name='clock',
            name='state',
            field=models.CharField(choices=[('running', 'Berjalan'), ('paused', 'Menunggu pelapor'), ('stopped', 'Berhenti'), ('breached', 'Terlewati')], default='running', max_length=8),
        ),
        migrations.AlterField(
            model_name='clockwarning',
            name='state',
            field=models.CharField(choices=[('pending', 'Menunggu'), ('held', 'Ditahan selama jam berhenti'), ('sent', 'Terkirim'), ('dropped', 'Tidak dikirim')], default='pending', max_length=8),
        ),
        migrations.AlterField(
            model_name='deadlinepolicy',
            name='action',
            field=models.CharField(choices=[('mark_overdue', 'Tandai terlambat dan beri tahu pimpinan'), ('notify', 'Beri tahu pimpinan verifikator'), ('escalate_ombudsman', 'Teruskan ke Ombudsman RI'), ('close', 'Tutup laporan'), ('close_unanswered', 'Tutup laporan yang pertanyaannya tidak dijawab')], max_length=24, verbose_name='bila terlewati'),
        ),
        migrations.AlterField(
            model_name='deadlinepolicy',
            name='clock',
            field=models.CharField(choices=[('first_response', 'Tanggapan pertama'), ('follow_up', 'Tindak lanjut'), ('next_step', 'Tindak lanjut berkala'), ('verification', 'Verifikasi'), ('citizen_silence', 'Pelapor tidak menanggapi jawaban'), ('citizen_reply', 'Menunggu jawaban pelapor')], max_length=16, verbose_name='jenis tenggat'),
        ),
        migrations.RunPython(new_versions, migrations.RunPython.noop),
    ]
