"""A PostgreSQL primary and a streaming read replica of it, on loopback ports, for trying and testing
the portal's read replicas (DATABASE_REPLICA_URLS; docs/deployment.md).

    python scripts/pg_replica.py start   # prints DATABASE_URL and DATABASE_REPLICA_URLS to use
    python scripts/pg_replica.py stop    # stops both servers, keeps their data
    python scripts/pg_replica.py drop    # stops and removes both clusters

Made with Debian's PostgreSQL tools (postgresql-common), as root or as the `postgres` user, like
bench/faults.py's cluster: `pg_createcluster` makes the primary (trust on loopback, replication
included) and starts it; the replica is a cluster of its own whose data directory is replaced by a
`pg_basebackup -R` of the primary, so it starts as a hot standby streaming from it. Both are
throwaway: fsync is off, and `start` drops clusters of the same names first.

Tests use it as a module: `Pair(...).start()`, then `stop_replica()`, `start_replica()`,
`pause_replay()`, `resume_replay()`, `drop()`.
"""

import argparse
import getpass
import os
import shutil
import subprocess
import sys
import time

SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "wal_level": "replica",
    "max_wal_senders": "5",
    "hot_standby": "on",
    # The replica tells the primary which rows its queries still read: no query is cancelled.
    "hot_standby_feedback": "on",
    "wal_receiver_status_interval": "1s",
    # Which statements ran on which server (the tests ask).
    "shared_preload_libraries": "'pg_stat_statements'",
    "fsync": "off",
    "jit": "off",
}


def pg_version():
    return sorted(os.listdir("/etc/postgresql"), key=int)[-1]


def available():
    """Why clusters cannot be made here, or "" when they can."""
    if not shutil.which("pg_createcluster") or not os.path.isdir("/etc/postgresql"):
        return "Debian's PostgreSQL tools (pg_createcluster) are not installed"
    if os.geteuid() != 0 and getpass.getuser() != "postgres":
        return "pg_createcluster needs root or the postgres user"
    return ""


def run(*args, check=True):
    result = subprocess.run(args, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def as_postgres(*args):
    """Run a command as the user that owns the clusters' files."""
    if os.geteuid() == 0:
        args = ("runuser", "-u", "postgres", "--", *args)
    return run(*args)


class Pair:
    """The primary `<name>-primary` on `primary_port` and its replica `<name>-replica` on `replica_port`."""

    def __init__(self, name="portal", primary_port=5450, replica_port=5451, database="portal"):
        self.version = pg_version()
        self.primary = (f"{name}-primary", primary_port)
        self.replica = (f"{name}-replica", replica_port)
        self.database = database

    def url(self, server):
        return f"postgres://postgres@127.0.0.1:{server[1]}/{self.database}"

    @property
    def primary_url(self):
        return self.url(self.primary)

    @property
    def replica_url(self):
        return self.url(self.replica)

    def sql(self, server, statement, database=None):
        """psql's unaligned output of one statement on `server` (self.primary or self.replica)."""
        result = run("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(server[1]),
                     "-U", "postgres", "-d", database or self.database, "-c", statement)
        return result.stdout.strip()

    def _create(self, server):
        name, port = server
        run("pg_createcluster", "-p", str(port), self.version, name, "--", "--auth=trust")
        # Debian's postgresql.conf reads conf.d/ last.
        lines = [f"{key} = {value}" for key, value in SETTINGS.items()]
        with open(f"/etc/postgresql/{self.version}/{name}/conf.d/replication.conf", "w") as conf:
            conf.write("\n".join(lines) + "\n")

    def _data_directory(self, server):
        for line in run("pg_lsclusters", "-h").stdout.splitlines():
            fields = line.split()
            if fields[:2] == [self.version, server[0]]:
                return fields[5]
        raise RuntimeError(f"no cluster {server[0]}")

    def start(self):
        """Make both clusters anew and start them; returns self once the replica streams."""
        self.drop()
        self._create(self.primary)
        run("pg_ctlcluster", self.version, self.primary[0], "start")
        self.sql(self.primary, f'CREATE DATABASE "{self.database}"', database="postgres")
        self.sql(self.primary, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        self._create(self.replica)
        directory = self._data_directory(self.replica)
        # Emptied, not removed: its parent may belong to root, and pg_basebackup runs as postgres.
        for entry in os.scandir(directory):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.remove(entry.path)
        as_postgres("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary[1]), "-U", "postgres",
                    "-D", directory, "-R", "-X", "stream", "-c", "fast")
        self.start_replica()
        return self

    def start_replica(self):
        run("pg_ctlcluster", self.version, self.replica[0], "start")
        self.wait_for_replica()

    def stop_replica(self):
        run("pg_ctlcluster", self.version, self.replica[0], "stop", "-m", "fast")

    def wait_for_replica(self, seconds=30):
        deadline = time.monotonic() + seconds
        while True:
            try:
                if self.sql(self.replica, "SELECT pg_is_in_recovery()") == "t":
                    return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)

    def pause_replay(self):
        self.sql(self.replica, "SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        self.sql(self.replica, "SELECT pg_wal_replay_resume()")

    def caught_up(self, seconds=10):
        """Wait until the replica has replayed everything the primary has written so far."""
        target = self.sql(self.primary, "SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + seconds
        while self.sql(self.replica, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn") != "t":
            if time.monotonic() > deadline:
                raise RuntimeError("the replica did not catch up")
            time.sleep(0.05)

    def stop(self):
        for name, _port in (self.replica, self.primary):
            run("pg_ctlcluster", self.version, name, "stop", "-m", "fast", check=False)

    def drop(self):
        for name, _port in (self.replica, self.primary):
            run("pg_dropcluster", "--stop", self.version, name, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop", "drop"])
    parser.add_argument("--name", default="portal", help="clusters <name>-primary and <name>-replica")
    parser.add_argument("--primary-port", type=int, default=5450)
    parser.add_argument("--replica-port", type=int, default=5451)
    parser.add_argument("--database", default="portal")
    args = parser.parse_args()
    problem = available()
    if problem:
        raise SystemExit(problem)
    pair = Pair(args.name, args.primary_port, args.replica_port, args.database)
    if args.command == "start":
        pair.start()
        print(f"DATABASE_URL={pair.primary_url}")
        print(f"DATABASE_REPLICA_URLS={pair.replica_url}")
    elif args.command == "stop":
        pair.stop()
    else:
        pair.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
