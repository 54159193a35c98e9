#!/usr/bin/env python3
"""Regenerates deploy/schemas/kubernetes/ from the PyPI package kubernetes-validate.

That package ships the Kubernetes OpenAPI definitions as JSON Schema (draft 2020-12), one file per kind
plus a shared _definitions.json that the kind files reference by URL. kubeconform cannot fetch that URL
here, so each kind we use is written as a standalone schema: the definitions it reaches are copied into
its own "$defs" and the references rewritten to "#/$defs/...". Strict flavour: unknown fields fail.

    python3 -m pip download --no-deps -d /tmp/kv kubernetes-validate==1.37.0
    python3 deploy/schemas/vendor-kubernetes.py /tmp/kv/kubernetes_validate-1.37.0-py3-none-any.whl

Add a kind to KINDS when a manifest starts using it (the validation fails until its schema is here).
"""
import json
import sys
import zipfile
from pathlib import Path

K8S_VERSION = "v1.33.0"
FLAVOUR = "local-strict"
# File names follow kubeconform's {{ .ResourceKind }}{{ .KindSuffix }}.json template.
KINDS = [
    "configmap-v1",
    "secret-v1",
    "service-v1",
    "serviceaccount-v1",
    "deployment-apps-v1",
    "poddisruptionbudget-policy-v1",
    "horizontalpodautoscaler-autoscaling-v2",
    "clusterrolebinding-rbac-v1",
]
REF_PREFIX = "/api/_definitions.json#/$defs/"  # from a kind file
LOCAL_PREFIX = "#/$defs/"  # between definitions


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def rewrite(node):
    if isinstance(node, dict):
        return {k: ("#/$defs/" + v[len(REF_PREFIX):] if k == "$ref" and isinstance(v, str) and v.startswith(REF_PREFIX)
                    else rewrite(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [rewrite(v) for v in node]
    return node


def standalone(kind_schema, definitions):
    needed, todo = {}, [r for r in refs(kind_schema)]
    while todo:
        ref = todo.pop()
        prefix = next((p for p in (REF_PREFIX, LOCAL_PREFIX) if ref.startswith(p)), None)
        if prefix is None:
            raise SystemExit("unexpected $ref " + ref)
        name = ref[len(prefix):]
        if name not in needed:
            needed[name] = definitions[name]
            todo.extend(refs(definitions[name]))
    schema = rewrite(kind_schema)
    schema.pop("$id", None)
    schema["$defs"] = {name: rewrite(needed[name]) for name in sorted(needed)}
    return schema


def main(wheel):
    base = f"kubernetes_validate/kubernetes-json-schema/{K8S_VERSION}-{FLAVOUR}/"
    out = Path(__file__).resolve().parent / "kubernetes"
    out.mkdir(exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        definitions = json.loads(zf.read(base + "_definitions.json"))["$defs"]
        for kind in KINDS:
            schema = standalone(json.loads(zf.read(base + kind + ".json")), definitions)
            (out / (kind + ".json")).write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
            print(f"{kind}.json: {len(schema['$defs'])} definitions")
    (out / "SOURCE").write_text(f"PyPI kubernetes-validate, {Path(wheel).name}, {K8S_VERSION}-{FLAVOUR}, "
                                "made standalone by deploy/schemas/vendor-kubernetes.py\n")


if __name__ == "__main__":
    main(sys.argv[1])
