"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at /open311/v2/: categories as
services, their extra questions as attributes, public reports as requests, and requests
posted by the applications the system admin issued a key to, filed through the one intake."""
