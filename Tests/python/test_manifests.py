"""deploy/: every Kubernetes manifest validates against the Kubernetes schemas, the base and the example
overlay render, their lakegate.yaml validates with the real binary, and the Dockerfile has the agreed shape."""

import glob
import os
import shutil
import subprocess
import tempfile

import kubernetes_validate
import pytest
import yaml

from kustomize_render import load_documents, render

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KUBERNETES = os.path.join(ROOT, "deploy", "kubernetes")
BASE = os.path.join(KUBERNETES, "base")
OVERLAY = os.path.join(KUBERNETES, "overlays", "example")
KUBERNETES_VERSION = "1.33.0"

# config/ holds configMapGenerator inputs (lakegate.yaml), not Kubernetes objects.
MANIFEST_FILES = sorted(
    path
    for path in glob.glob(os.path.join(KUBERNETES, "**", "*.yaml"), recursive=True)
    if os.path.basename(path) != "kustomization.yaml" and os.sep + "config" + os.sep not in path
)
# Custom resources the Kubernetes schemas do not know; their shape is checked by their own test.
CUSTOM_KINDS = {"ServiceMonitor"}


def validate(resource, where):
    if resource["kind"] in CUSTOM_KINDS:
        return
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        pytest.fail(f"{where}: {resource['kind']} {resource['metadata'].get('name')}: {error.message} at {list(error.path)}")


def test_there_are_manifests():
    assert len(MANIFEST_FILES) >= 7


@pytest.mark.parametrize("path", MANIFEST_FILES, ids=lambda p: os.path.relpath(p, KUBERNETES))
def test_each_manifest_file_is_valid(path):
    documents = load_documents(path)
    assert documents, f"{path} is empty"
    for document in documents:
        if document["kind"] == "StatefulSet" and "selector" not in document.get("spec", {}):
            continue  # a strategic-merge patch fragment (or delete); validated after rendering
        validate(document, path)


@pytest.mark.parametrize("directory", [BASE, OVERLAY], ids=["base", "overlay"])
def test_rendered_kustomizations_are_valid(directory):
    resources = render(directory)
    kinds = sorted(resource["kind"] for resource in resources)
    assert {"ServiceAccount", "ConfigMap", "Service", "StatefulSet"} <= set(kinds)
    for resource in resources:
        validate(resource, directory)


def statefulset(directory):
    return next(r for r in render(directory) if r["kind"] == "StatefulSet")


def test_the_statefulset_is_one_restricted_replica_with_probes_and_state():
    sts = statefulset(BASE)
    assert sts["spec"]["replicas"] == 1
    pod = sts["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    (container,) = pod["containers"]
    security = container["securityContext"]
    assert security["readOnlyRootFilesystem"] is True
    assert security["allowPrivilegeEscalation"] is False
    assert security["capabilities"]["drop"] == ["ALL"]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["resources"]["requests"] and container["resources"]["limits"]
    assert container["args"] == ["serve", "--config", "/etc/lakegate/lakegate.yaml"]
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["state"] == "/var/lib/lakegate"
    assert sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "state"
    secrets = {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"]}
    assert {"lakegate-webhook", "lakegate-workspace-credentials"} <= secrets
    assert all("value" not in e for e in container["env"]), "secrets come from Secret references only"
    assert sts["spec"]["template"]["metadata"]["annotations"]["prometheus.io/scrape"] == "true"


def test_the_overlay_sets_namespace_image_and_merges_credentials():
    resources = render(OVERLAY)
    assert all(r["metadata"].get("namespace") == "lakegate" for r in resources if r["kind"] != "Namespace")
    sts = statefulset(OVERLAY)
    (container,) = sts["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.example.com/platform/lakegate:0.1.0"
    names = [e["name"] for e in container["env"]]
    assert "LAKEGATE_WEBHOOK_SECRET" in names and "PROD_DATABRICKS_CLIENT_SECRET" in names
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz", "the patch must merge, not replace"
    assert {m["name"] for m in container["volumeMounts"]} == {
        "config", "state", "tmp", "signers", "checkpoints", "audit-key"}


@pytest.mark.parametrize("directory", [BASE, OVERLAY], ids=["base", "overlay"])
def test_the_configmap_name_carries_a_content_hash_the_statefulset_follows(directory, tmp_path):
    resources = render(directory)
    (config,) = [r for r in resources if r["kind"] == "ConfigMap" and r["metadata"]["name"].startswith("lakegate-config")]
    assert config["metadata"]["name"] != "lakegate-config"
    volumes = {v["name"]: v for v in statefulset(directory)["spec"]["template"]["spec"]["volumes"]}
    assert volumes["config"]["configMap"]["name"] == config["metadata"]["name"]
    # An edit of lakegate.yaml changes the name, so the pod template changes and the pod rolls.
    copy = tmp_path / "kubernetes"
    shutil.copytree(KUBERNETES, copy)
    relative = os.path.relpath(directory, KUBERNETES)
    edited = copy / relative / "config" / "lakegate.yaml"
    edited.write_text(edited.read_text().replace("concurrency: 4", "concurrency: 5"))
    renamed = next(r for r in render(str(copy / relative)) if r["kind"] == "ConfigMap"
                   and r["metadata"]["name"].startswith("lakegate-config"))
    assert renamed["metadata"]["name"] != config["metadata"]["name"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (with kustomize) is not installed")
def test_real_kustomize_renders_the_overlay_with_a_hashed_configmap_and_the_servicemonitor():
    result = subprocess.run(["kubectl", "kustomize", OVERLAY], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    (config,) = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("lakegate-config")]
    sts = next(d for d in documents if d["kind"] == "StatefulSet")
    volumes = {v["name"]: v for v in sts["spec"]["template"]["spec"]["volumes"]}
    assert volumes["config"]["configMap"]["name"] == config["metadata"]["name"] != "lakegate-config"
    assert config["data"]["lakegate.yaml"] == render_config(OVERLAY)
    assert any(d["kind"] == "ServiceMonitor" for d in documents)


def render_config(directory):
    return next(r for r in render(directory) if r["kind"] == "ConfigMap"
                and r["metadata"]["name"].startswith("lakegate-config"))["data"]["lakegate.yaml"]


def test_the_overlay_has_a_servicemonitor_for_the_metrics_port():
    resources = render(OVERLAY)
    (monitor,) = [r for r in resources if r["kind"] == "ServiceMonitor"]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    service = next(r for r in resources if r["kind"] == "Service")
    assert monitor["metadata"]["namespace"] == service["metadata"]["namespace"] == "lakegate"
    selector = monitor["spec"]["selector"]["matchLabels"]
    assert selector.items() <= service["metadata"]["labels"].items()
    (endpoint,) = monitor["spec"]["endpoints"]
    assert endpoint["path"] == "/metrics"
    assert endpoint["port"] in {p["name"] for p in service["spec"]["ports"]}


def lakegate_binary():
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR")
    if not bin_dir or not os.path.exists(os.path.join(bin_dir, "lakegate")):
        pytest.fail("LAKEGATE_BIN_DIR must point at the built lakegate (make test-python sets it)")
    return os.path.join(bin_dir, "lakegate")


@pytest.mark.parametrize("directory", [BASE, OVERLAY], ids=["base", "overlay"])
def test_the_configmap_lakegate_yaml_validates(directory):
    config = next(r for r in render(directory) if r["kind"] == "ConfigMap"
                  and r["metadata"]["name"].startswith("lakegate-config"))
    # Every credential variable named in lakegate.yaml is provided by the StatefulSet.
    parsed = yaml.safe_load(config["data"]["lakegate.yaml"])
    (container,) = statefulset(directory)["spec"]["template"]["spec"]["containers"]
    provided = {e["name"] for e in container["env"]}
    wanted = set()
    def collect(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.endswith("Env") and isinstance(value, str):
                    wanted.add(value)
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)
    collect(parsed)
    assert wanted <= provided, f"variables without a Secret reference: {sorted(wanted - provided)}"
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "lakegate.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(config["data"]["lakegate.yaml"])
        result = subprocess.run(
            [lakegate_binary(), "config", "validate", "--config", path], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def test_the_dockerfile_has_the_agreed_shape():
    with open(os.path.join(ROOT, "deploy", "Dockerfile"), encoding="utf-8") as handle:
        text = handle.read()
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2
    assert stages[0].startswith("FROM swift:6.3") and stages[0].endswith("AS builder")
    assert stages[1] == "FROM debian:bookworm-slim"
    assert "swift build -c release --static-swift-stdlib --product lakegate" in text
    runtime = text.split(stages[1], 1)[1]
    for package in ["libgit2-1.5", "libcurl4", "libsqlite3-0", "ca-certificates"]:
        assert package in runtime
    assert "swift" not in runtime.split("COPY --from=builder")[0].lower()
    assert "USER 10001" in runtime
    assert 'VOLUME ["/var/lib/lakegate"]' in runtime
    assert 'ENTRYPOINT ["lakegate", "serve", "--config", "/etc/lakegate/lakegate.yaml"]' in runtime


REPLICAS = os.path.join(KUBERNETES, "overlays", "replicas")


def test_the_replicas_overlay_runs_three_spread_replicas_on_shared_state():
    resources = render(REPLICAS)
    for resource in resources:
        validate(resource, REPLICAS)
    kinds = [r["kind"] for r in resources]
    assert "StatefulSet" not in kinds and kinds.count("Deployment") == 1
    deployment = next(r for r in resources if r["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 3
    spec = deployment["spec"]["template"]["spec"]
    (term,) = spec["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
    assert term["podAffinityTerm"]["topologyKey"] == "kubernetes.io/hostname"
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert term["podAffinityTerm"]["labelSelector"]["matchLabels"].items() <= labels.items()
    (budget,) = [r for r in resources if r["kind"] == "PodDisruptionBudget"]
    assert budget["spec"]["maxUnavailable"] == 1
    assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()
    (container,) = spec["containers"]
    env = {e["name"]: e for e in container["env"]}
    assert env["LAKEGATE_STATE_URL"]["valueFrom"]["secretKeyRef"] == {"name": "lakegate-state", "key": "url"}
    assert env["PGPASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": "lakegate-state", "key": "password"}
    assert env["LAKEGATE_REPLICA_ID"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    (config,) = [r for r in resources if r["kind"] == "ConfigMap"]
    assert {v["name"]: v for v in spec["volumes"]}["config"]["configMap"]["name"] == config["metadata"]["name"]
    parsed = yaml.safe_load(config["data"]["lakegate.yaml"])
    assert "state" in parsed and "url" not in parsed["state"]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "lakegate.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(config["data"]["lakegate.yaml"])
        result = subprocess.run(
            [lakegate_binary(), "config", "validate", "--config", path], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
