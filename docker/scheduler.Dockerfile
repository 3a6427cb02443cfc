# The scheduler: cron runs docker/crontab against the scrapyd nodes. The same image runs
# the one-shot `deploy` service (python -m scheduler.deploy), which builds the egg from /app.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

# Containers cannot set the audit login uid, and Debian's cron PAM stack would refuse jobs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends cron \
    && rm -rf /var/lib/apt/lists/* \
    && sed -i '/pam_loginuid.so/s/^/#/' /etc/pam.d/cron

WORKDIR /app
COPY setup.py pyproject.toml scrapy.cfg README.md ./
COPY companies/ companies/
COPY jobcrawler/ jobcrawler/
COPY scheduler/ scheduler/
COPY docker/crontab docker/crontab
# Editable, as in development: /app is on sys.path (PYTHONPATH, `scrapy list`), and only the
# editable finder maps the package jobcrawler.companies onto /app/companies. scrapyd-client
# and setuptools<81 are for the deploy job: `scrapyd-deploy --build-egg` runs `setup.py bdist_egg`.
RUN pip install "setuptools<81" "scrapyd-client==2.0.3" -e . \
    && rm -rf build

# cron starts jobs with an almost empty environment: save the container's, quoted for sh
# (`export -p`) and readable by root only, where every job of docker/crontab sources it.
CMD ["sh", "-c", "umask 077 && export -p > cron.env && crontab docker/crontab && exec cron -f"]
