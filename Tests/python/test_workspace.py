"""Workspace files and notebooks."""

import base64
import io

import pytest
from databricks.sdk.errors import BadRequest, NotFound, ResourceAlreadyExists
from databricks.sdk.service.workspace import ImportFormat, Language, ObjectType


def test_import_json_export_and_status(w):
    w.workspace.mkdirs("/Shared/project/nested")
    w.workspace.import_(
        path="/Shared/project/etl",
        content=base64.b64encode(b"# Databricks notebook source\nprint(1)\n").decode(),
        format=ImportFormat.SOURCE,
        language=Language.PYTHON,
    )
    status = w.workspace.get_status("/Shared/project/etl")
    assert status.object_type == ObjectType.NOTEBOOK and status.language == Language.PYTHON
    exported = w.workspace.export("/Shared/project/etl")
    assert base64.b64decode(exported.content) == b"# Databricks notebook source\nprint(1)\n"
    with pytest.raises(ResourceAlreadyExists):
        w.workspace.import_(
            path="/Shared/project/etl", content="", format=ImportFormat.SOURCE, language=Language.PYTHON
        )
    listed = sorted((o.path, o.object_type.value) for o in w.workspace.list("/Shared/project"))
    assert listed == [("/Shared/project/etl", "NOTEBOOK"), ("/Shared/project/nested", "DIRECTORY")]
    assert status.object_id == w.workspace.get_status("/Workspace/Shared/project/etl").object_id


def test_upload_multipart_and_download(w):
    w.workspace.mkdirs("/Shared/files")
    w.workspace.upload("/Shared/files/data.csv", io.BytesIO(b"a,b\n1,2\n"), format=ImportFormat.AUTO)
    status = w.workspace.get_status("/Shared/files/data.csv")
    assert status.object_type == ObjectType.FILE and status.size == 8
    assert w.workspace.download("/Shared/files/data.csv").read() == b"a,b\n1,2\n"
    w.workspace.upload("/Shared/files/job.py", b"# Databricks notebook source\nx = 1\n", format=ImportFormat.AUTO)
    assert w.workspace.get_status("/Shared/files/job").object_type == ObjectType.NOTEBOOK
    w.workspace.upload("/Shared/files/data.csv", b"new", format=ImportFormat.AUTO, overwrite=True)
    assert w.workspace.download("/Shared/files/data.csv").read() == b"new"


def test_delete_and_errors(w):
    w.workspace.mkdirs("/Shared/tmp/a")
    with pytest.raises(BadRequest) as error:
        w.workspace.delete("/Shared/tmp")
    assert error.value.error_code == "DIRECTORY_NOT_EMPTY"
    w.workspace.delete("/Shared/tmp", recursive=True)
    with pytest.raises(NotFound):
        w.workspace.get_status("/Shared/tmp/a")
    with pytest.raises(NotFound):
        w.workspace.import_(path="/Nope/x", content="", format=ImportFormat.SOURCE, language=Language.SQL)
