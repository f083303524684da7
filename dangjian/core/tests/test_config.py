import pytest
from django.core.exceptions import ImproperlyConfigured

from dangjian.config import env_bool, require_production_secrets

KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="  # 32 bytes


def test_it_refuses_production_without_secrets():
    with pytest.raises(ImproperlyConfigured, match="生产环境"):
        require_production_secrets(debug=False, secret_key="", data_keys=[])
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        require_production_secrets(debug=False, secret_key="dev-generated", data_keys=[KEY])
    require_production_secrets(debug=False, secret_key="a-real-secret", data_keys=[KEY])


def test_it_checks_the_data_key_shape():
    with pytest.raises(ImproperlyConfigured, match="32 字节"):
        require_production_secrets(debug=True, secret_key="x", data_keys=["c2hvcnQ="])


def test_it_parses_booleans_strictly(monkeypatch):
    monkeypatch.setenv("DEBUG_X", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("DEBUG_X", default=True)
    monkeypatch.setenv("DEBUG_X", "0")
    assert env_bool("DEBUG_X", default=True) is False
