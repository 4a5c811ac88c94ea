"""gunicorn.conf.py: workers, address and trusted proxy from the environment, as Gunicorn loads it."""

import runpy
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
VARIABLES = ("WEB_CONCURRENCY", "PORT", "BIND", "BEHIND_PROXY", "FORWARDED_ALLOW_IPS")


@pytest.fixture
def load(monkeypatch):
    """Gunicorn's reading of the file under the given environment: the module's names and values."""

    def load(**environ):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONFIG))

    return load


def test_two_workers_per_core_and_one_more(load):
    config = load()
    assert config["workers"] == 2 * config["available_cores"]() + 1
    assert config["worker_count"]({}, cores=4) == 9


def test_web_concurrency_sets_the_workers(load):
    assert load(WEB_CONCURRENCY="3")["workers"] == 3


@pytest.mark.parametrize("value", ["0", "-2", "many", "2.5"])
def test_a_meaningless_worker_count_is_refused(load, value):
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        load(WEB_CONCURRENCY=value)


def test_listens_locally_on_port_8000_by_default(load):
    assert load()["bind"] == ["127.0.0.1:8000"]
    assert load(PORT="8080")["bind"] == ["127.0.0.1:8080"]


def test_bind_overrides_the_port(load):
    assert load(BIND="unix:/run/secretariat.sock", PORT="8080")["bind"] == ["unix:/run/secretariat.sock"]


def test_no_forwarded_header_is_trusted_without_a_proxy(load):
    # Gunicorn's own default would believe X-Forwarded-Proto from 127.0.0.1.
    assert load()["forwarded_allow_ips"] == ""
    assert load(FORWARDED_ALLOW_IPS="10.0.0.5")["forwarded_allow_ips"] == ""


def test_behind_a_proxy_its_address_is_trusted(load):
    assert load(BEHIND_PROXY="true")["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert load(BEHIND_PROXY="yes", FORWARDED_ALLOW_IPS="10.0.0.5")["forwarded_allow_ips"] == "10.0.0.5"


def test_logs_go_to_the_standard_streams(load):
    config = load()
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"


def test_gunicorn_accepts_the_file():
    """Every name the file sets is a Gunicorn setting with a valid value."""
    from gunicorn.config import Config

    config = Config()
    for name, value in runpy.run_path(str(CONFIG)).items():
        if name in config.settings:
            config.set(name, value)
    assert config.worker_class_str == "sync"
    assert config.timeout == 30
    assert config.control_socket_disable is True


def test_a_starting_node_refuses_connections_until_it_can_serve(load):
    """The application is loaded before the port is bound: a balancer never queues requests on a node still booting."""
    assert load()["preload_app"] is True
