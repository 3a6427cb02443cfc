import pytest

from jobcrawler.normalize.location import Location, country_code, parse_location


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("United States", "US"),
        ("USA", "US"),
        ("U.S.", "US"),
        ("US", "US"),
        ("us", "US"),
        ("gb", "GB"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("England", "GB"),
        ("Deutschland", "DE"),
        ("South Korea", "KR"),
        ("Czechia", "CZ"),
        ("DEU", "DE"),
        (" Germany ", "DE"),
        ("Turkey", "TR"),
        ("Narnia", None),
        ("826", None),
        ("", None),
        (None, None),
    ],
)
def test_country_code(value, expected):
    assert country_code(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("New York, NY", ("New York", "NY", "US")),
        ("San Francisco, CA, United States", ("San Francisco", "CA", "US")),
        ("London, England, United Kingdom", ("London", "England", "GB")),
        ("Berlin, Germany", ("Berlin", None, "DE")),
        ("Toronto, ON, Canada", ("Toronto", "ON", "CA")),
        ("Remote - US", (None, None, "US")),
        ("Remote (Canada)", (None, None, "CA")),
        ("Hybrid - London", ("London", None, "GB")),
        ("Remote", (None, None, None)),
        ("United States", (None, None, "US")),
        ("EMEA", (None, None, None)),
        ("Anywhere", (None, None, None)),
        ("Worldwide", (None, None, None)),
        ("London", ("London", None, "GB")),
        ("Utrecht, Utrecht, Netherlands", ("Utrecht", "Utrecht", "NL")),
        ("Hobart (TAS)", ("Hobart", "TAS", "AU")),
        ("New York, NY; San Francisco, CA", ("New York", "NY", "US")),
        ("3 Locations", (None, None, None)),
        ("Multiple Locations", (None, None, None)),
        # state and province names become codes
        ("New York, New York, United States", ("New York", "NY", "US")),
        ("Chicago, Illinois, USA", ("Chicago", "IL", "US")),
        ("California", (None, "CA", "US")),
        # two-letter codes that are both a state and a country
        ("Chicago, IL", ("Chicago", "IL", "US")),
        ("Tel Aviv, IL", ("Tel Aviv", None, "IL")),
        ("Mumbai, IN", ("Mumbai", None, "IN")),
        ("Paris, FR", ("Paris", None, "FR")),
        ("Seattle, WA", ("Seattle", "WA", "US")),
        ("Perth, WA", ("Perth", "WA", "AU")),
        ("London, ON", ("London", "ON", "CA")),
        ("Waterloo, ON, CA", ("Waterloo", "ON", "CA")),
        # work-mode words, separators and filler
        ("US-Remote", (None, None, "US")),
        ("Remote, US", (None, None, "US")),
        ("United States (Remote)", (None, None, "US")),
        ("Remote (US only)", (None, None, "US")),
        ("Remote / Canada", (None, None, "CA")),
        ("Remote - EMEA", (None, None, None)),
        ("Remote (EU)", (None, None, None)),
        ("Home office - Germany", (None, None, "DE")),
        ("On-site - Paris", ("Paris", None, "FR")),
        ("London Office", ("London", None, "GB")),
        ("Dublin, Ireland / Remote", ("Dublin", None, "IE")),
        ("New York, NY 10001", ("New York", "NY", "US")),
        # free-text regions and unknown cities
        ("Bengaluru, Karnataka, India", ("Bengaluru", "Karnataka", "IN")),
        ("São Paulo, SP, Brazil", ("São Paulo", "SP", "BR")),
        ("Munich, Bavaria", ("Munich", "Bavaria", "DE")),
        ("Springfield", ("Springfield", None, None)),
        ("Singapore", ("Singapore", None, "SG")),
        ("", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_parse_location(text, expected):
    assert parse_location(text) == Location(*expected)


def test_location_is_frozen():
    location = parse_location("Berlin, Germany")
    with pytest.raises(AttributeError):
        location.city = "Paris"
