"""Indonesian texts for generated reports: per category, titles and description sentences for
complaints, aspirations and requests for information, and what the bodies answer; slots
(``{jalan}``, ``{kecamatan}``, ``{durasi}``, …) are filled per report so that texts differ.

They use the words citizens search for (jalan rusak, lampu jalan mati, sampah, banjir, BPJS,
e-KTP, pungli, PDAM, listrik padam, izin usaha, puskesmas, bansos, parkir liar, …). Data, not
interface strings: nothing here is translated.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CategoryTexts:
    titles: tuple[str, ...]
    problems: tuple[str, ...]
    impacts: tuple[str, ...]
    requests: tuple[str, ...]
    aspirations: tuple[str, ...]  # titles of aspirasi; the description reuses problems
    aspiration_bodies: tuple[str, ...]
    questions: tuple[str, ...]  # titles of permintaan informasi
    question_bodies: tuple[str, ...]
    unit: str  # the unit a body hands the matter to, for its answers
    progress: tuple[str, ...]
    answers: tuple[str, ...]


STREETS = (
    "Jl. Sudirman", "Jl. Ahmad Yani", "Jl. Diponegoro", "Jl. Gatot Subroto", "Jl. Pahlawan",
    "Jl. Merdeka", "Jl. Veteran", "Jl. Imam Bonjol", "Jl. Gajah Mada", "Jl. Hasanuddin",
    "Jl. Pemuda", "Jl. Kartini", "Jl. Cut Nyak Dien", "Jl. Teuku Umar", "Jl. Pattimura",
    "Jl. Sam Ratulangi", "Jl. Raya Pos", "Jl. Kenanga", "Jl. Melati", "Jl. Mawar",
    "Jl. Flamboyan", "Jl. Cendrawasih", "Jl. Rajawali", "Jl. Anggrek", "Jl. Kemuning",
    "Jl. Mangga", "Jl. Durian", "Jl. Nusantara", "Jl. Lingkar Selatan", "Jl. Lingkar Utara",
    "Jl. Raya Timur", "Jl. Pramuka", "Jl. Pelita", "Jl. Bhayangkara", "Jl. Sisingamangaraja",
    "Jl. Wolter Monginsidi", "Jl. Dr. Wahidin", "Jl. Ki Hajar Dewantara", "Jl. Kapten Tendean",
    "Jl. Martadinata", "Jl. Yos Sudarso", "Jl. Slamet Riyadi", "Jl. Juanda", "Jl. Siliwangi",
    "Jl. Trikora", "Jl. Kesehatan", "Jl. Pendidikan", "Jl. Perintis Kemerdekaan",
    "Jl. Sultan Agung", "Jl. Pangeran Antasari", "Jl. Dewi Sartika", "Jl. Hayam Wuruk",
    "Jl. Panglima Polim", "Jl. Cokroaminoto", "Jl. Pasar Baru", "Jl. Stasiun", "Jl. Terminal",
    "Jl. Poros Desa", "Jl. Raya Kecamatan", "Jl. Lintas Provinsi",
)
VILLAGES = (
    "Sukamaju", "Sumberrejo", "Karanganyar", "Tanjungsari", "Mekarsari", "Sidomulyo",
    "Sukadamai", "Margahayu", "Jatimulya", "Sindangsari", "Purwodadi", "Tegalrejo",
    "Banjarsari", "Sukorejo", "Wonosari", "Kebonagung", "Cipayung", "Pasirjaya", "Mulyoharjo",
    "Suka Makmur", "Bukit Indah", "Talang Jaya", "Air Hitam", "Batu Merah", "Lamreung",
    "Simpang Tiga", "Padang Sari", "Tanjung Harapan", "Karya Bakti", "Harapan Jaya",
    "Sungai Raya", "Teluk Dalam", "Lembah Hijau", "Rantau Panjang", "Kampung Baru",
    "Mekar Jaya", "Sido Makmur", "Gunung Sari", "Pematang", "Tamalanrea",
)
DURATIONS = (
    "tiga hari", "lima hari", "seminggu", "dua minggu", "tiga minggu", "sebulan",
    "lebih dari sebulan", "dua bulan", "tiga bulan", "hampir setengah tahun", "setahun",
)
WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
SCHOOL_LEVELS = ("SD Negeri", "SMP Negeri", "SMA Negeri", "SMK Negeri", "SD Negeri", "MI Negeri")
MARKETS = ("Pasar Induk", "Pasar Baru", "Pasar Sentral", "Pasar Inpres", "Pasar Tradisional")

FIRST_NAMES = (
    "Ahmad", "Budi", "Siti", "Dewi", "Agus", "Sri", "Andi", "Rina", "Joko", "Nur", "Putu",
    "Made", "Wayan", "Ketut", "Nyoman", "Fitri", "Rudi", "Yuliana", "Hendra", "Indah", "Eko",
    "Wahyu", "Dian", "Fajar", "Lestari", "Bambang", "Sutrisno", "Ratna", "Rizky", "Muhammad",
    "Nurul", "Aisyah", "Hasan", "Yohanes", "Maria", "Fransiskus", "Theresia", "Daniel",
    "Yusuf", "Ikhsan", "Teuku", "Cut", "Ayu", "Gede", "Intan", "Slamet", "Sulastri", "Dedi",
    "Asep", "Ujang", "Euis", "Neneng", "Togar", "Rosmawati", "Marthen", "Yosina", "La Ode",
    "Wa Ode", "Daeng", "Andi Muh.", "Irfan", "Kurniawan", "Novita", "Oktaviani", "Sari",
    "Taufik", "Hidayat", "Ilham", "Maya", "Ningsih", "Puspita", "Rahmat", "Syamsul",
)
LAST_NAMES = (
    "Santoso", "Wijaya", "Saputra", "Lestari", "Hidayat", "Pratama", "Kurniawan", "Setiawan",
    "Nasution", "Siregar", "Harahap", "Lubis", "Simanjuntak", "Sitompul", "Situmorang",
    "Tanjung", "Hutapea", "Pane", "Sembiring", "Ginting", "Rahman", "Syahputra", "Gunawan",
    "Susanto", "Wibowo", "Purnomo", "Handayani", "Maharani", "Permata", "Utami", "Wulandari",
    "Ramadhan", "Firmansyah", "Hakim", "Mahmud", "Pattiasina", "Latuconsina", "Wenda",
    "Kogoya", "Rumbiak", "Mandagi", "Tumbelaka", "Lumban Tobing", "Sinaga", "Manurung",
    "Daulay", "Hasibuan", "Batubara", "Nainggolan", "Tampubolon", "Suryadi", "Sudirman",
    "Baso", "Mappasessu", "Sulaiman", "Effendi", "Yusuf", "Anwar", "Iskandar", "Abdullah",
)

# Sentences any report may use.
CONTEXTS = (
    "Kondisi ini sudah berlangsung {durasi}.",
    "Sudah {durasi} tidak ada perbaikan.",
    "Masalah ini sudah saya sampaikan ke {kantor_desa} {durasi} yang lalu, tetapi belum ada "
    "tindak lanjut.",
    "Warga RT {rt}/RW {rw} sudah beberapa kali mengeluhkan hal ini.",
    "Kejadian terakhir pada hari {hari} sekitar pukul {jam}.",
    "Lokasinya di RT {rt}/RW {rw}, Desa/Kelurahan {desa}, Kecamatan {kecamatan}.",
    "Keadaan seperti ini sudah {durasi} dan makin parah.",
    "Banyak warga sekitar {desa} yang mengalami hal yang sama.",
    "",
    "",
)
CLOSINGS = (
    "Mohon segera ditindaklanjuti. Terima kasih.",
    "Terima kasih atas perhatiannya.",
    "Mohon perhatian dari instansi terkait.",
    "Saya berharap ada tindakan nyata, bukan hanya janji.",
    "Foto kondisi di lapangan bisa saya kirimkan bila diperlukan.",
    "Mohon ditangani sebelum ada korban.",
    "",
    "",
)

CATEGORY_TEXTS: dict[str, CategoryTexts] = {
    "infrastruktur": CategoryTexts(
        titles=(
            "Jalan rusak dan berlubang di {jalan}, {kecamatan}",
            "Jalan rusak parah di Desa {desa} belum diperbaiki",
            "Lampu jalan mati di sepanjang {jalan}",
            "Lampu jalan mati sudah {durasi} di {desa}",
            "Jembatan penghubung Desa {desa} nyaris ambruk",
            "Jembatan gantung di {kecamatan} rusak dan berbahaya",
            "Drainase tersumbat di {jalan} menyebabkan genangan",
            "Saluran air (got) rusak di RT {rt}/RW {rw} {desa}",
            "Aspal jalan mengelupas setelah diperbaiki di {jalan}",
            "Trotoar rusak dan dipakai pedagang di {jalan}",
            "Penerangan jalan umum (PJU) padam di {kecamatan}",
            "Jalan desa {desa} berlumpur dan tidak bisa dilalui",
            "Lubang besar di tengah {jalan} membahayakan pengendara",
            "Proyek perbaikan jalan di {jalan} terbengkalai",
            "Gorong-gorong ambles di {jalan}, {kota}",
        ),
        problems=(
            "Jalan di {jalan} Kecamatan {kecamatan} rusak berat, banyak lubang sedalam "
            "{n} sentimeter.",
            "Lampu penerangan jalan umum di {jalan} mati sehingga jalan gelap gulita pada malam "
            "hari.",
            "Jembatan di Desa {desa} sudah miring dan papan lantainya banyak yang patah.",
            "Saluran drainase di {jalan} tersumbat sampah dan lumpur, air meluap ke jalan setiap "
            "hujan.",
            "Perbaikan jalan rusak di {desa} dikerjakan asal-asalan, baru {n2} minggu aspal sudah "
            "mengelupas lagi.",
            "Jalan utama menuju {pasar} {kota_pendek} berlubang di banyak titik dan tergenang air.",
            "Proyek pelebaran {jalan} berhenti tanpa kejelasan, material dibiarkan menutup "
            "separuh badan jalan.",
            "Tiang lampu jalan di depan {sekolah} roboh dan kabelnya menjuntai ke jalan.",
        ),
        impacts=(
            "Sudah ada {n2} pengendara motor yang jatuh karena lubang tersebut.",
            "Anak-anak yang berangkat ke sekolah harus melewati jalan yang gelap dan licin.",
            "Ambulans dan kendaraan pengangkut hasil panen kesulitan lewat.",
            "Pada malam hari rawan kecelakaan dan kejahatan karena lampu jalan mati.",
            "Warga terpaksa memutar sejauh {n2} kilometer.",
        ),
        requests=(
            "Mohon jalan rusak ini segera diperbaiki oleh dinas terkait.",
            "Mohon lampu jalan diperbaiki dan dipelihara secara rutin.",
            "Kami minta jembatan diperbaiki sebelum musim hujan.",
            "Mohon pengawasan terhadap kontraktor yang mengerjakan proyek ini.",
        ),
        aspirations=(
            "Usulan pemasangan lampu jalan di {jalan}",
            "Usulan pembangunan jembatan baru di Desa {desa}",
            "Usulan pelebaran jalan menuju {pasar} {kota_pendek}",
        ),
        aspiration_bodies=(
            "Kami warga {desa} mengusulkan agar {jalan} dilengkapi lampu penerangan jalan umum "
            "karena ramai dilalui pada malam hari.",
            "Jalan menuju {pasar} {kota_pendek} sudah terlalu sempit untuk kendaraan yang lewat; "
            "kami mengusulkan pelebaran dan pembuatan trotoar.",
        ),
        questions=(
            "Kapan perbaikan {jalan} dijadwalkan?",
            "Mohon informasi anggaran perbaikan jalan di {kecamatan} tahun ini",
        ),
        question_bodies=(
            "Saya ingin mengetahui jadwal perbaikan jalan rusak di {jalan} dan siapa pelaksana "
            "proyeknya.",
            "Mohon informasi apakah perbaikan jembatan di Desa {desa} sudah masuk rencana "
            "anggaran tahun ini.",
        ),
        unit="Dinas Pekerjaan Umum dan Penataan Ruang",
        progress=(
            "Tim dari {unit} sudah meninjau lokasi dan mencatat kerusakan di {jalan}.",
            "Perbaikan sudah masuk daftar pemeliharaan rutin dan dijadwalkan dalam {n2} minggu.",
            "Kami sedang berkoordinasi dengan pelaksana proyek untuk melanjutkan pekerjaan.",
        ),
        answers=(
            "Perbaikan jalan di {jalan} telah selesai dikerjakan. Lubang sudah ditambal dan "
            "diaspal ulang.",
            "Lampu penerangan jalan umum di lokasi yang dilaporkan sudah diganti dan menyala "
            "kembali.",
            "Jembatan di Desa {desa} telah diperkuat sementara; pembangunan permanen dianggarkan "
            "tahun depan.",
            "Saluran drainase sudah dibersihkan oleh petugas {unit} bersama warga.",
        ),
    ),
    "lingkungan-hidup": CategoryTexts(
        titles=(
            "Sampah menumpuk di {jalan} tidak diangkut",
            "Sampah menumpuk di TPS {desa} sudah {durasi}",
            "Banjir setiap hujan di {desa}, {kecamatan}",
            "Banjir akibat sungai meluap di {kecamatan}",
            "Pembuangan limbah pabrik ke sungai di {kecamatan}",
            "Bau busuk dari TPA {kota_pendek} mengganggu warga",
            "Pembakaran sampah sembarangan di dekat permukiman {desa}",
            "Penebangan pohon peneduh di {jalan} tanpa izin",
            "Air sungai di {desa} tercemar dan berwarna hitam",
            "Truk sampah tidak datang ke RT {rt}/RW {rw} {desa}",
            "Taman kota di {jalan} tidak terawat",
            "Asap dan debu pabrik mencemari udara di {kecamatan}",
        ),
        problems=(
            "Sampah di tempat pembuangan sementara dekat {jalan} sudah menumpuk tinggi dan tidak "
            "diangkut petugas.",
            "Setiap hujan deras, {desa} terendam banjir setinggi lutut orang dewasa.",
            "Sebuah pabrik di {kecamatan} membuang limbah cair ke sungai pada malam hari.",
            "Truk pengangkut sampah sudah {durasi} tidak datang ke lingkungan kami.",
            "Warga membakar sampah di lahan kosong dekat {sekolah} sehingga asapnya masuk ke "
            "kelas.",
            "Sungai di Desa {desa} penuh sampah plastik dan airnya berbau.",
            "Bau dari TPA {kota_pendek} tercium sampai permukiman pada sore hari.",
        ),
        impacts=(
            "Banyak lalat dan tikus, anak-anak mulai terkena diare.",
            "Rumah warga kemasukan air dan perabot rusak.",
            "Ikan di sungai mati dan warga tidak bisa lagi memakai air sungai.",
            "Warga yang punya penyakit pernapasan terganggu oleh asap.",
        ),
        requests=(
            "Mohon sampah segera diangkut dan jadwal pengangkutan diperbaiki.",
            "Mohon normalisasi saluran dan sungai supaya tidak banjir lagi.",
            "Mohon pabrik tersebut diperiksa dan diberi sanksi.",
            "Mohon disediakan tempat sampah dan pengawasan.",
        ),
        aspirations=(
            "Usulan bank sampah di Desa {desa}",
            "Usulan penambahan ruang terbuka hijau di {kecamatan}",
            "Usulan jadwal tetap pengangkutan sampah di {kecamatan}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan pembentukan bank sampah di {desa} agar sampah tidak menumpuk dan "
            "warga mendapat penghasilan tambahan.",
            "Kami mengusulkan penambahan taman dan ruang terbuka hijau di {kecamatan} karena "
            "udara makin panas dan banjir makin sering.",
        ),
        questions=(
            "Mohon informasi jadwal pengangkutan sampah di {kecamatan}",
            "Bagaimana cara melaporkan pencemaran sungai di {kota}?",
        ),
        question_bodies=(
            "Saya ingin mengetahui jadwal truk sampah di wilayah {desa} dan nomor yang bisa "
            "dihubungi bila truk tidak datang.",
            "Mohon informasi prosedur pengaduan pencemaran lingkungan dan hasil uji kualitas air "
            "sungai di {kecamatan}.",
        ),
        unit="Dinas Lingkungan Hidup",
        progress=(
            "Petugas {unit} sudah menjadwalkan pengangkutan tambahan di lokasi.",
            "Sampel air sungai sudah diambil dan sedang diuji di laboratorium.",
            "Kami sudah memanggil pengelola pabrik untuk klarifikasi.",
        ),
        answers=(
            "Sampah di lokasi sudah diangkut dan jadwal pengangkutan ditambah menjadi {n2} kali "
            "seminggu.",
            "Normalisasi saluran di {desa} sudah dilaksanakan bersama warga dan petugas.",
            "Pabrik yang dilaporkan sudah diberi sanksi administratif dan wajib memperbaiki "
            "instalasi pengolahan limbahnya.",
            "Petugas kebersihan telah membersihkan lokasi dan memasang papan larangan membuang "
            "sampah.",
        ),
    ),
    "kesehatan": CategoryTexts(
        titles=(
            "Pelayanan Puskesmas {kecamatan} lambat dan antrean panjang",
            "Antrean rumah sakit RSUD {kota_pendek} sangat panjang",
            "Peserta BPJS Kesehatan ditolak di {rs}",
            "Kartu BPJS Kesehatan tidak aktif padahal iuran dibayar",
            "Obat kosong di Puskesmas {kecamatan}",
            "Dokter Puskesmas {kecamatan} sering tidak ada di tempat",
            "Pasien BPJS diminta membayar obat di {rs}",
            "Ambulans desa {desa} tidak bisa digunakan",
            "Biaya tambahan untuk pasien BPJS Kesehatan di {rs}",
            "Posyandu {desa} tidak lagi mendapat makanan tambahan",
            "Petugas puskesmas bersikap kasar kepada pasien",
            "Pendaftaran online {rs} tidak berfungsi",
        ),
        problems=(
            "Saya membawa orang tua berobat ke Puskesmas {kecamatan}, tetapi harus menunggu dari "
            "pukul {jam} sampai siang tanpa kepastian.",
            "Di {rs} antrean pendaftaran pasien BPJS Kesehatan sangat panjang dan loket yang "
            "buka hanya satu.",
            "Anak saya peserta BPJS Kesehatan kelas III tetapi ditolak rawat inap dengan alasan "
            "kamar penuh.",
            "Kartu BPJS Kesehatan keluarga kami dinyatakan tidak aktif padahal iuran selalu "
            "dibayar lewat potongan gaji.",
            "Obat untuk penyakit kronis sudah {durasi} kosong di apotek Puskesmas {kecamatan}.",
            "Pasien BPJS diminta membeli obat sendiri di apotek luar sebesar {biaya}.",
            "Dokter di puskesmas pembantu {desa} hanya datang {n2} kali sebulan.",
        ),
        impacts=(
            "Pasien lanjut usia harus menunggu berjam-jam dalam kondisi sakit.",
            "Kami terpaksa berobat ke klinik swasta dengan biaya sendiri.",
            "Pengobatan ayah saya terputus karena obat tidak tersedia.",
            "Warga miskin tidak sanggup membayar biaya tambahan.",
        ),
        requests=(
            "Mohon pelayanan puskesmas dibenahi dan loket ditambah.",
            "Mohon BPJS Kesehatan menjelaskan status kepesertaan kami.",
            "Mohon pihak rumah sakit ditegur agar tidak menolak pasien BPJS.",
            "Mohon ketersediaan obat di puskesmas dijamin.",
        ),
        aspirations=(
            "Usulan penambahan dokter di Puskesmas {kecamatan}",
            "Usulan layanan puskesmas keliling untuk Desa {desa}",
            "Usulan antrean daring di RSUD {kota_pendek}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan penambahan tenaga dokter dan bidan di Puskesmas {kecamatan} karena "
            "jumlah pasien terus bertambah.",
            "Desa {desa} jauh dari puskesmas; kami mengusulkan layanan puskesmas keliling setiap "
            "minggu.",
        ),
        questions=(
            "Bagaimana cara mengaktifkan kembali BPJS Kesehatan PBI?",
            "Mohon informasi jadwal dokter spesialis di RSUD {kota_pendek}",
        ),
        question_bodies=(
            "Kartu BPJS Kesehatan penerima bantuan iuran saya nonaktif. Mohon informasi syarat "
            "dan tempat mengurus pengaktifan kembali.",
            "Mohon informasi jadwal praktik dokter spesialis dan cara mendaftar antrean di RSUD "
            "{kota_pendek}.",
        ),
        unit="Dinas Kesehatan",
        progress=(
            "Laporan sudah kami teruskan kepada kepala puskesmas untuk klarifikasi.",
            "{unit} sedang memeriksa data kepesertaan BPJS Kesehatan pelapor.",
            "Kami telah meminta rumah sakit memberikan penjelasan tertulis.",
        ),
        answers=(
            "Puskesmas {kecamatan} telah menambah loket pendaftaran dan menerapkan nomor antrean "
            "daring.",
            "Kepesertaan BPJS Kesehatan pelapor sudah aktif kembali sejak tanggal {tanggal}.",
            "Stok obat di puskesmas sudah dipenuhi dari gudang farmasi kabupaten/kota.",
            "Rumah sakit telah mengembalikan biaya obat kepada pasien dan petugas yang "
            "bersangkutan diberi teguran.",
        ),
    ),
    "pendidikan": CategoryTexts(
        titles=(
            "Pungutan uang seragam di {sekolah}",
            "Sekolah {sekolah} memungut biaya pendaftaran PPDB",
            "Gedung {sekolah} rusak dan atapnya bocor",
            "Guru honorer di {sekolah} belum digaji {durasi}",
            "Dana BOS di {sekolah} tidak transparan",
            "Anak ditolak masuk sekolah negeri karena zonasi",
            "KIP Kuliah / PIP tidak cair untuk siswa {sekolah}",
            "Ijazah ditahan sekolah karena tunggakan biaya",
            "Sekolah kekurangan guru di Desa {desa}",
            "Toilet {sekolah} tidak layak pakai",
            "Jual beli buku LKS diwajibkan di {sekolah}",
        ),
        problems=(
            "{sekolah} mewajibkan orang tua membayar {biaya} untuk seragam dan kegiatan, padahal "
            "sekolah negeri.",
            "Atap ruang kelas di {sekolah} bocor dan plafonnya sudah runtuh sebagian.",
            "Guru honorer di sekolah kami belum menerima honor selama {durasi}.",
            "Anak saya tidak diterima di sekolah negeri terdekat walaupun rumah kami hanya {n2} "
            "ratus meter dari sekolah.",
            "Ijazah anak saya ditahan {sekolah} karena masih ada tunggakan {biaya}.",
            "Bantuan Program Indonesia Pintar (PIP) untuk anak saya belum cair sampai sekarang.",
            "Sekolah di Desa {desa} hanya punya {n2} guru untuk enam kelas.",
        ),
        impacts=(
            "Orang tua yang tidak mampu merasa terbebani.",
            "Siswa belajar di ruangan yang berbahaya ketika hujan.",
            "Anak saya terancam tidak bisa melanjutkan sekolah.",
            "Kegiatan belajar mengajar tidak berjalan baik.",
        ),
        requests=(
            "Mohon dinas pendidikan menertibkan pungutan di sekolah.",
            "Mohon gedung sekolah segera direhabilitasi.",
            "Mohon honor guru honorer dibayarkan tepat waktu.",
            "Mohon ijazah diserahkan kepada siswa sesuai aturan.",
        ),
        aspirations=(
            "Usulan penambahan ruang kelas di {sekolah}",
            "Usulan beasiswa bagi siswa berprestasi di {kecamatan}",
            "Usulan pengangkatan guru honorer di {kota}",
        ),
        aspiration_bodies=(
            "Jumlah siswa di {sekolah} terus bertambah; kami mengusulkan penambahan ruang kelas "
            "dan perpustakaan.",
            "Kami mengusulkan agar guru honorer yang sudah mengabdi lama di {kota} diprioritaskan "
            "dalam seleksi PPPK.",
        ),
        questions=(
            "Mohon informasi jadwal dan syarat PPDB di {kota}",
            "Bagaimana cara mendaftar Program Indonesia Pintar?",
        ),
        question_bodies=(
            "Saya ingin mengetahui jadwal, jalur dan syarat penerimaan peserta didik baru tingkat "
            "SMP di {kota}.",
            "Mohon informasi syarat dan cara mendaftarkan anak saya sebagai penerima Program "
            "Indonesia Pintar.",
        ),
        unit="Dinas Pendidikan",
        progress=(
            "{unit} sudah memanggil kepala sekolah untuk dimintai keterangan.",
            "Tim pengawas sekolah akan meninjau {sekolah} pekan ini.",
            "Data siswa penerima PIP sedang kami cocokkan dengan data Dapodik.",
        ),
        answers=(
            "Pungutan di {sekolah} telah dihentikan dan uang yang sudah dibayar dikembalikan "
            "kepada orang tua.",
            "Rehabilitasi ruang kelas {sekolah} sudah dianggarkan dan mulai dikerjakan bulan ini.",
            "Honor guru honorer telah dibayarkan untuk seluruh bulan yang tertunggak.",
            "Ijazah sudah diserahkan kepada siswa; penahanan ijazah tidak dibenarkan.",
        ),
    ),
    "administrasi-kependudukan": CategoryTexts(
        titles=(
            "Pembuatan KTP elektronik (e-KTP) di {kota_pendek} tidak selesai {durasi}",
            "Blangko e-KTP habis di Disdukcapil {kota_pendek}",
            "Kartu keluarga tidak bisa dicetak di kantor kecamatan {kecamatan}",
            "Pungutan biaya pembuatan KTP-el di {kecamatan}",
            "Akta kelahiran anak belum terbit setelah {durasi}",
            "Data NIK ganda sehingga tidak bisa daftar BPJS",
            "Pindah domisili ke {kota} dipersulit",
            "Antrean Disdukcapil {kota_pendek} sangat panjang",
            "Perubahan data kartu keluarga tidak diproses",
            "Layanan adminduk online {kota_pendek} sering error",
            "Perekaman e-KTP untuk lansia di {desa} belum dilakukan",
        ),
        problems=(
            "Saya sudah merekam data e-KTP di kantor Kecamatan {kecamatan} {durasi} yang lalu, "
            "tetapi KTP elektronik belum juga dicetak.",
            "Petugas mengatakan blangko e-KTP habis dan kami diminta menunggu tanpa kepastian.",
            "Saya diminta membayar {biaya} oleh oknum petugas agar KTP-el cepat jadi.",
            "Kartu keluarga kami perlu diperbarui karena ada anggota keluarga baru, tetapi "
            "permohonan tidak diproses.",
            "Akta kelahiran anak saya belum terbit padahal semua syarat sudah lengkap.",
            "NIK saya terdaftar ganda sehingga tidak bisa mengurus BPJS dan rekening bank.",
            "Saya harus datang {n2} kali ke Disdukcapil hanya untuk mengurus surat pindah.",
        ),
        impacts=(
            "Saya tidak bisa mengurus bantuan sosial dan pekerjaan tanpa KTP.",
            "Anak kami tidak bisa didaftarkan sekolah tanpa akta kelahiran.",
            "Saya harus izin kerja berkali-kali untuk mengurus dokumen.",
            "Warga lanjut usia kesulitan datang ke kantor dinas.",
        ),
        requests=(
            "Mohon KTP elektronik saya segera dicetak.",
            "Mohon oknum petugas yang meminta uang ditindak.",
            "Mohon kartu keluarga kami segera diterbitkan.",
            "Mohon layanan jemput bola untuk perekaman e-KTP.",
        ),
        aspirations=(
            "Usulan layanan adminduk di kantor desa {desa}",
            "Usulan perekaman e-KTP keliling di {kecamatan}",
            "Usulan layanan Disdukcapil pada hari Sabtu",
        ),
        aspiration_bodies=(
            "Kami mengusulkan agar pencetakan kartu keluarga dan akta bisa dilayani di kantor desa "
            "supaya warga tidak perlu ke kota.",
            "Banyak pekerja tidak bisa datang pada hari kerja; kami mengusulkan layanan "
            "Disdukcapil dibuka pada hari Sabtu.",
        ),
        questions=(
            "Apa syarat membuat kartu keluarga baru setelah menikah?",
            "Mohon informasi cara cek status pencetakan e-KTP",
        ),
        question_bodies=(
            "Mohon informasi syarat dan lama proses pembuatan kartu keluarga baru setelah menikah "
            "di {kota}.",
            "Bagaimana cara mengetahui apakah KTP elektronik saya sudah dicetak dan bisa diambil?",
        ),
        unit="Dinas Kependudukan dan Pencatatan Sipil",
        progress=(
            "Data pelapor sudah kami periksa di sistem SIAK dan sedang diproses.",
            "Blangko e-KTP sudah diajukan ke pusat dan dijadwalkan tiba minggu ini.",
            "Petugas yang dilaporkan sedang diperiksa oleh atasannya.",
        ),
        answers=(
            "KTP elektronik pelapor sudah dicetak dan dapat diambil di kantor Kecamatan "
            "{kecamatan}.",
            "Kartu keluarga sudah terbit dan dikirim dalam bentuk dokumen elektronik.",
            "Data NIK ganda sudah diperbaiki; pelapor dapat mendaftar kembali.",
            "Petugas yang meminta uang telah diberi sanksi; layanan adminduk tidak dipungut biaya.",
        ),
    ),
    "sosial": CategoryTexts(
        titles=(
            "Bantuan sosial (bansos) tidak tepat sasaran di Desa {desa}",
            "Bansos PKH tidak cair {durasi}",
            "Nama keluarga miskin tidak masuk data DTKS",
            "Potongan dana bansos oleh oknum pendamping di {desa}",
            "BPNT / sembako tidak diterima warga {desa}",
            "Bantuan langsung tunai dipotong perangkat desa",
            "Penyandang disabilitas di {kecamatan} tidak mendapat bantuan",
            "Lansia terlantar di {desa} perlu bantuan",
            "Kartu KKS tidak bisa digunakan di e-warong",
            "Penerima bansos di {desa} adalah warga mampu",
        ),
        problems=(
            "Keluarga kami termasuk miskin tetapi tidak pernah menerima bantuan sosial, sedangkan "
            "tetangga yang mampu justru menerima bansos.",
            "Dana PKH saya belum cair sejak {durasi} yang lalu tanpa penjelasan.",
            "Oknum pendamping memotong dana bantuan sebesar {biaya} dari setiap penerima.",
            "Beras dan telur bantuan BPNT yang kami terima kualitasnya buruk dan jumlahnya "
            "kurang.",
            "Nama ibu saya hilang dari DTKS sehingga bantuan dihentikan.",
            "Seorang lansia di RT {rt}/RW {rw} {desa} hidup sendiri tanpa bantuan apa pun.",
        ),
        impacts=(
            "Kami kesulitan memenuhi kebutuhan makan sehari-hari.",
            "Warga merasa tidak ada keadilan dalam penyaluran bantuan sosial.",
            "Banyak penerima takut melapor karena diancam dicoret.",
            "Kondisi kesehatan lansia tersebut makin memburuk.",
        ),
        requests=(
            "Mohon data penerima bansos diverifikasi ulang.",
            "Mohon dana yang dipotong dikembalikan dan pelakunya ditindak.",
            "Mohon keluarga kami didaftarkan ke DTKS.",
            "Mohon dinas sosial segera mengunjungi dan membantu.",
        ),
        aspirations=(
            "Usulan pendataan ulang penerima bansos di {desa}",
            "Usulan rumah singgah lansia di {kota}",
            "Usulan pengumuman daftar penerima bansos secara terbuka",
        ),
        aspiration_bodies=(
            "Kami mengusulkan pendataan ulang penerima bantuan sosial di {desa} dengan melibatkan "
            "RT dan RW agar tepat sasaran.",
            "Daftar penerima bansos sebaiknya diumumkan di kantor desa supaya warga dapat ikut "
            "mengawasi.",
        ),
        questions=(
            "Bagaimana cara mendaftar DTKS untuk keluarga miskin?",
            "Mohon informasi jadwal pencairan PKH tahap ini",
        ),
        question_bodies=(
            "Mohon informasi syarat dan cara mendaftarkan keluarga kami ke Data Terpadu "
            "Kesejahteraan Sosial (DTKS).",
            "Kapan jadwal pencairan bantuan PKH dan BPNT untuk wilayah {kecamatan}?",
        ),
        unit="Dinas Sosial",
        progress=(
            "Pendamping sosial sudah diminta mengunjungi rumah pelapor.",
            "{unit} sedang memverifikasi data pelapor di DTKS.",
            "Dugaan pemotongan dana bansos sedang diperiksa inspektorat.",
        ),
        answers=(
            "Keluarga pelapor sudah diusulkan masuk DTKS dan akan menerima bantuan pada tahap "
            "berikutnya.",
            "Dana PKH pelapor sudah cair melalui rekening bank penyalur.",
            "Oknum pendamping telah diberhentikan dan dana yang dipotong dikembalikan kepada "
            "penerima.",
            "Lansia yang dilaporkan sudah mendapat bantuan permakanan dan pendampingan.",
        ),
    ),
    "listrik-air": CategoryTexts(
        titles=(
            "Air PDAM tidak mengalir di {desa} sudah {durasi}",
            "Air PDAM keruh dan berbau di {kecamatan}",
            "Tagihan air PDAM melonjak tidak wajar",
            "Listrik padam berulang kali di {kecamatan}",
            "Listrik PLN sering padam tanpa pemberitahuan",
            "Tiang listrik PLN miring di {jalan}",
            "Token listrik sudah dibeli tetapi tidak masuk",
            "Gas elpiji 3 kg langka di {kecamatan}",
            "Harga elpiji 3 kg di atas HET di {desa}",
            "Pipa PDAM bocor di {jalan} dibiarkan",
            "Pemasangan listrik baru PLN tidak kunjung dilakukan",
        ),
        problems=(
            "Air PDAM di rumah kami tidak mengalir sama sekali selama {durasi}, padahal tagihan "
            "tetap datang.",
            "Air PDAM yang keluar berwarna kecoklatan dan berbau sehingga tidak bisa dipakai "
            "memasak.",
            "Tagihan air bulan ini mencapai {biaya}, naik berlipat dari biasanya.",
            "Listrik di {kecamatan} padam hampir setiap malam selama {n2} sampai {n} jam.",
            "Tiang listrik di {jalan} miring dan kabelnya sangat rendah.",
            "Elpiji 3 kg sulit dicari dan dijual pengecer seharga {biaya} per tabung.",
            "Pipa PDAM di {jalan} bocor dan airnya terbuang ke jalan.",
        ),
        impacts=(
            "Kami harus membeli air bersih setiap hari.",
            "Peralatan elektronik warga rusak akibat listrik padam dan menyala tiba-tiba.",
            "Usaha kecil warga terganggu karena listrik sering padam.",
            "Anak-anak kesulitan belajar pada malam hari.",
        ),
        requests=(
            "Mohon PDAM segera memperbaiki distribusi air.",
            "Mohon PLN memberi penjelasan dan jadwal pemadaman.",
            "Mohon tiang listrik segera diperbaiki sebelum roboh.",
            "Mohon distribusi elpiji bersubsidi diawasi.",
        ),
        aspirations=(
            "Usulan perluasan jaringan air PDAM ke {desa}",
            "Usulan pemasangan jaringan listrik ke Dusun {desa}",
            "Usulan pangkalan elpiji resmi di {desa}",
        ),
        aspiration_bodies=(
            "Warga {desa} masih memakai air sumur yang keruh; kami mengusulkan perluasan jaringan "
            "air PDAM.",
            "Dusun kami belum teraliri listrik PLN; kami mengusulkan pembangunan jaringan "
            "listrik desa.",
        ),
        questions=(
            "Mohon informasi jadwal pemadaman listrik di {kecamatan}",
            "Bagaimana cara mengajukan keberatan tagihan air PDAM?",
        ),
        question_bodies=(
            "Mohon informasi jadwal pemeliharaan jaringan dan pemadaman listrik bergilir di "
            "{kecamatan}.",
            "Saya ingin mengajukan keberatan atas tagihan air PDAM yang tidak wajar. Mohon "
            "informasi prosedurnya.",
        ),
        unit="Perumda Air Minum dan PLN unit setempat",
        progress=(
            "Petugas sudah memeriksa jaringan pipa di sekitar lokasi.",
            "Laporan gangguan sudah diteruskan ke unit layanan pelanggan.",
            "Meteran air pelapor sedang diperiksa ulang.",
        ),
        answers=(
            "Distribusi air PDAM di {desa} sudah normal kembali setelah perbaikan pipa induk.",
            "Tagihan air pelapor sudah dikoreksi sesuai pemakaian sebenarnya.",
            "Gangguan jaringan listrik di {kecamatan} sudah diperbaiki dan trafo diganti.",
            "Tiang listrik yang miring sudah ditegakkan dan kabel dirapikan.",
        ),
    ),
    "perhubungan": CategoryTexts(
        titles=(
            "Parkir liar di {jalan} menyebabkan macet",
            "Juru parkir liar memungut tarif {biaya} di {pasar} {kota_pendek}",
            "Angkutan umum ngetem sembarangan di {jalan}",
            "Lampu lalu lintas mati di simpang {jalan}",
            "Terminal {kota_pendek} kumuh dan tidak terawat",
            "Uji KIR kendaraan dipungut biaya tambahan",
            "Halte bus rusak di {jalan}",
            "Truk kelebihan muatan merusak jalan di {kecamatan}",
            "Rambu lalu lintas hilang di {jalan}",
            "Bus antarkota ugal-ugalan di jalur {kota_pendek}",
        ),
        problems=(
            "Kendaraan parkir di kedua sisi {jalan} sehingga jalan hanya bisa dilalui satu "
            "mobil.",
            "Juru parkir liar di depan {pasar} {kota_pendek} meminta tarif {biaya} tanpa karcis.",
            "Lampu lalu lintas di persimpangan {jalan} sudah {durasi} mati.",
            "Angkot berhenti lama menunggu penumpang di tikungan {jalan}.",
            "Truk bermuatan berlebih melintas setiap malam di jalan desa {desa}.",
            "Halte di {jalan} atapnya roboh dan kursinya hilang.",
        ),
        impacts=(
            "Kemacetan terjadi setiap pagi dan sore.",
            "Hampir terjadi tabrakan di persimpangan tersebut.",
            "Penumpang harus menunggu bus di bawah panas dan hujan.",
            "Jalan desa cepat rusak karena dilewati truk besar.",
        ),
        requests=(
            "Mohon parkir liar ditertibkan oleh dinas perhubungan.",
            "Mohon lampu lalu lintas segera diperbaiki.",
            "Mohon pengawasan angkutan umum dan truk kelebihan muatan.",
            "Mohon halte diperbaiki dan dirawat.",
        ),
        aspirations=(
            "Usulan rute angkutan umum ke {kecamatan}",
            "Usulan zebra cross di depan {sekolah}",
            "Usulan kantong parkir resmi di {pasar} {kota_pendek}",
        ),
        aspiration_bodies=(
            "Belum ada angkutan umum yang melayani {kecamatan}; kami mengusulkan trayek baru ke "
            "pusat kota.",
            "Kami mengusulkan pembuatan zebra cross dan rambu sekolah di depan {sekolah} demi "
            "keselamatan siswa.",
        ),
        questions=(
            "Berapa tarif parkir resmi di {kota}?",
            "Mohon informasi jadwal bus DAMRI ke {kota_pendek}",
        ),
        question_bodies=(
            "Mohon informasi tarif parkir tepi jalan yang resmi di {kota} dan cara membedakan "
            "juru parkir resmi.",
            "Mohon informasi jadwal dan tarif angkutan umum dari {kecamatan} ke pusat kota.",
        ),
        unit="Dinas Perhubungan",
        progress=(
            "Petugas {unit} sudah melakukan penertiban di lokasi.",
            "Perbaikan lampu lalu lintas sudah dijadwalkan.",
            "Kami berkoordinasi dengan kepolisian untuk pengawasan di lokasi.",
        ),
        answers=(
            "Parkir liar di {jalan} sudah ditertibkan dan dipasang rambu larangan parkir.",
            "Lampu lalu lintas di simpang {jalan} sudah berfungsi kembali.",
            "Juru parkir tanpa izin sudah ditertibkan; tarif resmi diumumkan di lokasi.",
            "Halte sudah diperbaiki dan masuk jadwal pemeliharaan.",
        ),
    ),
    "ketertiban": CategoryTexts(
        titles=(
            "Pungutan liar (pungli) di {pasar} {kota_pendek}",
            "Premanisme di terminal dan pasar {kota_pendek}",
            "Pedagang kaki lima menutup trotoar {jalan}",
            "Tempat hiburan malam beroperasi melewati batas waktu di {kecamatan}",
            "Balap liar setiap malam di {jalan}",
            "Bangunan liar berdiri di bantaran sungai {desa}",
            "Minuman keras dijual bebas dekat {sekolah}",
            "Pungli di jembatan timbang {kecamatan}",
            "Suara bising knalpot brong di {jalan}",
            "Pengamen dan anak jalanan di simpang {jalan}",
        ),
        problems=(
            "Pedagang di {pasar} {kota_pendek} dimintai pungutan liar {biaya} setiap hari oleh "
            "sekelompok orang.",
            "Setiap malam {hari} terjadi balap liar di {jalan} hingga dini hari.",
            "Trotoar di {jalan} dipenuhi lapak pedagang kaki lima sehingga pejalan kaki turun ke "
            "jalan.",
            "Tempat hiburan malam di {kecamatan} beroperasi sampai pagi dan menimbulkan keributan.",
            "Warung dekat {sekolah} menjual minuman keras kepada remaja.",
        ),
        impacts=(
            "Pedagang kecil merasa diperas dan takut melapor.",
            "Warga tidak bisa beristirahat pada malam hari.",
            "Pejalan kaki, termasuk anak sekolah, terancam tertabrak.",
            "Orang tua khawatir anak-anak terpengaruh.",
        ),
        requests=(
            "Mohon Satpol PP dan kepolisian menertibkan.",
            "Mohon pelaku pungli ditangkap dan diproses hukum.",
            "Mohon patroli rutin di lokasi.",
            "Mohon izin tempat usaha tersebut ditinjau ulang.",
        ),
        aspirations=(
            "Usulan lokasi khusus pedagang kaki lima di {kecamatan}",
            "Usulan pos keamanan di {pasar} {kota_pendek}",
            "Usulan patroli malam di {desa}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan penyediaan lokasi khusus bagi pedagang kaki lima supaya trotoar "
            "{jalan} kembali untuk pejalan kaki.",
            "Kami mengusulkan pos keamanan dan patroli rutin di {pasar} {kota_pendek} untuk "
            "mencegah premanisme.",
        ),
        questions=(
            "Ke mana melaporkan pungutan liar di pasar?",
            "Mohon informasi aturan jam operasional tempat hiburan di {kota}",
        ),
        question_bodies=(
            "Mohon informasi saluran resmi untuk melaporkan pungutan liar dan perlindungan bagi "
            "pelapor.",
            "Mohon informasi peraturan daerah tentang jam operasional tempat hiburan malam di "
            "{kota}.",
        ),
        unit="Satuan Polisi Pamong Praja",
        progress=(
            "Petugas {unit} sudah melakukan patroli ke lokasi.",
            "Laporan sudah kami koordinasikan dengan Polsek {kecamatan}.",
            "Kami sedang mengumpulkan keterangan dari pedagang.",
        ),
        answers=(
            "Penertiban sudah dilakukan; pedagang kaki lima dipindahkan ke lokasi yang "
            "disediakan.",
            "Pelaku pungli di {pasar} {kota_pendek} telah diamankan dan diproses.",
            "Patroli rutin dijadwalkan setiap malam akhir pekan di {jalan}.",
            "Izin usaha tempat hiburan tersebut telah dibekukan sementara.",
        ),
    ),
    "pelayanan-publik": CategoryTexts(
        titles=(
            "Pelayanan lambat di kantor {kantor_desa}",
            "Pungli pengurusan surat di kantor desa {desa}",
            "Pegawai kantor kecamatan {kecamatan} tidak ada di tempat pada jam kerja",
            "Pelayanan lambat dan berbelit di kantor {kota_pendek}",
            "Petugas meminta uang pelicin untuk pengurusan dokumen",
            "Kantor pelayanan tutup sebelum jam layanan berakhir",
            "Pengurusan surat keterangan tidak mampu dipersulit",
            "Pegawai bersikap tidak ramah kepada warga",
            "Antrean layanan di Mal Pelayanan Publik {kota_pendek} tidak tertib",
            "Dana desa {desa} tidak transparan",
        ),
        problems=(
            "Saya mengurus surat pengantar di {kantor_desa} tetapi harus bolak-balik {n2} kali "
            "karena petugas tidak ada.",
            "Petugas meminta uang {biaya} agar surat cepat selesai, tanpa kuitansi.",
            "Kantor Kecamatan {kecamatan} sudah tutup pukul {jam} padahal jam layanan sampai "
            "sore.",
            "Pengurusan surat keterangan tidak mampu di desa kami memakan waktu {durasi}.",
            "Penggunaan dana desa {desa} tidak pernah diumumkan kepada warga.",
            "Petugas loket membentak warga lanjut usia yang bertanya.",
        ),
        impacts=(
            "Warga kehilangan waktu dan biaya transportasi.",
            "Pelayanan publik seperti ini membuat warga enggan mengurus dokumen.",
            "Warga miskin terbebani pungutan yang tidak resmi.",
            "Kepercayaan warga kepada pemerintah desa menurun.",
        ),
        requests=(
            "Mohon pengawasan disiplin pegawai.",
            "Mohon pungutan liar dihentikan dan pelakunya diberi sanksi.",
            "Mohon standar waktu pelayanan diumumkan dan ditaati.",
            "Mohon inspektorat memeriksa penggunaan dana desa.",
        ),
        aspirations=(
            "Usulan layanan daring untuk surat keterangan di {kota}",
            "Usulan papan informasi standar pelayanan di kantor desa {desa}",
            "Usulan survei kepuasan layanan di kantor kecamatan {kecamatan}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan agar surat keterangan dapat diajukan secara daring supaya warga "
            "tidak perlu antre.",
            "Kami mengusulkan pemasangan papan informasi biaya dan lama pelayanan di setiap "
            "kantor desa.",
        ),
        questions=(
            "Berapa lama standar pelayanan surat pengantar di kantor desa?",
            "Mohon informasi penggunaan dana desa {desa} tahun ini",
        ),
        question_bodies=(
            "Mohon informasi standar waktu dan biaya pengurusan surat pengantar di kantor desa.",
            "Sebagai warga {desa} saya meminta informasi rincian penggunaan dana desa tahun "
            "berjalan.",
        ),
        unit="Inspektorat",
        progress=(
            "Laporan sudah kami teruskan kepada camat untuk pemeriksaan.",
            "{unit} sedang memeriksa pegawai yang dilaporkan.",
            "Kami meminta pemerintah desa menyampaikan laporan penggunaan dana desa.",
        ),
        answers=(
            "Pegawai yang bersangkutan telah diberi teguran tertulis dan jam layanan diawasi.",
            "Pungutan tidak resmi telah dihentikan; layanan surat di desa tidak dipungut biaya.",
            "Laporan penggunaan dana desa {desa} sudah diumumkan di papan informasi desa.",
            "Standar pelayanan kini dipasang di kantor kecamatan {kecamatan}.",
        ),
    ),
    "ketenagakerjaan": CategoryTexts(
        titles=(
            "Upah di bawah UMK di perusahaan di {kecamatan}",
            "Gaji karyawan belum dibayar {durasi}",
            "PHK sepihak tanpa pesangon",
            "BPJS Ketenagakerjaan tidak didaftarkan perusahaan",
            "Klaim JHT BPJS Ketenagakerjaan dipersulit",
            "Pekerja migran asal {desa} tidak bisa pulang",
            "Lembur tidak dibayar di pabrik {kecamatan}",
            "Perusahaan menahan ijazah karyawan",
            "Kecelakaan kerja tidak ditanggung perusahaan",
        ),
        problems=(
            "Perusahaan tempat saya bekerja di {kecamatan} membayar upah di bawah UMK {kota}.",
            "Gaji kami sudah {durasi} belum dibayar oleh perusahaan.",
            "Saya di-PHK secara sepihak tanpa surat dan tanpa pesangon setelah bekerja {n2} "
            "tahun.",
            "Iuran BPJS Ketenagakerjaan dipotong dari gaji tetapi tidak disetorkan perusahaan.",
            "Klaim JHT saya ditolak berkali-kali dengan alasan data tidak cocok.",
            "Saudara kami bekerja sebagai pekerja migran dan sudah {durasi} tidak bisa "
            "dihubungi.",
        ),
        impacts=(
            "Keluarga kami kesulitan memenuhi kebutuhan sehari-hari.",
            "Banyak karyawan lain mengalami hal yang sama tetapi takut melapor.",
            "Kami tidak terlindungi bila terjadi kecelakaan kerja.",
            "Keluarga sangat khawatir dengan keadaannya.",
        ),
        requests=(
            "Mohon pengawas ketenagakerjaan memeriksa perusahaan tersebut.",
            "Mohon hak pesangon kami dibayarkan sesuai aturan.",
            "Mohon BPJS Ketenagakerjaan menindaklanjuti tunggakan iuran.",
            "Mohon bantuan pemulangan pekerja migran.",
        ),
        aspirations=(
            "Usulan pelatihan kerja gratis di {kecamatan}",
            "Usulan bursa kerja rutin di {kota}",
        ),
        aspiration_bodies=(
            "Banyak pemuda di {kecamatan} menganggur; kami mengusulkan pelatihan kerja gratis di "
            "balai latihan kerja.",
        ),
        questions=(
            "Berapa UMK {kota} tahun ini?",
            "Bagaimana cara klaim JHT BPJS Ketenagakerjaan?",
        ),
        question_bodies=(
            "Mohon informasi besaran upah minimum kabupaten/kota di {kota} dan aturan upah "
            "lembur.",
            "Mohon informasi syarat dan cara pengajuan klaim Jaminan Hari Tua secara daring.",
        ),
        unit="Dinas Tenaga Kerja",
        progress=(
            "Pengawas ketenagakerjaan sudah menjadwalkan pemeriksaan ke perusahaan.",
            "Kami sudah memanggil pihak perusahaan untuk mediasi.",
            "Data kepesertaan pelapor sedang dicek bersama BPJS Ketenagakerjaan.",
        ),
        answers=(
            "Perusahaan telah membayar kekurangan upah sesuai UMK kepada pekerja.",
            "Mediasi menghasilkan kesepakatan pembayaran pesangon pelapor.",
            "Perusahaan sudah mendaftarkan seluruh karyawan ke BPJS Ketenagakerjaan.",
            "Klaim JHT pelapor sudah cair ke rekening pelapor.",
        ),
    ),
    "perizinan": CategoryTexts(
        titles=(
            "Izin usaha lewat OSS tidak kunjung terbit",
            "Pengurusan PBG (dulu IMB) di {kota_pendek} berbelit",
            "Pungutan tambahan untuk izin usaha mikro",
            "NIB tidak bisa diterbitkan karena sistem error",
            "Izin usaha tambang di {kecamatan} meresahkan warga",
            "Bangunan tanpa PBG berdiri di {jalan}",
            "Izin keramaian dipersulit di {kecamatan}",
            "Perpanjangan izin usaha tertunda {durasi}",
        ),
        problems=(
            "Saya mengajukan izin usaha melalui OSS {durasi} yang lalu tetapi statusnya masih "
            "diproses.",
            "Pengurusan PBG untuk rumah tinggal diminta banyak dokumen tambahan yang tidak ada "
            "dalam aturan.",
            "Petugas meminta {biaya} agar izin usaha mikro saya cepat terbit.",
            "Sebuah bangunan besar di {jalan} dibangun tanpa izin dan melanggar garis sempadan.",
            "Aktivitas tambang pasir di {kecamatan} diduga tidak memiliki izin.",
        ),
        impacts=(
            "Usaha saya tidak bisa mendapat pinjaman modal tanpa izin.",
            "Proyek pembangunan rumah kami tertunda.",
            "Warga khawatir terjadi longsor dan kerusakan lingkungan.",
        ),
        requests=(
            "Mohon izin usaha saya segera diproses.",
            "Mohon syarat perizinan disederhanakan dan diumumkan.",
            "Mohon bangunan tanpa izin ditertibkan.",
        ),
        aspirations=(
            "Usulan pendampingan izin usaha bagi UMKM di {kecamatan}",
            "Usulan gerai perizinan di kantor kecamatan {kecamatan}",
        ),
        aspiration_bodies=(
            "Banyak pelaku UMKM di {kecamatan} belum punya NIB; kami mengusulkan pendampingan "
            "pengurusan izin usaha.",
        ),
        questions=(
            "Apa syarat mengurus izin usaha mikro lewat OSS?",
            "Berapa lama proses PBG di {kota}?",
        ),
        question_bodies=(
            "Mohon informasi syarat dan langkah mengurus NIB dan izin usaha mikro melalui OSS.",
            "Mohon informasi lama proses dan biaya retribusi persetujuan bangunan gedung di "
            "{kota}.",
        ),
        unit="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        progress=(
            "Berkas pelapor sedang diverifikasi oleh petugas {unit}.",
            "Kami sudah meninjau lokasi bangunan yang dilaporkan.",
            "Permasalahan sistem OSS sudah dilaporkan kepada pengelola pusat.",
        ),
        answers=(
            "Izin usaha pelapor telah terbit dan dapat diunduh melalui OSS.",
            "PBG pelapor sudah disetujui; syarat tambahan yang tidak diatur telah dihapus.",
            "Bangunan tanpa izin di {jalan} telah disegel sampai izinnya dilengkapi.",
        ),
    ),
    "pertanahan": CategoryTexts(
        titles=(
            "Sertifikat tanah PTSL belum terbit {durasi}",
            "Pungutan biaya PTSL di Desa {desa}",
            "Sengketa batas tanah di {desa}",
            "Pengukuran tanah oleh BPN tidak kunjung dilakukan",
            "Sertifikat ganda atas tanah kami di {kecamatan}",
            "Balik nama sertifikat tanah dipersulit",
            "Mafia tanah menyerobot lahan warga {desa}",
        ),
        problems=(
            "Tanah kami sudah diukur dalam program PTSL {durasi} yang lalu tetapi sertifikat "
            "belum terbit.",
            "Panitia PTSL di Desa {desa} meminta {biaya} per bidang, melebihi ketentuan.",
            "Terbit sertifikat lain di atas tanah yang sudah kami miliki sejak lama.",
            "Proses balik nama sertifikat di kantor pertanahan sudah {durasi} tanpa kejelasan.",
            "Lahan warga di {desa} dipagari oleh pihak yang mengaku memiliki sertifikat.",
        ),
        impacts=(
            "Kami khawatir kehilangan hak atas tanah warisan keluarga.",
            "Warga tidak mampu membayar pungutan tersebut.",
            "Kami tidak bisa menjaminkan tanah untuk modal usaha.",
        ),
        requests=(
            "Mohon sertifikat kami segera diterbitkan.",
            "Mohon pungutan PTSL di luar ketentuan dihentikan.",
            "Mohon kantor pertanahan memediasi sengketa ini.",
        ),
        aspirations=(
            "Usulan program PTSL untuk Desa {desa}",
            "Usulan layanan pertanahan keliling di {kecamatan}",
        ),
        aspiration_bodies=(
            "Sebagian besar tanah warga {desa} belum bersertifikat; kami mengusulkan desa kami "
            "masuk program PTSL tahun depan.",
        ),
        questions=(
            "Berapa biaya resmi PTSL?",
            "Bagaimana cara mengecek keaslian sertifikat tanah?",
        ),
        question_bodies=(
            "Mohon informasi biaya resmi yang boleh dipungut dalam program PTSL di desa.",
            "Mohon informasi cara mengecek data sertifikat tanah secara daring.",
        ),
        unit="Kantor Pertanahan",
        progress=(
            "Berkas tanah pelapor sedang diperiksa di {unit}.",
            "Mediasi antara para pihak dijadwalkan bulan ini.",
            "Kami sudah meminta panitia PTSL desa memberi klarifikasi.",
        ),
        answers=(
            "Sertifikat tanah pelapor sudah terbit dan dapat diambil di kantor desa.",
            "Pungutan PTSL di luar ketentuan telah dihentikan dan dikembalikan kepada warga.",
            "Mediasi sengketa batas tanah telah menghasilkan kesepakatan para pihak.",
        ),
    ),
    "perpajakan": CategoryTexts(
        titles=(
            "Tagihan PBB naik tidak wajar di {kecamatan}",
            "SPPT PBB tidak sampai ke warga {desa}",
            "Pajak kendaraan bermotor tidak bisa dibayar daring",
            "Retribusi pasar dipungut tanpa karcis di {pasar} {kota_pendek}",
            "Denda pajak kendaraan dikenakan padahal sudah dibayar",
            "Retribusi sampah dipungut ganda",
        ),
        problems=(
            "Tagihan PBB rumah kami tahun ini naik menjadi {biaya}, berlipat dari tahun lalu.",
            "SPPT PBB tidak pernah dibagikan di desa kami sehingga kami terkena denda.",
            "Pembayaran pajak kendaraan melalui aplikasi selalu gagal.",
            "Petugas memungut retribusi pasar {biaya} tanpa memberi karcis.",
            "Retribusi sampah ditagih di rekening air dan juga oleh petugas kelurahan.",
        ),
        impacts=(
            "Warga keberatan dengan kenaikan yang tiba-tiba.",
            "Kami dirugikan oleh denda yang bukan kesalahan kami.",
            "Pendapatan daerah bisa bocor bila retribusi tanpa karcis.",
        ),
        requests=(
            "Mohon penjelasan dasar kenaikan PBB dan peninjauan ulang.",
            "Mohon denda dihapus dan sistem pembayaran diperbaiki.",
            "Mohon retribusi dipungut dengan karcis resmi.",
        ),
        aspirations=(
            "Usulan keringanan PBB bagi lansia di {kota}",
            "Usulan pembayaran retribusi nontunai di {pasar} {kota_pendek}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan keringanan PBB untuk warga lanjut usia yang tidak lagi "
            "berpenghasilan.",
        ),
        questions=(
            "Bagaimana cara mengajukan keberatan PBB?",
            "Mohon informasi program pemutihan pajak kendaraan",
        ),
        question_bodies=(
            "Mohon informasi syarat dan batas waktu pengajuan keberatan atas tagihan PBB.",
            "Apakah tahun ini ada program pemutihan denda pajak kendaraan bermotor?",
        ),
        unit="Badan Pendapatan Daerah",
        progress=(
            "Data objek pajak pelapor sedang diperiksa oleh {unit}.",
            "Kami sudah meminta petugas pasar menjelaskan pemungutan retribusi.",
        ),
        answers=(
            "Tagihan PBB pelapor sudah dikoreksi setelah penilaian ulang objek pajak.",
            "Denda pajak kendaraan pelapor dihapus karena pembayaran terbukti sudah masuk.",
            "Retribusi pasar kini dipungut dengan karcis resmi dan dapat dibayar nontunai.",
        ),
    ),
    "pertanian": CategoryTexts(
        titles=(
            "Pupuk subsidi langka di {kecamatan}",
            "Harga pupuk bersubsidi di atas HET di Desa {desa}",
            "Kartu tani tidak bisa digunakan menebus pupuk",
            "Saluran irigasi rusak di {desa}",
            "Bantuan alat pertanian dikuasai perangkat desa",
            "Harga gabah anjlok saat panen di {kecamatan}",
            "Serangan hama wereng tidak ditangani penyuluh",
        ),
        problems=(
            "Petani di {kecamatan} kesulitan mendapat pupuk subsidi menjelang musim tanam.",
            "Kios resmi menjual pupuk bersubsidi seharga {biaya} per karung, di atas HET.",
            "Saluran irigasi di {desa} jebol sehingga sawah tidak mendapat air.",
            "Bantuan traktor untuk kelompok tani hanya dipakai oleh keluarga perangkat desa.",
            "Harga gabah saat panen turun sampai {biaya} per kilogram.",
        ),
        impacts=(
            "Panen terancam gagal dan petani merugi.",
            "Petani terpaksa membeli pupuk nonsubsidi yang mahal.",
            "Sawah seluas {n} hektare tidak bisa ditanami.",
        ),
        requests=(
            "Mohon distribusi pupuk subsidi diawasi.",
            "Mohon saluran irigasi segera diperbaiki.",
            "Mohon bantuan alat pertanian digunakan sesuai peruntukan.",
        ),
        aspirations=(
            "Usulan pembangunan embung di Desa {desa}",
            "Usulan penambahan kuota pupuk subsidi untuk {kecamatan}",
        ),
        aspiration_bodies=(
            "Sawah di {desa} bergantung pada hujan; kami mengusulkan pembangunan embung untuk "
            "pengairan musim kemarau.",
        ),
        questions=(
            "Bagaimana cara mendapat kartu tani?",
            "Mohon informasi alokasi pupuk subsidi di {kecamatan}",
        ),
        question_bodies=(
            "Mohon informasi syarat pendaftaran petani dalam e-RDKK dan cara mendapatkan kartu "
            "tani.",
        ),
        unit="Dinas Pertanian",
        progress=(
            "Petugas {unit} sudah memeriksa stok pupuk di kios resmi.",
            "Penyuluh pertanian sudah turun ke lokasi.",
        ),
        answers=(
            "Kuota pupuk subsidi untuk kelompok tani pelapor sudah disalurkan.",
            "Kios yang menjual di atas HET telah diberi peringatan dan diawasi.",
            "Perbaikan saluran irigasi di {desa} sudah selesai dikerjakan.",
        ),
    ),
    "bencana": CategoryTexts(
        titles=(
            "Korban banjir di {desa} belum menerima bantuan",
            "Tanah longsor menutup jalan di {kecamatan}",
            "Pengungsi kebakaran di {desa} kekurangan air bersih",
            "Tanggul sungai jebol di {kecamatan}",
            "Bantuan rehabilitasi rumah korban gempa belum cair",
            "Pohon tumbang menimpa rumah warga di {jalan}",
            "Abrasi pantai mengancam rumah warga {desa}",
        ),
        problems=(
            "Banjir merendam {desa} sejak {hari} dan warga mengungsi di balai desa tanpa bantuan "
            "yang cukup.",
            "Longsor menutup akses jalan ke {n2} dusun di {kecamatan}.",
            "Tanggul sungai di {kecamatan} jebol dan belum diperbaiki.",
            "Bantuan stimulan perbaikan rumah korban gempa belum diterima setelah {durasi}.",
            "Pohon besar tumbang di {jalan} dan menimpa rumah warga.",
        ),
        impacts=(
            "Pengungsi, terutama anak-anak dan lansia, mulai sakit.",
            "Warga terisolasi dan kesulitan bahan makanan.",
            "Rumah warga yang rusak belum bisa ditempati.",
        ),
        requests=(
            "Mohon BPBD segera mengirim bantuan logistik.",
            "Mohon alat berat dikirim untuk membuka akses jalan.",
            "Mohon kejelasan pencairan bantuan rehabilitasi.",
        ),
        aspirations=(
            "Usulan sistem peringatan dini banjir di {kecamatan}",
            "Usulan pelatihan siaga bencana di Desa {desa}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan pemasangan sistem peringatan dini banjir di sungai yang melintasi "
            "{kecamatan}.",
        ),
        questions=(
            "Bagaimana cara mengajukan bantuan korban bencana?",
            "Mohon informasi jalur evakuasi di {kecamatan}",
        ),
        question_bodies=(
            "Mohon informasi syarat dan cara pengajuan bantuan rehabilitasi rumah bagi korban "
            "bencana.",
        ),
        unit="Badan Penanggulangan Bencana Daerah",
        progress=(
            "Tim reaksi cepat {unit} sudah berada di lokasi.",
            "Data korban sedang diverifikasi untuk penyaluran bantuan.",
        ),
        answers=(
            "Bantuan logistik sudah disalurkan kepada pengungsi di {desa}.",
            "Akses jalan yang tertutup longsor sudah dibuka dengan alat berat.",
            "Bantuan rehabilitasi rumah pelapor telah ditransfer ke rekening kelompok masyarakat.",
        ),
    ),
    "teknologi-informasi": CategoryTexts(
        titles=(
            "Aplikasi layanan pemerintah {kota_pendek} sering error",
            "Tidak ada sinyal telepon di Desa {desa}",
            "Data pribadi bocor setelah mendaftar layanan daring",
            "Situs resmi pemerintah {kota} tidak bisa diakses",
            "Internet desa {desa} mati {durasi}",
            "Penipuan mengatasnamakan instansi pemerintah",
        ),
        problems=(
            "Aplikasi layanan daring pemerintah {kota_pendek} selalu gagal saat mengunggah "
            "berkas.",
            "Desa {desa} belum terjangkau sinyal telepon seluler dan internet.",
            "Setelah mendaftar layanan daring, saya menerima banyak pesan penipuan yang memuat "
            "data pribadi saya.",
            "Situs resmi pemerintah daerah tidak bisa dibuka sejak {durasi}.",
        ),
        impacts=(
            "Warga tidak bisa memakai layanan daring yang diwajibkan.",
            "Anak-anak kesulitan belajar daring.",
            "Saya khawatir data pribadi saya disalahgunakan.",
        ),
        requests=(
            "Mohon aplikasi diperbaiki.",
            "Mohon pembangunan menara BTS di desa kami.",
            "Mohon kebocoran data pribadi diselidiki.",
        ),
        aspirations=(
            "Usulan wifi gratis di balai desa {desa}",
            "Usulan satu aplikasi untuk semua layanan di {kota}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan penyediaan internet gratis di balai desa {desa} untuk pelajar dan "
            "pelaku UMKM.",
        ),
        questions=(
            "Ke mana melaporkan kebocoran data pribadi?",
            "Kapan desa {desa} terjangkau internet?",
        ),
        question_bodies=(
            "Mohon informasi prosedur pelaporan kebocoran data pribadi oleh penyelenggara layanan "
            "pemerintah.",
        ),
        unit="Dinas Komunikasi dan Informatika",
        progress=(
            "Tim teknis {unit} sedang memeriksa gangguan aplikasi.",
            "Usulan menara BTS sudah kami sampaikan kepada operator seluler.",
        ),
        answers=(
            "Gangguan aplikasi sudah diperbaiki; pengunggahan berkas kini berjalan normal.",
            "Desa {desa} sudah masuk rencana pembangunan BTS tahun depan.",
            "Situs resmi sudah dapat diakses kembali setelah pemindahan server.",
        ),
    ),
    "lainnya": CategoryTexts(
        titles=(
            "Fasilitas umum di {kecamatan} terbengkalai",
            "Masjid dan makam umum {desa} tidak terurus",
            "Pasar {desa} becek dan kumuh",
            "Lapangan olahraga desa {desa} dijadikan parkir",
            "Keluhan pelayanan di {kantor_desa}",
            "Kebutuhan pokok mahal di {pasar} {kota_pendek}",
        ),
        problems=(
            "Fasilitas umum di {kecamatan} tidak terawat dan banyak yang rusak.",
            "{pasar} {kota_pendek} becek, atap los pedagang bocor dan saluran airnya mampet.",
            "Lapangan desa {desa} kini dipakai untuk parkir truk.",
            "Harga beras dan minyak goreng di {pasar} {kota_pendek} naik tajam.",
        ),
        impacts=(
            "Warga tidak lagi bisa memanfaatkan fasilitas tersebut.",
            "Pedagang dan pembeli merasa tidak nyaman.",
        ),
        requests=(
            "Mohon perhatian pemerintah daerah.",
            "Mohon fasilitas umum diperbaiki dan dirawat.",
        ),
        aspirations=(
            "Usulan perbaikan pasar {desa}",
            "Usulan pembangunan gedung serbaguna di {kecamatan}",
        ),
        aspiration_bodies=(
            "Kami mengusulkan revitalisasi {pasar} {kota_pendek} agar lebih bersih dan tertata.",
        ),
        questions=(
            "Mohon informasi program pemerintah di {kecamatan}",
        ),
        question_bodies=(
            "Mohon informasi program pembangunan pemerintah daerah di {kecamatan} tahun ini.",
        ),
        unit="Bagian Umum",
        progress=("Laporan sudah kami teruskan kepada perangkat daerah terkait.",),
        answers=(
            "Fasilitas yang dilaporkan sudah diperbaiki dan masuk jadwal pemeliharaan.",
            "Revitalisasi pasar sudah dianggarkan dan dimulai tahun ini.",
        ),
    ),
}

# What every body writes, whatever the category.
FIRST_RESPONSES = (
    "Terima kasih atas laporan Anda. Laporan sudah kami terima dan diteruskan ke {unit} untuk "
    "ditindaklanjuti.",
    "Laporan Anda sudah kami terima. Kami akan memeriksa lokasi dan menyampaikan perkembangannya.",
    "Terima kasih. Laporan sedang kami pelajari dan koordinasikan dengan {unit}.",
    "Laporan diterima. Mohon kesediaan Anda menunggu hasil pemeriksaan lapangan.",
    "Selamat siang, laporan Anda sudah kami catat dan akan segera ditindaklanjuti.",
)
REDIRECT_REASONS = (
    "Bukan kewenangan kami; urusan ini ditangani {to_body}.",
    "Sesuai pembagian urusan, laporan ini menjadi kewenangan {to_body}.",
    "Lokasi berada di wilayah lain; kami teruskan ke {to_body}.",
    "Objek yang dilaporkan dikelola oleh {to_body}.",
)
ESCALATION_NOTES = (
    "Memerlukan keputusan dan anggaran instansi induk.",
    "Di luar kemampuan kami; mohon arahan instansi induk.",
    "",
)
VERIFIER_NOTES = (
    "", "", "", "",
    "Mohon ditindaklanjuti sesuai kewenangan.",
    "Laporan lengkap, diteruskan ke instansi berwenang.",
    "Mohon segera diberi tanggapan kepada pelapor.",
)
COMPLETION_REQUESTS = (
    "Mohon lengkapi lokasi kejadian (nama jalan, RT/RW) dan tanggal kejadian.",
    "Mohon lampirkan foto atau bukti pendukung.",
    "Mohon jelaskan instansi atau petugas yang Anda maksud.",
    "Laporan belum jelas; mohon uraikan kronologi kejadian.",
)
INFO_ADDED = (
    "Lokasi tepatnya di depan rumah nomor {n}, RT {rt}/RW {rw}.",
    "Kejadiannya pada hari {hari}, sekitar pukul {jam}.",
    "Saya tambahkan bahwa kondisinya sekarang makin parah.",
    "Foto kondisi terbaru sudah saya lampirkan.",
    "Petugas yang saya maksud bertugas di loket {n2}.",
)
INFO_REQUESTS = (
    "Mohon kirimkan foto lokasi dan titik koordinat yang lebih tepat.",
    "Mohon sebutkan nomor pelanggan atau nomor identitas yang terkait laporan ini.",
    "Mohon jelaskan kapan terakhir kejadian ini terjadi.",
    "Mohon informasikan nomor telepon yang dapat kami hubungi untuk peninjauan.",
)
CITIZEN_REPLIES = (
    "Foto sudah saya lampirkan. Lokasinya di dekat {jalan}.",
    "Nomor pelanggan saya {n}{n2}{rt}{rw}.",
    "Terakhir terjadi hari {hari} kemarin.",
    "Silakan hubungi saya pada jam kerja. Terima kasih.",
)
INTERNAL_NOTES = (
    "Sudah dikoordinasikan dengan bidang teknis.",
    "Menunggu hasil survei lapangan.",
    "Anggaran perbaikan diusulkan pada perubahan APBD.",
    "Pelapor sudah dihubungi lewat telepon.",
    "Perlu surat dari kepala dinas sebelum tindak lanjut.",
)
DISPUTES = (
    "Sampai hari ini masalahnya belum selesai di lapangan.",
    "Jawaban tidak sesuai dengan kondisi sebenarnya.",
    "Perbaikan hanya sebagian dan sudah rusak lagi.",
    "Saya belum menerima hak saya seperti yang disebutkan.",
)
RATING_COMMENTS = {
    5: ("Terima kasih, masalah sudah selesai dengan cepat.", "Pelayanan sangat baik.", ""),
    4: ("Sudah ditangani, meskipun agak lama.", "Terima kasih atas tindak lanjutnya.", ""),
    3: ("Cukup, tetapi prosesnya terlalu lama.", ""),
    2: ("Penanganan lambat dan hasilnya kurang memuaskan.", ""),
    1: ("Tidak ada perubahan di lapangan.", "Sangat mengecewakan.", ""),
}
REJECTION_NOTES = {
    "spam": ("Isi laporan berupa promosi.", ""),
    "not_public_service": (
        "Urusan perdata antarwarga; silakan menempuh musyawarah atau jalur hukum.",
        "Bukan keluhan atas pelayanan publik.",
        "",
    ),
    "incomplete": ("Pelapor tidak melengkapi laporan setelah diminta.", ""),
    "abusive": ("Laporan mengandung kata-kata kasar.", ""),
    "court_case": ("Perkara sedang diperiksa pengadilan.", ""),
    "other": (
        "Laporan yang sama sudah dijawab sebelumnya.",
        "Pertanyaan umum, sudah dijawab melalui kanal informasi.",
        "Laporan ditujukan kepada pihak swasta di luar pelayanan publik.",
    ),
}
SPAM_TITLES = (
    "Promo pinjaman dana cepat tanpa jaminan",
    "Jual obat herbal asli hubungi WA",
    "tes",
    "Info lowongan kerja kirim CV",
)
