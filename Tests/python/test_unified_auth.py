"""The official databricks-sdk gets its tokens from the emulator the way it gets them from Databricks:
workload identity federation (file-oidc) and an Azure service principal at the emulated Entra ID."""

import pytest
from databricks.sdk import WorkspaceClient
from databricks.sdk.core import Config
from databricks.sdk.environments import AzureEnvironment, Cloud, DatabricksEnvironment
from databricks.sdk.errors import Unauthenticated


@pytest.fixture(scope="module")
def federated(start_emulator, tmp_path_factory):
    accepted = tmp_path_factory.mktemp("fed") / "accepted"
    accepted.write_text("sa-token-v1\n")
    return start_emulator("--token", "required-pat", "--federation-token-file", str(accepted)), accepted


def azure_environment(url: str) -> DatabricksEnvironment:
    # The SDK's own way to point Azure sign-in somewhere else: a DatabricksEnvironment whose Entra ID
    # (active_directory_endpoint) is the emulator.
    return DatabricksEnvironment(
        Cloud.AZURE,
        ".emulator.local",
        azure_application_id="2ff814a6-3304-4ab8-85cb-cd0e6f879c1d",
        azure_environment=AzureEnvironment(
            name="EMULATOR",
            service_management_endpoint="https://management.core.windows.net/",
            resource_manager_endpoint=url + "/",
            active_directory_endpoint=url + "/",
        ),
    )


def test_file_oidc_token_exchange(federated, tmp_path):
    emulator, accepted = federated
    token_file = tmp_path / "sa-token"
    token_file.write_text("sa-token-v1\n")
    config = Config(
        host=emulator.url, auth_type="file-oidc", client_id="lakegate-emulator", oidc_token_filepath=str(token_file)
    )
    w = WorkspaceClient(config=config)
    assert [x.id for x in w.warehouses.list()]
    assert w.config.auth_type == "file-oidc"
    exchange = [e for e in emulator.requests() if e["path"] == "/oidc/v1/token"]
    assert exchange and exchange[-1]["status"] == 200


def test_file_oidc_with_a_token_the_policy_rejects(federated, tmp_path):
    emulator, _ = federated
    token_file = tmp_path / "sa-token"
    token_file.write_text("not-a-trusted-token\n")
    config = Config(
        host=emulator.url, auth_type="file-oidc", client_id="lakegate-emulator", oidc_token_filepath=str(token_file)
    )
    with pytest.raises(Exception, match="invalid_grant"):
        list(WorkspaceClient(config=config).warehouses.list())


def test_azure_client_secret_with_tenant_discovery(federated):
    emulator, _ = federated
    config = Config(
        host=emulator.url,
        azure_client_id="lakegate-emulator-azure-sp",
        azure_client_secret="lakegate-emulator-azure-secret",
        databricks_environment=azure_environment(emulator.url),
    )
    w = WorkspaceClient(config=config)
    assert [x.id for x in w.warehouses.list()]
    assert w.config.auth_type == "azure-client-secret"
    paths = [e["path"] for e in emulator.requests()]
    assert "/aad/auth" in paths and "/lakegate-emulator-tenant/oauth2/token" in paths


def test_azure_wrong_secret_and_wrong_tenant(federated):
    emulator, _ = federated
    for kwargs, code in [
        ({"azure_client_secret": "wrong"}, "invalid_client"),
        ({"azure_client_secret": "lakegate-emulator-azure-secret", "azure_tenant_id": "other"}, "AADSTS90002"),
    ]:
        config = Config(
            host=emulator.url,
            azure_client_id="lakegate-emulator-azure-sp",
            databricks_environment=azure_environment(emulator.url),
            **kwargs,
        )
        with pytest.raises(Exception, match=code):
            list(WorkspaceClient(config=config).warehouses.list())


def test_api_refuses_a_management_token_as_bearer(federated):
    emulator, _ = federated
    import requests

    token = requests.post(
        emulator.url + "/lakegate-emulator-tenant/oauth2/token",
        data={
            "grant_type": "client_credentials",
            "client_id": "lakegate-emulator-azure-sp",
            "client_secret": "lakegate-emulator-azure-secret",
            "resource": "https://management.core.windows.net/",
        },
    ).json()["access_token"]
    with pytest.raises(Unauthenticated):
        list(emulator.client(token=token).warehouses.list())
