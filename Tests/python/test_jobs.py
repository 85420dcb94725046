"""Jobs 2.2 and job permissions."""

import pytest
from databricks.sdk.errors import InvalidParameterValue, NotFound, ResourceDoesNotExist
from databricks.sdk.service import jobs


def notebook_task(key: str, **kwargs) -> jobs.Task:
    return jobs.Task(task_key=key, notebook_task=jobs.NotebookTask(notebook_path=f"/Workspace/Shared/{key}"), **kwargs)


def test_job_lifecycle(w, emulator):
    created = w.jobs.create(
        name="nightly",
        tags={"owner": "team-a", "managed-by": "lakegate"},
        schedule=jobs.CronSchedule(quartz_cron_expression="0 0 2 * * ?", timezone_id="UTC"),
        tasks=[notebook_task("t1"), notebook_task("t2", depends_on=[jobs.TaskDependency(task_key="t1")])],
        max_concurrent_runs=1,
    )
    job = w.jobs.get(created.job_id)
    assert job.settings.name == "nightly"
    assert job.settings.tags == {"owner": "team-a", "managed-by": "lakegate"}
    assert [t.task_key for t in job.settings.tasks] == ["t1", "t2"]
    assert job.settings.schedule.pause_status == jobs.PauseStatus.UNPAUSED
    assert job.creator_user_name
    body = [r for r in emulator.requests() if r["path"] == "/api/2.2/jobs/create"]
    assert len(body) == 1

    w.jobs.update(
        created.job_id,
        new_settings=jobs.JobSettings(description="nightly load", tasks=[notebook_task("t3")]),
        fields_to_remove=["schedule", "tasks/t2"],
    )
    job = w.jobs.get(created.job_id)
    assert job.settings.description == "nightly load"
    assert job.settings.schedule is None
    assert [t.task_key for t in job.settings.tasks] == ["t1", "t3"]

    w.jobs.reset(created.job_id, new_settings=jobs.JobSettings(name="renamed", tasks=[notebook_task("only")]))
    job = w.jobs.get(created.job_id)
    assert job.settings.name == "renamed" and job.settings.tags is None
    assert [t.task_key for t in job.settings.tasks] == ["only"]

    w.jobs.delete(created.job_id)
    with pytest.raises(ResourceDoesNotExist):
        w.jobs.get(created.job_id)
    with pytest.raises(NotFound):
        w.jobs.get(created.job_id)


def test_job_list_name_filter_and_pages(w, emulator):
    ids = [w.jobs.create(name=f"job-{i:02d}").job_id for i in range(23)]
    w.jobs.create(name="Special")
    w.jobs.create(name="special")
    listed = [j.job_id for j in w.jobs.list(limit=5) if j.settings.name.startswith("job-")]
    assert listed == ids
    pages = [r for r in emulator.requests() if r["path"] == "/api/2.2/jobs/list"]
    assert len(pages) == 5
    assert sorted(j.settings.name for j in w.jobs.list(name="SPECIAL")) == ["Special", "special"]
    with pytest.raises(InvalidParameterValue):
        list(w.jobs.list(limit=101))


def test_job_list_hides_tasks_unless_expanded(w):
    w.jobs.create(name="a", tasks=[notebook_task("t1")])
    assert not next(iter(w.jobs.list())).settings.tasks
    assert [t.task_key for t in next(iter(w.jobs.list(expand_tasks=True))).settings.tasks] == ["t1"]


def test_job_get_merges_task_pages(w):
    tasks = [notebook_task(f"t{i:03d}") for i in range(130)]
    created = w.jobs.create(name="big", tasks=tasks)
    assert len(w.jobs.get(created.job_id).settings.tasks) == 130


def test_invalid_job_settings(w):
    with pytest.raises(InvalidParameterValue):
        w.jobs.create(name="bad", tasks=[notebook_task("a"), notebook_task("a")])
    with pytest.raises(InvalidParameterValue):
        w.jobs.create(name="bad", tasks=[notebook_task("a", depends_on=[jobs.TaskDependency(task_key="zzz")])])


def test_job_permissions(w):
    job_id = w.jobs.create(name="perm").job_id
    permissions = w.jobs.get_permissions(str(job_id))
    owners = [a for a in permissions.access_control_list if a.all_permissions[0].permission_level == jobs.JobPermissionLevel.IS_OWNER]
    assert len(owners) == 1
    w.jobs.update_permissions(
        str(job_id),
        access_control_list=[
            jobs.JobAccessControlRequest(group_name="ops", permission_level=jobs.JobPermissionLevel.CAN_MANAGE_RUN)
        ],
    )
    levels = {
        (a.group_name or a.user_name): a.all_permissions[0].permission_level.value
        for a in w.jobs.get_permissions(str(job_id)).access_control_list
    }
    assert levels["ops"] == "CAN_MANAGE_RUN"
    w.jobs.set_permissions(
        str(job_id),
        access_control_list=[
            jobs.JobAccessControlRequest(user_name="a@b.c", permission_level=jobs.JobPermissionLevel.CAN_VIEW)
        ],
    )
    levels = {
        (a.group_name or a.user_name): a.all_permissions[0].permission_level.value
        for a in w.jobs.get_permissions(str(job_id)).access_control_list
    }
    assert "ops" not in levels and levels["a@b.c"] == "CAN_VIEW"
    assert "IS_OWNER" in levels.values()
    with pytest.raises(InvalidParameterValue):
        w.api_client.do(
            "PATCH",
            f"/api/2.0/permissions/jobs/{job_id}",
            body={"access_control_list": [{"group_name": "x", "permission_level": "CAN_FLY"}]},
        )
