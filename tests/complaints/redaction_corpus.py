# ruff: noqa: E501  (a corpus of sentences: one per line reads best)
"""Real-looking Indonesian report texts with their personal data marked, for measuring the
recognisers of ``complaints.redaction``: ``[[kind:text]]`` marks a span the public copy must
mask (kind: nik, kk, phone, email, plate, bank_account); everything else must stay. Many lines
are hard negatives: 16-digit numbers that are not a NIK (an unknown district, a day or month
that is no date), invoice and meter numbers, years, prices, dates, RT/RW, road kilometres,
house numbers, units. A few positives are written in ways the recognisers do not catch (a
lowercase plate, an email spelled out): the recall they measure is honest.

The NIKs use districts of the idn-area data (33.74.01 Semarang Tengah, 31.71.01 Gambir,
32.73.05 Andir, 35.78.10 Tambaksari, 12.71.02 Medan Sunggal, 73.71.03 Makassar, 51.71.01
Denpasar Selatan, 64.72.04 Samarinda Ilir, 34.71.09 Kraton, 18.71.01 Kedaton, 63.71.02
Banjarmasin Timur, 31.74.06 Cilandak, 35.07.12 Sumberpucung, 32.01.03 Citeureup)."""

from __future__ import annotations

import re

CORPUS = [
    # --- NIK and KK --------------------------------------------------------------------
    "Saya warga Semarang Tengah, NIK [[nik:3374015705900003]], mohon jalan depan rumah diperbaiki.",
    "Nama saya Budi Santoso NIK: [[nik:3171011208850002]] tinggal di Gambir.",
    "KTP saya [[nik:3273052403920001]] ditolak saat daftar BPJS padahal data sudah benar.",
    "Ibu saya (NIK [[nik:3578106506650004]]) tidak menerima bantuan sosial sejak Januari.",
    "Nomor induk kependudukan [[nik:1271020101800011]] tercatat ganda di Dukcapil.",
    "Data anak saya [[nik:7371034310150002]] belum masuk Kartu Indonesia Pintar.",
    "Sudah 3 kali ke kantor kelurahan, NIK [[nik:5171011507780005]] tetap tidak terbaca.",
    "Penerima PKH atas nama Siti, NIK [[nik:6472045201880003]], dicoret tanpa alasan.",
    "Mohon cek NIK [[nik:3471 0912 0395 0001]] di sistem, status masih belum aktif.",
    "NIK suami saya [[nik:1871011111870004]], NIK saya [[nik:1871015802890002]].",
    "Kartu keluarga no [[kk:3374012010150007]] belum diperbarui setelah pindah.",
    "No. KK [[kk:6371021504120003]] tidak muncul di aplikasi DTKS.",
    "Nomor KK kami [[kk:3174061203180010]] sudah diajukan ke disdukcapil sejak Maret.",
    "KK: [[kk:3507121906140002]], mohon dicek kenapa bantuan beras tidak cair.",
    "NIK [[nik:337401-570590-0003]] saya tulis di formulir tapi petugas bilang salah.",
    "e-KTP saya dengan nomor [[nik:3201034708950001]] hilang, sudah lapor polisi.",
    "Tolong verifikasi NIK:[[nik:3273051010010005]] untuk vaksinasi anak.",
    "Pendaftaran sekolah gagal, NIK anak [[nik:3578104612120001]] dianggap di luar zonasi.",
    # hard negatives: 16 digits that are not a NIK
    "Nomor invoice 9912345678901234 sudah dibayar tetapi tagihan masih muncul.",
    "ID transaksi 2024031512345678 gagal di aplikasi pembayaran PBB.",
    "Nomor tagihan 1234567890123456 dari PDAM tidak sesuai pemakaian.",
    "Nomor referensi 3374013213900001 dari bank tidak dikenali petugas.",
    "Nomor pesanan 0000111122223333 belum dikirim sejak minggu lalu.",
    "Kode billing 8201234567890123 untuk pajak kendaraan tidak bisa dibayar.",
    "Nomor resi JNE 5566778899001122 tidak bisa dilacak.",
    "Nomor kontrak 3171019999990001 dengan pengembang tidak sesuai.",
    "Nomor seri meter 3374010101000000 tertulis di berita acara.",
    "Kode voucher 4444555566667777 dari program kartu prakerja tidak berlaku.",
    # --- phone numbers -------------------------------------------------------------------
    "Bisa hubungi saya di [[phone:081234567890]] kalau petugas butuh keterangan.",
    "WA saya [[phone:0812-3456-7890]], saya siap menunjukkan lokasinya.",
    "Nomor HP pelaku penipuan [[phone:0857 1122 3344]] masih aktif sampai sekarang.",
    "Silakan telepon [[phone:+62 813 2233 4455]] (pak RT) untuk konfirmasi.",
    "Kontak pengelola parkir liar: [[phone:6281398765432]].",
    "Admin pinjol terus menelepon dari [[phone:0896-1234-5678]] dan [[phone:0878 9988 7766]].",
    "Petugas PLN memberi nomor [[phone:+6282112345678]] tapi tidak pernah diangkat.",
    "Telepon kantor kecamatan [[phone:(021) 555 1234]] tidak pernah tersambung.",
    "Saya sudah SMS ke [[phone:0811.2345.678]] tapi tidak ada balasan.",
    "Hubungi [[phone:0274-512345]] untuk informasi puskesmas.",
    "No hp: [[phone:08567788990]] a.n. Rina.",
    "Nomor darurat [[phone:+62-21-7654321]] di papan informasi sudah mati.",
    "Calo menawarkan lewat WhatsApp [[phone:0822 4455 6677]] dengan biaya Rp 500.000.",
    # hard negatives for phones
    "Kejadian tanggal 08-12-2023 sekitar pukul 08.30 WIB.",
    "Antrean nomor 0812 sudah dipanggil tapi loket tutup.",
    "Jumlah penerima 62.000 orang di kabupaten ini menurut data 2022.",
    "Tagihan listrik naik menjadi Rp 1.500.000 per bulan sejak 2023.",
    "Pada 08/09/2024 jalan di km 62 longsor.",
    "Kode pos 50132 Semarang Tengah.",
    "Jam buka 08.00 sampai 16.00 WITA setiap hari kerja.",
    "Sekitar 0,8 hektar sawah terendam sejak tanggal 6 Februari.",
    # --- email -----------------------------------------------------------------------------
    "Balasan bisa dikirim ke [[email:budi.santoso@gmail.com]] karena saya jarang buka aplikasi.",
    "Email saya [[email:siti_rahma88@yahoo.co.id]] belum menerima konfirmasi.",
    "Penipu memakai alamat [[email:admin.bansos@kemensos-bantuan.net]] untuk meminta data.",
    "Kirim dokumen ke [[email:rt05.sukamaju@outlook.com]], terima kasih.",
    "Surel kepala sekolah [[email:kepsek@sdn3-makassar.sch.id]] tidak pernah dibalas.",
    "Kontak saya: [[email:andi [at] gmail.com]].",
    "Bisa juga lewat [[email:dewi.lestari dot 90 at gmail dot com]] kalau sempat.",
    # hard negatives for email
    "Informasi lengkap ada di situs www.lapor.go.id dan akun @lapor1708.",
    "Akun Instagram @dishub.kotasmg sudah saya tandai tapi tidak ada tanggapan.",
    # --- plates ------------------------------------------------------------------------------
    "Truk bernomor polisi [[plate:B 9512 TRX]] parkir di trotoar setiap malam.",
    "Mobil dinas [[plate:H 1234 XY]] dipakai untuk keperluan pribadi di akhir pekan.",
    "Angkot [[plate:D 1987 AB]] menurunkan penumpang di tengah jalan.",
    "Motor [[plate:AB 3456 KL]] ugal-ugalan di depan sekolah.",
    "Bus [[plate:L 7011 UZ]] menabrak pagar lalu kabur.",
    "Pikap [[plate:DK 8890 FB]] membuang sampah di sungai.",
    "Kendaraan [[plate:BK 1122 ABC]] menggunakan BBM subsidi berulang kali.",
    "Truk tangki [[plate:KT 8123 MN]] bocor di jalan poros.",
    "Mobil [[plate:DD 1234 QW]] milik oknum pegawai parkir di area difabel.",
    "Ambulans desa [[plate:AD 9001 CE]] tidak pernah dipakai untuk warga.",
    "Taksi [[plate:B1234ZZZ]] menolak argo dan meminta tarif borongan.",
    "Motor [[plate:N 5678 AAB]] dan mobil [[plate:W 1010 JK]] terlibat pungli parkir.",
    "Kendaraan dinas [[plate:KB 1 A]] terlihat di tempat hiburan malam.",
    "Truk sampah [[plate:BL 8765 AD]] tidak datang dua minggu.",
    "Motor [[plate:PA 4321 JA]] menabrak pejalan kaki di Jayapura.",
    "Pelaku menggunakan mobil [[plate:DA 1357 UB]] berwarna hitam.",
    "Saya lihat mobil dengan nopol [[plate:b 1234 xyz]] membuang limbah.",
    # hard negatives for plates
    "Rumah saya di Blok B 12 A, Perumahan Griya Asri, RT 03 RW 07.",
    "Jalan berlubang di km 12 arah Bandung, sekitar 500 m dari gerbang tol.",
    "Kebutuhan vitamin B 12 untuk posyandu belum dikirim.",
    "Gedung A lantai 3 ruang 12 bocor saat hujan.",
    "Kelas X IPA 2 tidak punya guru fisika sejak semester lalu.",
    "Jadwal kereta pukul 14.30 WIB di peron 2 sering terlambat.",
    "Truk kapasitas 8 ton melintas di jembatan dengan batas 5 T.",
    "Listrik padam di Gang 5 No 12 sejak jam 7 malam.",
    "Pompa air 125 W rusak, kabel 2 x 1,5 mm terbakar.",
    "Lampu PJU tipe A 250 W di simpang empat mati total.",
    "Pembagian zona B 3 untuk PPDB tidak transparan.",
    # --- bank accounts --------------------------------------------------------------------------
    "Oknum meminta transfer ke rekening BCA [[bank_account:1234567890]] sebagai uang pelicin.",
    "Saya sudah transfer ke BRI [[bank_account:0123-01-012345-50-1]] tapi sertifikat belum keluar.",
    "Dana hibah dikirim ke Mandiri [[bank_account:1370012345678]] a.n. ketua kelompok.",
    "No rek BNI [[bank_account:0987654321]] milik panitia pungutan liar.",
    "Rekening BSI [[bank_account:7123456789]] atas nama yayasan tidak terdaftar.",
    "Bantuan masuk ke norek [[bank_account:0123456789012]] bukan rekening saya.",
    "Pembayaran ke [[bank_account:5430 1234 56]] (BCA) katanya untuk biaya administrasi.",
    "Uang PIP ditransfer ke rekening Bank Jateng [[bank_account:2012345678]] tapi tidak cair.",
    "Nomor rekening [[bank_account:1122334455]] BRI saya diblokir tanpa pemberitahuan.",
    "Transfer ke rek. BTN [[bank_account:00012-01-50-012345-6]] untuk uang muka rumah subsidi.",
    "Mohon dikembalikan ke rekening saya di CIMB Niaga [[bank_account:707012345678]].",
    # hard negatives for bank accounts
    "Biaya pembuatan KTP diminta Rp 15.000.000 lewat BRI, padahal gratis.",
    "Kantor cabang BCA di Jalan Pemuda 12 tutup sejak 2021.",
    "Program Mandiri Sejahtera 2024 belum menjangkau 350 keluarga.",
    "ATM BNI di pasar rusak sejak 3 minggu, antre sampai 40 orang.",
    "Pinjaman KUR BRI sebesar Rp 50.000.000 ditolak tanpa penjelasan.",
    "Gaji honorer Rp 1.250.000 dibayar lewat Bank Jatim setiap tanggal 25.",
    # --- mixed, long reports -------------------------------------------------------------------
    "Saya Andi (NIK [[nik:7371031203950003]], HP [[phone:0813-5566-7788]]) melaporkan mobil [[plate:DD 4455 KT]] yang parkir di trotoar.",
    "Petugas meminta saya transfer Rp 300.000 ke BRI [[bank_account:034101000123456]] dan mengirim bukti ke [[email:petugas.kel@gmail.com]].",
    "Tetangga saya Pak Joko, WA [[phone:085712345678]], bisa menjadi saksi kejadian tanggal 12 Mei 2024.",
    "Data KTP [[nik:3578100306870002]] dan KK [[kk:3578101708150004]] sudah saya lampirkan.",
    "Mobil [[plate:B 2345 SIA]] milik rentenir sering menagih warga di RT 04 RW 02 Kelurahan Gambir.",
    "Bus sekolah [[plate:AA 7070 MA]] dikemudikan sopir mabuk; kontak kepala sekolah [[phone:(0293) 362145]] atau [[phone:081325647890]].",
    "Korban penipuan arisan online transfer ke BCA [[bank_account:8720123456]], pelaku pakai nomor [[phone:+62 878 1234 0099]].",
    "Laporan ulang: NIK [[nik:3201030505050505]], sebelumnya tiket nomor 2311150001234567 tidak ditanggapi.",
    # --- plain reports with no personal data (only hard negatives) -------------------------------
    "Jalan Raya Semarang-Demak km 8 rusak parah, lubang sedalam 30 cm di tengah jalan.",
    "Lampu penerangan jalan di RT 02 RW 05 mati sejak 3 bulan lalu.",
    "Harga beras di pasar naik dari Rp 12.000 menjadi Rp 15.500 per kilogram.",
    "Banjir setinggi 50 cm merendam 120 rumah pada 2 Januari 2024.",
    "Puskesmas hanya buka 4 jam sehari padahal jadwalnya 08.00-14.00.",
    "Proyek drainase senilai Rp 2,5 miliar tahun anggaran 2023 mangkrak.",
    "Antrean SIM di Satpas mencapai 200 orang, nomor antrean 1500 baru dipanggil siang.",
    "Sekolah SDN 3 kekurangan 6 ruang kelas untuk 240 siswa.",
    "Pohon tumbang di Jl. Pemuda No. 118 menutup dua lajur sejak pukul 15.45.",
    "Jembatan gantung sepanjang 45 meter di Desa Sukamaju putus tahun 2022.",
    "Pungutan Rp 250.000 untuk legalisir ijazah di SMA Negeri 1.",
    "Sampah menumpuk 3 minggu di TPS Jalan Kenanga RT 006/RW 011.",
    "Tarif parkir di pasar naik jadi Rp 5.000 untuk motor.",
    "Bantuan 10 kg beras untuk 1.250 KK belum dibagikan.",
    "Pemadaman listrik 6 kali dalam bulan Oktober 2024 di Kecamatan Andir.",
    "Lubang galian kabel sedalam 1,5 m di km 3+200 tidak diberi tanda.",
    "Nilai ujian 85,5 tidak sesuai dengan rapor semester 2.",
    "Air PDAM keruh sejak 14/11/2024, debit hanya 0,5 liter per detik.",
    "Gaji guru honorer Rp 300.000 per bulan dibayar 3 bulan sekali.",
    "Kuota 1500 GB internet sekolah habis dalam 2 minggu.",
    "Pengaspalan jalan 2,3 km di Desa Tegalrejo hanya bertahan 4 bulan.",
    "Nomor sertifikat tanah 11.02.03.04.1.01234 tercatat atas nama orang lain.",
    "NPWP 09.254.294.3-407.000 saya dipakai perusahaan lain.",
    "ID pelanggan PLN 532110987654 tagihannya melonjak.",
    "Kapal KM Sabuk Nusantara 48 tidak berlayar 2 minggu.",
    "Jalur bus Trans Semarang koridor 4 berhenti beroperasi pukul 17.00.",
    "Tol km 207+400 sering macet karena perbaikan.",
    "Perda No. 12 Tahun 2019 tentang retribusi parkir tidak dijalankan.",
    "Pajak kendaraan naik 12,5% tanpa sosialisasi.",
    "Sudah 2 x 24 jam lampu lalu lintas di simpang lima mati.",
    "Pembangunan 1.000 rumah subsidi di blok A-12 terhenti.",
    "Antrean BBM solar di SPBU 44.501.01 mengular sampai 2 km.",
    "Tinggi gelombang 2,5 m membuat nelayan tidak melaut sejak 01-03-2024.",
    "Beasiswa untuk 75 mahasiswa angkatan 2021 belum cair.",
    "Truk ODOL bermuatan 40 ton merusak jalan kabupaten sepanjang 7 km.",
    "Tiket nomor 2311150001234567 tidak ditanggapi sejak November.",
    "Jam layanan Dukcapil 08.00-12.00 WIB, sering tutup sebelum jam 11.",
    "Saluran irigasi sepanjang 800 m di Desa Karanganyar jebol.",
    "Kabel listrik menjuntai setinggi 2 m di Gang Mawar 3.",
    "Dana desa tahap II 2024 sebesar Rp 350.000.000 belum diumumkan.",
    "Jalan tanah 1,2 km menuju SD Inpres 12 becek saat hujan.",
    "Nomor antrean A-045 dipanggil dua kali tanpa dilayani.",
    "Suhu ruang kelas 35 derajat, kipas angin 4 unit rusak.",
    "Pengumuman CPNS formasi 2024 untuk 12 jabatan ditunda.",
]

# Written after the recognisers were tuned on CORPUS and never tuned against: their figures
# here are the honest estimate of how they do on text nobody shaped for them.
HELD_OUT = [
    "Saya Rudi, NIK [[nik:3578101502830006]], rumah saya di Tambaksari kebanjiran tiap hujan.",
    "Anak saya NIK [[nik:3273054409170002]] tidak diterima di SD negeri terdekat.",
    "Mohon dibantu, KK [[kk:1271022206190001]] belum bisa dipakai daftar BPJS.",
    "nik istri [[nik:7371035112930004]] belum terdaftar sebagai penerima bantuan.",
    "Nomor pelanggan PDAM 3374010112345678 tagihannya dobel.",
    "Nomor VA 8808123456789012 untuk bayar UKT tidak valid.",
    "Hubungi saya: [[phone:0813 9000 1122]] (WA saja).",
    "Pelaku menelepon dari [[phone:+62 857-4433-2211]] mengaku petugas pajak.",
    "Telp kantor desa [[phone:(0341) 123456]] tidak aktif.",
    "Call center 112 dan 110 tidak bisa dihubungi waktu kebakaran.",
    "Kejadian 17-08-2024 pukul 19.00 di depan balai desa.",
    "Laporan sudah saya kirim juga ke [[email:rudi.h@gmail.com]] dan [[email:rudi_h@ymail.com]].",
    "Email dinas [[email:dinkes@semarangkota.go.id]] penuh dan memantul.",
    "Mobil [[plate:B 1777 NJA]] sering parkir di depan hidran.",
    "Motor [[plate:AG 4567 RT]] dipakai jambret di pasar.",
    "Truk [[plate:BE 9123 CY]] muatan tanah berceceran di jalan.",
    "Mobil plat [[plate:DR 1212 AK]] menabrak lapak pedagang.",
    "Bus [[plate:T 7654 TA]] ngetem di bahu jalan tol.",
    "Saya parkir di Blok C 7 B tetapi ditarik biaya dua kali.",
    "Lampu 40 W di lantai 2 ruang B 4 mati.",
    "Retribusi diminta transfer ke BRI [[bank_account:3201 0101 2345 502]] atas nama pribadi.",
    "Transfer ke Mandiri [[bank_account:137-00-1234567-8]] untuk biaya surat pindah.",
    "rek BNI [[bank_account:0456789123]] milik oknum kepala desa.",
    "Biaya sertifikasi Rp 2.750.000 dibayar tunai di kantor BPN.",
    "Cabang Bank BSI di pasar tutup jam 12.00.",
    "Pak Harun ([[phone:0821-1234-5678]]) dan mobilnya [[plate:DD 1900 XA]] jadi saksi.",
    "Data NIK [[nik:6472041709880001]] dan email [[email:harun88@gmail.com]] bocor di grup WA.",
    "Jalan km 45 Trans Sulawesi amblas 20 meter.",
    "RT 011 RW 004 belum dapat air bersih sejak 2019.",
    "Tiket pesawat Rp 1.200.000 tidak direfund sejak 05/06/2024.",
    "SMS penipuan dari [[phone:0877 1111 2222]] minta transfer ke BCA [[bank_account:0881234567]].",
    "Nomor seri ijazah DN-03 Ma 0123456 tidak terbaca di sistem.",
]

_MARK = re.compile(r"\[\[(\w+):(.+?)\]\]")


def parse(line: str) -> tuple[str, list[tuple[str, int, int]]]:
    """The plain text of a corpus line and its labelled spans (kind, start, end)."""
    text, spans, at = [], [], 0
    length = 0
    for match in _MARK.finditer(line):
        before = line[at:match.start()]
        text.append(before)
        length += len(before)
        kind, value = match.group(1), match.group(2)
        spans.append((kind, length, length + len(value)))
        text.append(value)
        length += len(value)
        at = match.end()
    text.append(line[at:])
    return "".join(text), spans
