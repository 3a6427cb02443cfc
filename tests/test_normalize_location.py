import pytest
from itemadapter import ItemAdapter

from jobcrawler.items import JobPosting
from jobcrawler.normalize import gazetteer
from jobcrawler.normalize.location import (
    _CITY_COUNTRY,
    Location,
    Place,
    country_code,
    parse_location,
    parse_places,
)
from jobcrawler.pipelines.normalize import normalize


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
        ("Springfield", ("Springfield", None, "US")),  # every Springfield of 15k+ is in the US
        ("Narnia Falls", ("Narnia Falls", None, None)),
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare city gets its country from the gazetteer
        ("Leeds", ("Leeds", None, "GB")),
        ("Cork", ("Cork", None, "IE")),
        ("Gdańsk", ("Gdańsk", None, "PL")),
        ("Gdansk", ("Gdansk", None, "PL")),
        ("Porto Alegre", ("Porto Alegre", None, "BR")),
        ("Hybrid - Leeds", ("Leeds", None, "GB")),
        ("Leeds, Yorkshire", ("Leeds", "Yorkshire", "GB")),
        ("Porto Alegre, Rio Grande do Sul", ("Porto Alegre", "Rio Grande do Sul", "BR")),
        ("Cologne", ("Cologne", None, "DE")),  # an alternate name of Köln
        ("München", ("München", None, "DE")),
        ("Mobile", ("Mobile", "AL", "US")),  # one US city of that name: its state too
        # ambiguous names get no country rather than a wrong one
        ("Cambridge", ("Cambridge", None, None)),  # GB 146k, CA 130k, US 110k
        ("Valencia", ("Valencia", None, None)),  # VE 1.6M, ES 0.8M
        ("Richmond", ("Richmond", None, None)),
        ("Portland", ("Portland", None, "US")),  # OR and ME: the country, not the state
        ("Birmingham", ("Birmingham", None, "GB")),  # 1.2M against Alabama's 0.2M
        # the text's own country wins over the gazetteer's
        ("Cambridge, MA", ("Cambridge", "MA", "US")),
        ("Cambridge, UK", ("Cambridge", None, "GB")),
        ("London, ON", ("London", "ON", "CA")),
    ],
)
def test_gazetteer_fills_the_country(text, expected):
    assert parse_location(text) == Location(*expected)


def test_gazetteer_is_read_only_for_a_place_without_a_country():
    gazetteer.locate.cache_clear()
    parse_places.cache_clear()
    gazetteer._indices.cache_clear()
    for text in ("London", "Berlin, Munich", "Munich, Bavaria", "Chicago, IL", "Remote - US"):
        parse_places(text)
    assert not gazetteer.loaded()
    parse_places("Cork")
    assert gazetteer.loaded()


def test_well_known_cities_never_contradict_the_gazetteer():
    """The fast-path table only decides what the gazetteer knows or leaves open."""
    for name, country in _CITY_COUNTRY.items():
        found = gazetteer.locate(name)
        assert found is None or found[0] == country, name


def places(text):
    return [(place.raw, *vars(place.location).values()) for place in parse_places(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "London; New York",
            [("London", "London", None, "GB"), ("New York", "New York", None, "US")],
        ),
        (
            "Berlin, Munich or Remote",
            [("Berlin", "Berlin", None, "DE"), ("Munich", "Munich", None, "DE")],
        ),
        (
            "Leeds, Manchester",
            [("Leeds", "Leeds", None, "GB"), ("Manchester", "Manchester", None, "GB")],
        ),
        (
            "New York, NY; San Francisco, CA",
            [
                ("New York, NY", "New York", "NY", "US"),
                ("San Francisco, CA", "San Francisco", "CA", "US"),
            ],
        ),
        (
            "Cork, Ireland or Leeds",
            [("Cork, Ireland", "Cork", None, "IE"), ("Leeds", "Leeds", None, "GB")],
        ),
        ("Remote / Dublin, Ireland", [("Dublin, Ireland", "Dublin", None, "IE")]),
        ("Berlin; Berlin, Germany", [("Berlin", "Berlin", None, "DE")]),  # repeats dropped
        # one place, however many commas
        ("Munich, Bavaria", [("Munich, Bavaria", "Munich", "Bavaria", "DE")]),
        ("Chicago, IL", [("Chicago, IL", "Chicago", "IL", "US")]),
        ("Paris, France", [("Paris, France", "Paris", None, "FR")]),
        ("Hobart (TAS)", [("Hobart (TAS)", "Hobart", "TAS", "AU")]),
        ("3 Locations", []),
        ("Remote", []),
        (None, []),
    ],
)
def test_parse_places(text, expected):
    assert places(text) == expected


def test_places_are_named_tuples_of_locations():
    (place,) = parse_places("Cork")
    assert place == Place("Cork", Location("Cork", None, "IE"))


def normalized_places(**fields):
    posting = ItemAdapter(JobPosting(title="Engineer", url="https://example.com/1", **fields))
    normalize(posting)
    places = [tuple(place.values()) for place in posting["locations"]]
    return (posting["city"], posting["region"], posting["country"]), places


def test_normalize_keeps_every_listed_place_primary_first():
    primary, places = normalized_places(
        location="Remote; Leeds; Cork, Ireland",
        locations=["Remote", "Leeds", "Cork, Ireland", "Leeds"],
    )
    assert primary == ("Leeds", None, "GB")  # "Remote" names no place
    assert places == [("Leeds", None, "GB", "Leeds"), ("Cork", None, "IE", "Cork, Ireland")]


def test_normalize_platform_fields_make_the_primary_place():
    primary, places = normalized_places(
        location="Berlin; Amsterdam", locations=["Berlin", "Amsterdam"], region="Berlin"
    )
    assert primary == ("Berlin", "Berlin", "DE")
    assert places == [("Berlin", "Berlin", "DE", "Berlin"), ("Amsterdam", None, "NL", "Amsterdam")]


def test_normalize_without_a_list_reads_the_places_the_text_names():
    assert normalized_places(location="Berlin, Munich or Remote")[1] == [
        ("Berlin", None, "DE", "Berlin"),
        ("Munich", None, "DE", "Munich"),
    ]
    assert normalized_places(location="Remote") == ((None, None, None), [])
    # only the platform's structured place: it is the one place
    assert normalized_places(city="Leeds", country="GB")[1] == [("Leeds", None, "GB", None)]
