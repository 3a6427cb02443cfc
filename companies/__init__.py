"""The packaged company catalog (YAML files), installed as `jobcrawler.companies`."""
