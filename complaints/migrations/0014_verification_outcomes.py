# Tunda, Bukan wewenang and Arsipkan: their statuses and events, the return date of a postponed report and the index its return reads.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0013_email_outbox'),
    ]

    operations = [
        migrations.AddField(
            model_name='report',
            name='returns_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='kembali ke antrean verifikasi'),
        ),
        migrations.AlterField(
            model_name='report',
            name='status',
            field=models.CharField(choices=[('draft', 'Draf'), ('submitted', 'Menunggu verifikasi'), ('dispositioned', 'Diteruskan ke instansi'), ('in_progress', 'Sedang ditindaklanjuti'), ('resolved', 'Sudah dijawab'), ('closed', 'Selesai'), ('rejected', 'Ditolak'), ('postponed', 'Ditunda'), ('referred_out', 'Bukan wewenang'), ('archived', 'Diarsipkan')], default='draft', max_length=16, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='reportevent',
            name='kind',
            field=models.CharField(choices=[('submitted', 'Laporan dikirim'), ('info_added', 'Pelapor menambah informasi'), ('citizen_reply', 'Pelapor menjawab'), ('rejected', 'Laporan ditolak'), ('duplicate', 'Ditandai sebagai duplikat'), ('completion_requested', 'Pelapor diminta melengkapi laporan'), ('dispositioned', 'Diteruskan ke instansi'), ('disposed_down', 'Diteruskan ke unit di bawahnya'), ('redirected', 'Dialihkan ke instansi lain'), ('escalated', 'Dinaikkan ke instansi induk'), ('first_response', 'Tanggapan pertama'), ('response', 'Tanggapan instansi'), ('info_requested', 'Instansi meminta informasi'), ('internal_note', 'Catatan internal'), ('resolved', 'Jawaban akhir'), ('reopened', 'Dibuka kembali'), ('accepted', 'Pelapor menerima jawaban'), ('closed', 'Laporan ditutup'), ('rated', 'Pelapor memberi penilaian'), ('ombudsman_escalated', 'Diteruskan ke Ombudsman RI'), ('deadline_breached', 'Tenggat terlewati'), ('postponed', 'Verifikasi ditunda'), ('postponement_ended', 'Kembali ke antrean verifikasi'), ('referred_out', 'Bukan wewenang instansi dalam LAPOR!'), ('archived', 'Diarsipkan')], max_length=32),
        ),
        migrations.AddIndex(
            model_name='report',
            index=models.Index(condition=models.Q(('status', 'postponed')), fields=['returns_at', 'id'], name='report_postponed_return_idx'),
        ),
    ]
