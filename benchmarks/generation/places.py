"""Where generated reports come from: Indonesia's provinces weighted by population, and within
a province its regencies and cities weighted by how many districts they have.

Province populations: BPS (Badan Pusat Statistik), *Jumlah Penduduk Pertengahan Tahun 2024*
(mid-2024 estimates from the 2020 census projections), in thousands, rounded; approximate.
Within a province there is no population per regency/city in the region data, so the proxy
is its number of districts (*kecamatan*), with a city (*kota*) counted twice: city districts
are several times as populous as rural ones, and city dwellers report more.
"""

from __future__ import annotations

# Kemendagri province code → mid-2024 population in thousands (BPS).
PROVINCE_POPULATION_THOUSANDS: dict[str, int] = {
    "11": 5_555,   # Aceh
    "12": 15_589,  # Sumatera Utara
    "13": 5_836,   # Sumatera Barat
    "14": 6_728,   # Riau
    "15": 3_724,   # Jambi
    "16": 8_837,   # Sumatera Selatan
    "17": 2_112,   # Bengkulu
    "18": 9_420,   # Lampung
    "19": 1_532,   # Kepulauan Bangka Belitung
    "21": 2_183,   # Kepulauan Riau
    "31": 10_685,  # DKI Jakarta
    "32": 50_345,  # Jawa Barat
    "33": 37_892,  # Jawa Tengah
    "34": 3_760,   # DI Yogyakarta
    "35": 41_815,  # Jawa Timur
    "36": 12_431,  # Banten
    "51": 4_433,   # Bali
    "52": 5_646,   # Nusa Tenggara Barat
    "53": 5_656,   # Nusa Tenggara Timur
    "61": 5_696,   # Kalimantan Barat
    "62": 2_810,   # Kalimantan Tengah
    "63": 4_221,   # Kalimantan Selatan
    "64": 4_046,   # Kalimantan Timur
    "65": 740,     # Kalimantan Utara
    "71": 2_702,   # Sulawesi Utara
    "72": 3_122,   # Sulawesi Tengah
    "73": 9_463,   # Sulawesi Selatan
    "74": 2_793,   # Sulawesi Tenggara
    "75": 1_228,   # Gorontalo
    "76": 1_503,   # Sulawesi Barat
    "81": 1_945,   # Maluku
    "82": 1_355,   # Maluku Utara
    "91": 1_061,   # Papua
    "92": 570,     # Papua Barat
    "93": 542,     # Papua Selatan
    "94": 1_473,   # Papua Tengah
    "95": 1_467,   # Papua Pegunungan
    "96": 628,     # Papua Barat Daya
}

CITY_DISTRICT_WEIGHT = 2.0


def regency_weights(
    province_code: str, regencies: list[tuple[bool, int]], *, default_thousands: int = 1_000
) -> list[float]:
    """Weights of a province's regencies/cities, given (is_city, district count) for each:
    the province's population shared out by district count, cities' districts doubled."""
    population = PROVINCE_POPULATION_THOUSANDS.get(province_code, default_thousands)
    shares = [max(districts, 1) * (CITY_DISTRICT_WEIGHT if is_city else 1.0)
              for is_city, districts in regencies]
    total = sum(shares) or 1.0
    return [population * share / total for share in shares]
