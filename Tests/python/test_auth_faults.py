"""Authentication (PAT and OAuth M2M), fault injection, retries, and the test endpoints."""

import time

import pytest
import requests
from databricks.sdk.errors import TemporarilyUnavailable, Unauthenticated


@pytest.fixture(scope="module")
def secured(start_emulator):
    return start_emulator(
        "--token", "s3cret", "--client-id", "ci-bot", "--client-secret", "ci-secret", "--token-lifetime", "2"
    )


def test_host_metadata(emulator):
    config = requests.get(emulator.url + "/.well-known/databricks-config").json()
    assert config["oidc_endpoint"] == emulator.url + "/oidc"
    assert config["cloud"] == "aws" and config["workspace_id"]
    server = requests.get(emulator.url + "/oidc/.well-known/oauth-authorization-server").json()
    assert server["token_endpoint"] == emulator.url + "/oidc/v1/token"


def test_sdk_reads_host_metadata_first(w, emulator):
    list(w.catalogs.list())
    entries = emulator.requests()
    assert entries[0]["path"] == "/.well-known/databricks-config"
    assert entries[-1]["path"] == "/api/2.1/unity-catalog/catalogs" and entries[-1]["query"] == "max_results=0"


def test_token_is_required_when_configured(secured):
    assert [x.id for x in secured.client(token="s3cret").warehouses.list()]
    with pytest.raises(Unauthenticated):
        list(secured.client(token="wrong").warehouses.list())
    response = requests.get(secured.url + "/api/2.0/sql/warehouses")
    assert response.status_code == 401


def test_oauth_m2m_sign_in(secured):
    w = secured.client(client_id="ci-bot", client_secret="ci-secret")
    assert [x.id for x in w.warehouses.list()]
    assert w.config.auth_type == "oauth-m2m"
    paths = [e["path"] for e in secured.requests()]
    assert "/oidc/v1/token" in paths


def test_oauth_tokens_expire_and_bad_secret_fails(secured):
    response = requests.post(
        secured.url + "/oidc/v1/token",
        auth=("ci-bot", "ci-secret"),
        data={"grant_type": "client_credentials", "scope": "all-apis"},
    )
    body = response.json()
    assert response.status_code == 200 and body["token_type"] == "Bearer" and body["expires_in"] == 2
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert requests.get(secured.url + "/api/2.0/sql/warehouses", headers=headers).status_code == 200
    time.sleep(2.2)
    assert requests.get(secured.url + "/api/2.0/sql/warehouses", headers=headers).status_code == 401
    bad = requests.post(
        secured.url + "/oidc/v1/token", auth=("ci-bot", "nope"), data={"grant_type": "client_credentials"}
    )
    assert bad.status_code == 401


def test_sdk_retries_429_with_retry_after(w, emulator):
    emulator.faults(rate_limit=1)
    started = time.monotonic()
    for _ in range(3):
        assert w.warehouses.get("a1b2c3d4e5f60001").name == "Starter Warehouse"
    elapsed = time.monotonic() - started
    limited = [e for e in emulator.requests() if e["status"] == 429]
    assert limited, "the rate limit never triggered"
    assert all(e["path"] == "/api/2.0/sql/warehouses/a1b2c3d4e5f60001" for e in limited)
    assert elapsed >= 1
    response = emulator.http.get(emulator.url + "/api/2.0/sql/warehouses")
    response = emulator.http.get(emulator.url + "/api/2.0/sql/warehouses")
    if response.status_code == 429:
        assert response.headers["Retry-After"] == "1"
        assert response.json()["error_code"] == "REQUEST_LIMIT_EXCEEDED"


def test_error_rate_gives_503_and_latency_is_applied(emulator):
    emulator.faults(error_rate=1.0)
    response = emulator.http.get(emulator.url + "/api/2.0/sql/warehouses")
    assert response.status_code == 503 and response.json()["error_code"] == "TEMPORARILY_UNAVAILABLE"
    w = emulator.client(retry_timeout_seconds=1)
    with pytest.raises((TemporarilyUnavailable, TimeoutError)):
        list(w.warehouses.list())
    emulator.faults(error_rate=0, latency_ms=300)
    started = time.monotonic()
    emulator.http.get(emulator.url + "/api/2.0/sql/warehouses").raise_for_status()
    assert time.monotonic() - started >= 0.3
    assert emulator.faults(latency_ms=0)["latency_ms"] == 0
    bad = emulator.http.post(emulator.url + "/_emulator/faults", json={"error_rate": 2})
    assert bad.status_code == 400


def test_reset_and_stats(w, emulator):
    w.catalogs.create(name="x")
    stats = emulator.stats()
    assert stats["objects"]["catalogs"] == 1 and stats["requests"] >= 1
    emulator.reset()
    assert emulator.stats()["objects"]["catalogs"] == 0
    assert emulator.requests() == []


def test_unknown_endpoint_is_404(emulator):
    response = emulator.http.get(emulator.url + "/api/2.0/clusters/list")
    assert response.status_code == 404 and response.json()["error_code"] == "ENDPOINT_NOT_FOUND"


def test_state_file_survives_restart(start_emulator, tmp_path):
    state = tmp_path / "state.json"
    first = start_emulator("--state", str(state))
    first.client().catalogs.create(name="persisted")
    assert first.stop() == 0
    second = start_emulator("--state", str(state))
    assert second.client().catalogs.get("persisted").name == "persisted"
