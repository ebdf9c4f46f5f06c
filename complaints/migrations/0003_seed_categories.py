"""Seed the public-service categories (admins edit them afterwards)."""

from django.db import migrations

CATEGORIES = [
    ("kesehatan", "Kesehatan", "Puskesmas, rumah sakit, BPJS Kesehatan, obat dan tenaga kesehatan"),
    ("pendidikan", "Pendidikan", "Sekolah, PPDB, guru, beasiswa dan KIP"),
    ("administrasi-kependudukan", "Administrasi Kependudukan", "KTP-el, KK, akta, pindah datang"),
    ("infrastruktur", "Infrastruktur dan Jalan", "Jalan rusak, jembatan, drainase, penerangan jalan"),
    ("lingkungan-hidup", "Lingkungan Hidup dan Kebersihan", "Sampah, pencemaran, banjir, taman"),
    ("perhubungan", "Transportasi dan Perhubungan", "Angkutan umum, terminal, parkir, lalu lintas"),
    ("sosial", "Bantuan Sosial", "PKH, BPNT, bansos, data DTKS, penyandang disabilitas"),
    ("ketenagakerjaan", "Ketenagakerjaan", "Upah, PHK, BPJS Ketenagakerjaan, pekerja migran"),
    ("perizinan", "Perizinan dan Investasi", "OSS, IMB/PBG, izin usaha"),
    ("pertanahan", "Pertanahan", "Sertifikat tanah, sengketa, PTSL"),
    ("listrik-air", "Listrik, Air Bersih dan Energi", "PLN, PDAM, gas elpiji, BBM"),
    ("ketertiban", "Ketertiban Umum dan Keamanan", "Pungutan liar, premanisme, Satpol PP"),
    ("pelayanan-publik", "Perilaku Aparatur dan Pelayanan Publik", "Pungli, maladministrasi, layanan lambat"),
    ("perpajakan", "Pajak dan Retribusi", "PBB, pajak kendaraan, retribusi daerah"),
    ("pertanian", "Pertanian dan Pangan", "Pupuk bersubsidi, harga pangan, irigasi"),
    ("bencana", "Penanggulangan Bencana", "Tanggap darurat, pengungsian, rehabilitasi"),
    ("teknologi-informasi", "Layanan Digital dan Telekomunikasi", "Aplikasi pemerintah, sinyal, data pribadi"),
    ("lainnya", "Lainnya", "Topik pelayanan publik lain"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for order, (slug, name, description) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_report_event_append_only")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
