"""A small kustomize renderer for Lakegate's own manifests (kustomize is not packaged in Debian 12 or PyPI).

Supports what deploy/kubernetes uses: resources (files and kustomization folders), namespace, labels,
images, strategic-merge patches (`$patch: delete` removes an object; lists of named items merge by name, other lists are replaced) and
configMapGenerator from files (create or replace) with a content-hash name suffix that pod references
follow (a digest of the same fields kustomize hashes, not byte-identical to its suffix; test_manifests checks
the real `kubectl kustomize` where it is installed).
Anything else in a kustomization.yaml is an error, so the renderer cannot silently drift from kustomize.
"""

import copy
import hashlib
import json
import os

import yaml

SUPPORTED_KEYS = {"apiVersion", "kind", "namespace", "labels", "images", "patches", "resources", "configMapGenerator"}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}


def load_documents(path):
    with open(path, encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def render(directory):
    """The resources of the kustomization in `directory`, in order, with generated names hashed."""
    resources = render_unhashed(directory)
    renames = {}
    for resource in resources:
        if resource.pop("_generated", False):
            name = resource["metadata"]["name"]
            resource["metadata"]["name"] = renames[name] = f"{name}-{content_hash(resource)}"
    for resource in resources:
        spec = resource.get("spec", {}).get("template", {}).get("spec", {})
        for volume in spec.get("volumes", []):
            if "configMap" in volume and volume["configMap"]["name"] in renames:
                volume["configMap"]["name"] = renames[volume["configMap"]["name"]]
        for container in containers(resource):
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("configMapKeyRef")
                if ref and ref["name"] in renames:
                    ref["name"] = renames[ref["name"]]
            for source in container.get("envFrom", []):
                ref = source.get("configMapRef")
                if ref and ref["name"] in renames:
                    ref["name"] = renames[ref["name"]]
    return resources


def content_hash(config_map):
    """A suffix from kind, name and data, as kustomize derives its own: 10 hex digits, some letters remapped."""
    encoded = json.dumps(
        {"data": config_map.get("data", {}), "kind": "ConfigMap", "name": config_map["metadata"]["name"]},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    ).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    digest = hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:10]
    return digest.translate(str.maketrans("013ae", "ghkmt"))


def generate_config_maps(directory, kustomization, resources):
    for generator in kustomization.get("configMapGenerator", []):
        data = {}
        for entry in generator.get("files", []):
            key, _, path = entry.partition("=") if "=" in entry else (os.path.basename(entry), "", entry)
            with open(os.path.join(directory, path), encoding="utf-8") as handle:
                data[key] = handle.read()
        generated = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": generator["name"]}, "data": data,
                     "_generated": True}
        existing = find(resources, "ConfigMap", generator["name"])
        behavior = generator.get("behavior", "create")
        if behavior == "create":
            if existing is not None:
                raise ValueError(f"{directory}: configMapGenerator {generator['name']} already exists")
            resources.append(generated)
        elif behavior == "replace":
            if existing is None:
                raise ValueError(f"{directory}: configMapGenerator {generator['name']} replaces nothing")
            existing["data"] = data
        else:
            raise ValueError(f"{directory}: unsupported configMapGenerator behavior {behavior}")


def render_unhashed(directory):
    """The resources of the kustomization in `directory`, in order; generated ones marked, not yet hashed."""
    kustomization = load_documents(os.path.join(directory, "kustomization.yaml"))[0]
    unknown = set(kustomization) - SUPPORTED_KEYS
    if unknown:
        raise ValueError(f"{directory}/kustomization.yaml: unsupported keys {sorted(unknown)}")
    resources = []
    for entry in kustomization.get("resources", []):
        path = os.path.normpath(os.path.join(directory, entry))
        if os.path.isdir(path):
            resources.extend(render_unhashed(path))
        else:
            resources.extend(load_documents(path))
    generate_config_maps(directory, kustomization, resources)
    for patch_entry in kustomization.get("patches", []):
        for patch in load_documents(os.path.join(directory, patch_entry["path"])):
            target = find(resources, patch["kind"], patch["metadata"]["name"])
            if target is None:
                raise ValueError(f"patch {patch_entry['path']}: no {patch['kind']} {patch['metadata']['name']}")
            if patch.get("$patch") == "delete":
                # A strategic-merge delete: the object leaves the output.
                resources[:] = [r for r in resources if r is not target]
                continue
            merged = merge(target, patch)
            target.clear()
            target.update(merged)
    for group in kustomization.get("labels", []):
        for resource in resources:
            resource.setdefault("metadata", {}).setdefault("labels", {}).update(group["pairs"])
    for image in kustomization.get("images", []):
        for resource in resources:
            for container in containers(resource):
                name = container.get("image", "").split(":")[0]
                if name == image["name"]:
                    new_name = image.get("newName", image["name"])
                    container["image"] = f"{new_name}:{image['newTag']}" if "newTag" in image else new_name
    if "namespace" in kustomization:
        for resource in resources:
            if resource["kind"] not in CLUSTER_SCOPED:
                resource.setdefault("metadata", {})["namespace"] = kustomization["namespace"]
    return resources


def find(resources, kind, name):
    for resource in resources:
        if resource["kind"] == kind and resource["metadata"]["name"] == name:
            return resource
    return None


def containers(resource):
    spec = resource.get("spec", {}).get("template", {}).get("spec", {})
    return spec.get("containers", []) + spec.get("initContainers", [])


def merge(base, patch):
    if isinstance(base, dict) and isinstance(patch, dict):
        result = copy.deepcopy(base)
        for key, value in patch.items():
            result[key] = merge(base[key], value) if key in base else copy.deepcopy(value)
        return result
    if isinstance(base, list) and isinstance(patch, list) and all(
        isinstance(item, dict) and "name" in item for item in base + patch
    ):
        result = copy.deepcopy(base)
        for item in patch:
            for index, existing in enumerate(result):
                if existing["name"] == item["name"]:
                    result[index] = merge(existing, item)
                    break
            else:
                result.append(copy.deepcopy(item))
        return result
    return copy.deepcopy(patch)
