"""Start-up: the control-port extensions, always off, are not even imported."""

from scrapy.settings import default_settings
from scrapy.utils.project import get_project_settings


def test_control_port_extensions_are_left_out_and_nothing_else(monkeypatch):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobcrawler.settings")
    extensions = get_project_settings().get_component_priority_dict_with_base("EXTENSIONS")
    left_out = set(default_settings.EXTENSIONS_BASE) - set(extensions)
    assert left_out == {
        "scrapy.extensions.remote_control.RemoteControl",
        "scrapy.extensions.telnet.TelnetConsole",
    }
