import pytest

from jobcrawler.normalize.employment import EMPLOYMENT_TYPES, employment_type


def test_employment_types():
    assert EMPLOYMENT_TYPES == ("full_time", "part_time", "contract", "internship", "temporary")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Full-time", "full_time"),
        ("Full time", "full_time"),
        ("FullTime", "full_time"),
        ("FULL_TIME", "full_time"),
        ("full-time", "full_time"),
        ("Permanent", "full_time"),
        ("permanent", "full_time"),
        ("Regular", "full_time"),
        ("Full-time (remote)", "full_time"),
        ("fulltime_permanent", "full_time"),
        ("fulltime_fixed_term", "temporary"),
        ("Part-time", "part_time"),
        ("PartTime", "part_time"),
        ("PART_TIME", "part_time"),
        ("parttime", "part_time"),
        ("Regular Part-Time", "part_time"),
        ("Intern", "internship"),
        ("Internship", "internship"),
        ("INTERN", "internship"),
        ("intern", "internship"),
        ("trainee", "internship"),
        ("Contract", "contract"),
        ("Contractor", "contract"),
        ("CONTRACTOR", "contract"),
        ("freelance", "contract"),
        ("Freelance", "contract"),
        ("Temporary", "temporary"),
        ("Temp", "temporary"),
        ("TEMPORARY", "temporary"),
        ("Seasonal", "temporary"),
        ("Other", None),
        ("", None),
        (None, None),
        ("Internal", None),
        ("International", None),
    ],
)
def test_employment_type(value, expected):
    assert employment_type(value) == expected
