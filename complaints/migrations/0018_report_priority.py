"""A report's priority (biasa / tinggi / darurat), from its category's default priority when
submitted; a verifier may change it with a reason (event "priority_changed", staff only).
Every category starts as "biasa"; the system admin sets each one's default in the admin."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0017_report_due_soon_from'),
    ]

    operations = [
        migrations.AddField(
            model_name='category',
            name='default_priority',
            field=models.CharField(choices=[('normal', 'Biasa'), ('high', 'Tinggi'), ('emergency', 'Darurat')], db_default='normal', default='normal', max_length=10, verbose_name='prioritas bawaan'),
        ),
        migrations.AddField(
            model_name='report',
            name='priority',
            field=models.CharField(choices=[('normal', 'Biasa'), ('high', 'Tinggi'), ('emergency', 'Darurat')], db_default='normal', default='normal', max_length=10, verbose_name='prioritas'),
        ),
        migrations.AlterField(
            model_name='reportevent',
            name='kind',
            field=models.CharField(choices=[('submitted', 'Laporan dikirim'), ('info_added', 'Pelapor menambah informasi'), ('citizen_reply', 'Pelapor menjawab'), ('rejected', 'Laporan ditolak'), ('duplicate', 'Ditandai sebagai duplikat'), ('completion_requested', 'Pelapor diminta melengkapi laporan'), ('dispositioned', 'Diteruskan ke instansi'), ('disposed_down', 'Diteruskan ke unit di bawahnya'), ('redirected', 'Dialihkan ke instansi lain'), ('escalated', 'Dinaikkan ke instansi induk'), ('first_response', 'Tanggapan pertama'), ('response', 'Tanggapan instansi'), ('info_requested', 'Instansi meminta informasi'), ('internal_note', 'Catatan internal'), ('resolved', 'Jawaban akhir'), ('reopened', 'Dibuka kembali'), ('accepted', 'Pelapor menerima jawaban'), ('closed', 'Laporan ditutup'), ('rated', 'Pelapor memberi penilaian'), ('ombudsman_escalated', 'Diteruskan ke Ombudsman RI'), ('deadline_breached', 'Tenggat terlewati'), ('priority_changed', 'Prioritas diubah')], max_length=32),
        ),
    ]
