import pytest

from jobcrawler.normalize.remote import REMOTE_TYPES, infer_remote_type, remote_type


def test_remote_types():
    assert REMOTE_TYPES == ("onsite", "hybrid", "remote")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Remote", "remote"),
        ("remote", "remote"),
        ("Fully Remote", "remote"),
        ("TELECOMMUTE", "remote"),
        ("fully", "remote"),
        ("Hybrid", "hybrid"),
        ("hybrid", "hybrid"),
        ("temporary", "hybrid"),
        ("OnSite", "onsite"),
        ("On-site", "onsite"),
        ("on-site", "onsite"),
        ("onsite", "onsite"),
        ("Office-based", "onsite"),
        ("none", "onsite"),
        ("unspecified", None),
        ("", None),
        (True, "remote"),
        (False, None),
        ("0", None),
        ("1", None),
        ("2", None),
        (2, None),
        (None, None),
        ("Remote (US)", "remote"),
        ("something else", None),
    ],
)
def test_remote_type(value, expected):
    assert remote_type(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remote - US", "remote"),
        ("Remote (EU)", "remote"),
        ("Fully remote", "remote"),
        ("Work from home", "remote"),
        ("WFH", "remote"),
        ("Home office", "remote"),
        ("Homeoffice", "remote"),
        ("Telecommute", "remote"),
        ("Anywhere", "remote"),
        ("US Remote", "remote"),
        ("Berlin or Remote", "remote"),
        ("Hybrid - London", "hybrid"),
        ("hybrid", "hybrid"),
        ("London (Hybrid)", "hybrid"),
        ("Hybrid / Remote", "hybrid"),
        ("Remote / Hybrid", "hybrid"),
        ("On-site", "onsite"),
        ("Onsite", "onsite"),
        ("In office", "onsite"),
        ("Office-based", "onsite"),
        ("London", None),
        ("", None),
        (None, None),
        # titles: only a standalone qualifier counts
        ("Software Engineer (Remote)", "remote"),
        ("Software Engineer - Remote", "remote"),
        ("Remote - Software Engineer", "remote"),
        ("Software Engineer, Remote", "remote"),
        ("Remote Sensing Engineer", None),
        ("Senior Engineer, Remote Sensing", None),
        ("Controls Engineer - Remote Monitoring", None),
        ("Hybrid Cloud Architect", None),
        ("Engineer for remote teams", None),
        ("Remote Sensing Engineer (Remote)", "remote"),
    ],
)
def test_infer_remote_type(text, expected):
    assert infer_remote_type(text) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("Berlin", "Engineer (Hybrid)"), "hybrid"),
        (("Remote - US", "Onsite Technician"), "remote"),
        ((None, "Remote Sensing Engineer"), None),
        (("New York, NY", "Data Engineer"), None),
        ((), None),
    ],
)
def test_infer_remote_type_from_several_texts(texts, expected):
    assert infer_remote_type(*texts) == expected
