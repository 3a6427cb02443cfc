# A scrapyd node. It holds scrapyd and jobcrawler's dependencies, but never jobcrawler itself.
# The project arrives as an egg through addversion.json (the `deploy` service), and an
# installed copy would shadow every deployed egg.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# `render: true` companies drive Debian's Chromium through Playwright (setting
# PLAYWRIGHT_CHROMIUM_PATH, default /usr/bin/chromium); Playwright downloads no browser.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*

COPY scheduler/requirements-scrapyd.txt /tmp/requirements-scrapyd.txt
RUN python -m venv /opt/scrapyd \
    && /opt/scrapyd/bin/pip install -r /tmp/requirements-scrapyd.txt \
    && useradd --system --home-dir /var/lib/scrapyd scrapyd \
    && mkdir -p /var/lib/scrapyd/eggs /var/lib/scrapyd/logs /var/lib/scrapyd/dbs \
        /var/lib/scrapyd/egg-cache \
    && chown -R scrapyd:scrapyd /var/lib/scrapyd

COPY scheduler/scrapyd.conf /etc/scrapyd/scrapyd.conf

# The sample conf listens on 127.0.0.1. In a container, the other services must reach the
# port. SCRAPYD_USERNAME / SCRAPYD_PASSWORD (basic auth) and DATABASE_URL come at run time.
ENV PATH=/opt/scrapyd/bin:$PATH \
    SCRAPYD_BIND_ADDRESS=0.0.0.0 \
    PYTHON_EGG_CACHE=/var/lib/scrapyd/egg-cache

USER scrapyd
WORKDIR /var/lib/scrapyd
EXPOSE 6800
CMD ["scrapyd"]
