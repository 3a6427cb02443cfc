"""Word lists the posting generator draws from.

Kept apart from the generator so the variety (roles, places, prose) can grow without
touching the logic. All text is written for this project; none is copied from real boards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    """One location string as boards print it, plus the structured parts behind it."""

    name: str  # what the board shows, e.g. "Remote (Canada)"
    office: str  # Greenhouse office name
    office_location: str  # Greenhouse office "location"
    city: str | None
    region: str | None
    country: str  # country name as Ashby's postalAddress writes it
    country_code: str  # ISO 3166-1 alpha-2, Lever's `country`
    currency: str
    kind: str  # "on-site", "remote" or "hybrid": what the string itself says


PLACES: tuple[Place, ...] = (
    Place("New York, NY", "New York", "New York, NY, United States", "New York", "NY",
          "United States", "US", "USD", "on-site"),
    Place("San Francisco, CA, United States", "San Francisco", "San Francisco, CA, United States",
          "San Francisco", "CA", "United States", "US", "USD", "on-site"),
    Place("London, England, United Kingdom", "London", "London, England, United Kingdom",
          "London", "England", "United Kingdom", "GB", "GBP", "on-site"),
    Place("Berlin, Germany", "Berlin", "Berlin, Germany", "Berlin", None, "Germany", "DE",
          "EUR", "on-site"),
    Place("Remote - US", "Remote - US", "United States", None, None, "United States", "US",
          "USD", "remote"),
    Place("Remote (Canada)", "Remote - Canada", "Canada", None, None, "Canada", "CA", "CAD",
          "remote"),
    Place("Hybrid - London", "London", "London, England, United Kingdom", "London", "England",
          "United Kingdom", "GB", "GBP", "hybrid"),
    Place("Toronto, ON, Canada", "Toronto", "Toronto, ON, Canada", "Toronto", "ON", "Canada",
          "CA", "CAD", "on-site"),
    Place("Amsterdam, Netherlands", "Amsterdam", "Amsterdam, Netherlands", "Amsterdam", None,
          "Netherlands", "NL", "EUR", "on-site"),
    Place("Home office", "Germany - Remote", "Germany", None, None, "Germany", "DE", "EUR",
          "remote"),
)  # fmt: skip

# Relative frequency of each place as a primary location (same order as PLACES).
PLACE_WEIGHTS: tuple[int, ...] = (14, 12, 10, 8, 14, 5, 6, 6, 5, 4)

HYBRID_LONDON = 6  # index into PLACES, used for the guaranteed isRemote+Hybrid case

# department -> (roles, teams)
DEPARTMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Engineering": (
        ("Software Engineer", "Backend Engineer", "Frontend Engineer", "Site Reliability Engineer",
         "Data Engineer", "Security Engineer", "Machine Learning Engineer", "iOS Engineer",
         "Android Engineer", "QA Engineer", "Engineering Manager"),
        ("Platform", "Payments", "Infrastructure", "Mobile", "Core API", "Growth", "Search"),
    ),
    "Product": (
        ("Product Manager", "Product Designer", "UX Researcher", "Technical Program Manager"),
        ("Core Product", "Design", "Research"),
    ),
    "Sales": (
        ("Account Executive", "Sales Development Representative", "Solutions Engineer",
         "Account Manager", "Sales Operations Analyst"),
        ("Enterprise", "Mid-Market", "EMEA Sales", "Partnerships"),
    ),
    "Marketing": (
        ("Product Marketing Manager", "Content Marketing Manager", "Growth Marketer",
         "Brand Designer"),
        ("Brand", "Demand Generation", "Communications"),
    ),
    "Customer Success": (
        ("Customer Success Manager", "Support Specialist", "Technical Support Engineer",
         "Implementation Consultant"),
        ("Support", "Onboarding", "Customer Experience"),
    ),
    "Data": (
        ("Data Analyst", "Data Scientist", "Analytics Engineer"),
        ("Analytics", "Data Science"),
    ),
    "People & Operations": (
        ("Recruiter", "People Partner", "Financial Analyst", "Legal Counsel", "Office Manager",
         "Accountant"),
        ("Talent", "Finance", "Legal", "Workplace"),
    ),
}  # fmt: skip
DEPARTMENT_NAMES: tuple[str, ...] = tuple(DEPARTMENTS)
DEPARTMENT_WEIGHTS: tuple[int, ...] = (30, 8, 14, 7, 9, 5, 7)

# Title shapes; a "change" moves a posting to the next shape so its title always differs.
LEVELS: tuple[str, ...] = (
    "{role}",
    "Senior {role}",
    "Staff {role}",
    "{role} II",
    "Lead {role}",
    "Junior {role}",
    "Principal {role}",
)
INTERN_LEVELS: tuple[str, ...] = ("{role} Intern", "{role} Internship", "{role} Intern (Summer)")

EMPLOYMENT_KINDS: tuple[str, ...] = ("full_time", "part_time", "contract", "intern", "temporary")
EMPLOYMENT_WEIGHTS: tuple[int, ...] = (75, 5, 8, 7, 5)

# Yearly and hourly pay bands per currency: (low, high, step).
YEARLY_BANDS: dict[str, tuple[int, int, int]] = {
    "USD": (60_000, 220_000, 5_000),
    "CAD": (55_000, 180_000, 5_000),
    "GBP": (35_000, 110_000, 5_000),
    "EUR": (40_000, 120_000, 5_000),
}
HOURLY_BANDS: dict[str, tuple[int, int, int]] = {
    "USD": (18, 80, 1),
    "CAD": (18, 70, 1),
    "GBP": (12, 45, 1),
    "EUR": (14, 50, 1),
}
CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "CAD": "CA$", "GBP": "£", "EUR": "€"}

INTRO: tuple[str, ...] = (
    "{company} builds software that helps teams plan, ship and measure their work.",
    "Thousands of organisations rely on {company} every day to keep their operations running.",
    "At {company}, we care about craft, candour and customers, in that order of visibility.",
    "We are a distributed company with hubs on three continents and a habit of writing "
    "things down.",
    "Our {team} team owns some of the most used parts of the product.",
    "This role sits in {department} and works closely with design, data and support.",
    "You will join a small group that values clear thinking over long meetings.",
    "We have grown steadily for several years and are now investing in the next stage.",
    "The problems here are real: scale, reliability and the occasional legacy corner.",
    "{company} is backed by long-term investors and is default alive.",
    "We believe good tools should be boring to operate and delightful to use.",
    "Our customers range from two-person startups to public companies.",
)
DUTIES: tuple[str, ...] = (
    "Design, build and operate services used by millions of requests a day",
    "Own projects from the first sketch to the post-launch review",
    "Work with product and design to turn fuzzy problems into clear plans",
    "Write code that your teammates enjoy reading",
    "Improve how we test, release and monitor our systems",
    "Mentor colleagues and share what you learn in reviews and write-ups",
    "Talk to customers to understand what slows them down",
    "Keep an eye on cost, latency and error budgets",
    "Shape the roadmap for the {team} area together with your manager",
    "Help us hire by taking part in interviews",
    "Document decisions so the next person has an easier time",
    "Partner with {department} leadership on quarterly goals",
    "Run experiments and report honestly on what did not work",
    "Build dashboards and reports that people actually open",
)
REQUIREMENTS: tuple[str, ...] = (
    "Several years of experience in a similar role",
    "Comfort with ambiguity and a bias for shipping",
    "Clear written communication in English",
    "Experience with Python, Go or TypeScript",
    "Familiarity with relational databases and SQL",
    "A track record of owning outcomes, not just tasks",
    "Experience working with distributed teams across time zones",
    "Curiosity about how the business makes money",
    "Bonus: experience in a fast-growing startup",
    "Bonus: you have spoken at a meetup or written a technical blog post",
    "Ability to explain technical trade-offs to non-specialists",
    "Experience with customer-facing work",
)
BENEFITS: tuple[str, ...] = (
    "Private health, dental and vision cover",
    "A yearly learning budget",
    "Flexible working hours",
    "Generous parental leave",
    "Home-office setup allowance",
    "Company retreats twice a year",
    "Pension or 401(k) matching",
    "25 days of paid holiday plus public holidays",
)
SECTION_TITLES: tuple[tuple[str, str, str], ...] = (
    ("What you'll do", "What we're looking for", "Benefits"),
    ("Responsibilities", "Requirements", "What we offer"),
    ("In this role you will", "About you", "Perks"),
)
CLOSING: tuple[str, ...] = (
    "{company} is an equal opportunity employer. We welcome applicants of every background.",
    "We are committed to an inclusive hiring process; tell us if you need any adjustments.",
    "Not sure you meet every requirement? Apply anyway; we would love to hear from you.",
)
