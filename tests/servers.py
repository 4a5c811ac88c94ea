"""Real servers the tests start and stop themselves."""

import subprocess
import time

import redis

from bench.harness import free_port


class PrivateRedis:
    """A redis-server of the test's own, on a free port, that can be stopped and started again."""

    def __init__(self, directory, *, persistent: bool, options=()):
        self.port = free_port()
        self.directory = directory
        self.persistent = persistent
        self.options = list(options)  # more of redis-server's options: "--maxmemory", "4mb"…
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=1)

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)),
                *("--save", "", "--appendonly", "yes" if self.persistent else "no", "--appendfsync", "always"),
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                if self.client().ping():
                    return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis shuts down cleanly, its append-only file complete
            self.process.wait(timeout=10)
