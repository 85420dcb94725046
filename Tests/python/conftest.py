"""Fixtures that run the real lakegate-emulator and point the official Databricks SDK at it."""

import os
import pathlib
import select
import shutil
import socket
import subprocess
import tempfile

import pytest
import requests
from databricks.sdk import WorkspaceClient
from databricks.sdk.core import Config

ROOT = pathlib.Path(__file__).resolve().parents[2]

# The SDK reads DATABRICKS_* variables and ~/.databrickscfg; keep the suite independent of the machine.
for _name in list(os.environ):
    if _name.startswith("DATABRICKS_"):
        del os.environ[_name]
os.environ["DATABRICKS_CONFIG_FILE"] = os.devnull


def stop_cleanly(server: subprocess.Popen) -> None:
    """Stops a `lakegate serve` with SIGTERM and asserts it exits 0 within 30 s; kills it when it does not stop."""
    server.terminate()
    try:
        assert server.wait(timeout=30) == 0
    finally:
        if server.poll() is None:
            server.kill()


def emulator_binary() -> pathlib.Path:
    bin_dir = os.environ.get("LAKEGATE_BIN_DIR") or str(ROOT / ".build" / "debug")
    path = pathlib.Path(bin_dir) / "lakegate-emulator"
    if not path.exists():
        pytest.fail(f"{path} does not exist: build it with `swift build` or set LAKEGATE_BIN_DIR")
    return path


class Emulator:
    """One running lakegate-emulator process on a free loopback port."""

    def __init__(self, *args: str):
        self.log = tempfile.NamedTemporaryFile(prefix="lakegate-emulator-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [str(emulator_binary()), "--host", "127.0.0.1", "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=self.log,
            stdin=subprocess.DEVNULL,
        )
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("http://"):
            self.process.kill()
            raise RuntimeError(f"emulator did not print its URL: {pathlib.Path(self.log.name).read_text()}")
        self.url = line
        self.http = requests.Session()

    def client(self, token: str = "dapi-test-token", **kwargs) -> WorkspaceClient:
        if "client_id" not in kwargs:
            kwargs["token"] = token
        return WorkspaceClient(config=Config(host=self.url, **kwargs))

    def reset(self) -> None:
        self.http.post(self.url + "/_emulator/reset").raise_for_status()

    def requests(self) -> list:
        return self.http.get(self.url + "/_emulator/requests").json()["requests"]

    def stats(self) -> dict:
        return self.http.get(self.url + "/_emulator/stats").json()

    def faults(self, **settings) -> dict:
        response = self.http.post(self.url + "/_emulator/faults", json=settings)
        response.raise_for_status()
        return response.json()

    def sql(self, w: WorkspaceClient, statement: str, **kwargs):
        return w.statement_execution.execute_statement(
            statement=statement, warehouse_id=STARTER_WAREHOUSE, wait_timeout="30s", **kwargs
        )

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        code = self.process.wait(timeout=20)
        self.http.close()
        if os.path.exists(self.log.name):
            os.unlink(self.log.name)
        return code


STARTER_WAREHOUSE = "a1b2c3d4e5f60001"


@pytest.fixture(scope="session")
def start_emulator():
    """Starts extra emulators with their own flags; all are stopped at the end of the session."""
    started = []

    def start(*args: str) -> Emulator:
        emulator = Emulator(*args)
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture(scope="session")
def shared_emulator(start_emulator) -> Emulator:
    return start_emulator()


@pytest.fixture
def emulator(shared_emulator) -> Emulator:
    """The shared emulator, reset to a fresh workspace before each test."""
    shared_emulator.reset()
    return shared_emulator


@pytest.fixture
def w(emulator) -> WorkspaceClient:
    return emulator.client()


@pytest.fixture
def sql(emulator, w):
    """Runs a statement and returns its response; asserts nothing about success."""
    return lambda statement, **kwargs: emulator.sql(w, statement, **kwargs)


@pytest.fixture
def ok_sql(sql):
    """Runs a statement and asserts it succeeded."""

    def run(statement, **kwargs):
        response = sql(statement, **kwargs)
        assert response.status.state.value == "SUCCEEDED", response.status
        return response

    return run


class PostgresServer:
    """A throwaway PostgreSQL server from Debian's packages: initdb in a temp dir, loopback, a free port.

    initdb and postgres refuse to run as root, so as root (CI) they run as `nobody` through runuser; as
    anyone else they run as that user. Password authentication (scram) is on, so the password path is real.
    """

    USER = "lakegate"
    PASSWORD = "pg-test-secret"

    def __init__(self):
        bins = sorted(pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not bins:
            pytest.fail("PostgreSQL is not installed: `make apt-deps` installs Debian's postgresql package")
        self.bin = bins[-1].parent
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="lakegate-pg-"))
        self.data = self.root / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "nobody", "--"]
            os.chmod(self.root, 0o755)
        password_file = self.root / "password"
        password_file.write_text(self.PASSWORD + "\n")
        if os.geteuid() == 0:
            shutil.chown(self.root, "nobody")
            shutil.chown(password_file, "nobody")
        self.run("initdb", "-D", str(self.data), "-U", self.USER, "--auth=scram-sha-256",
                 f"--pwfile={password_file}", "-E", "UTF8", "--no-sync")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                 "-t", "60", "start")
        self.base = f"postgres://{self.USER}@127.0.0.1:{self.port}"
        self.count = 0

    def run(self, tool: str, *args: str) -> None:
        result = subprocess.run([*self.as_user, str(self.bin / tool), *args], capture_output=True, text=True,
                                cwd=self.root, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log"
            raise RuntimeError(f"{tool} failed: {result.stdout}{result.stderr}"
                               f"{log.read_text() if log.exists() else ''}")

    def env(self) -> dict:
        return {"PGPASSWORD": self.PASSWORD}

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", f"{self.base}/{database}", "-c", sql],
            capture_output=True, text=True, env=dict(os.environ, **self.env()), timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout.strip()

    def database(self) -> str:
        """A new empty database; its URL (without the password)."""
        self.count += 1
        name = f"lakegate_{self.count}"
        self.psql("postgres", f"CREATE DATABASE {name}")
        return f"{self.base}/{name}"

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the whole session (tests take a database each); stopped at the end."""
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()
