"""A Spark standalone master and one worker on 127.0.0.1, started with Spark's own
classes from the PySpark package (no Spark install, no SSH): what the Spark test
and `bench/python.py` submit `examples/spark_backfill.py` to."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pyspark

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A standalone master and one worker, started with Spark's own classes."""

    def __init__(self, tmp, cores=2):
        self.home = os.path.dirname(pyspark.__file__)
        self.env = dict(
            os.environ,
            SPARK_HOME=self.home,
            SPARK_LOCAL_IP="127.0.0.1",
            PYSPARK_PYTHON=sys.executable,
            PYSPARK_DRIVER_PYTHON=sys.executable,
            SPARK_WORKER_DIR=str(tmp / "work"),
            SPARK_LOG_DIR=str(tmp / "logs"),
        )
        self.port, self.ui = free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.logs = tmp
        self.processes = []
        self.start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(self.port), "--webui-port", str(self.ui))
        self.wait(lambda state: state.get("status") == "ALIVE", "the master to start")
        self.start("worker", "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", str(cores), "--memory", "2g", "--webui-port", str(free_port()), self.url)
        self.wait(lambda state: state.get("aliveworkers", 0) >= 1, "the worker to register")

    def start(self, name, main_class, *args):
        log = open(self.logs / f"{name}.log", "wb")
        spark_class = os.path.join(self.home, "bin", "spark-class")
        self.processes.append(subprocess.Popen([spark_class, main_class, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT))

    def wait(self, ready, what, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.ui}/json/", timeout=2) as answer:
                    if ready(json.load(answer)):
                        return
            except OSError:
                pass
            time.sleep(1)
        logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in self.logs.glob("*.log"))
        raise AssertionError(f"timed out waiting for {what}:\n{logs}")

    def submit(self, *args, cores=2):
        submit = os.path.join(self.home, "bin", "spark-submit")
        command = [submit, "--master", self.url, "--conf", f"spark.cores.max={cores}", "--conf", "spark.ui.enabled=false",
                   str(ROOT / "examples/spark_backfill.py"), *args]
        done = subprocess.run(command, env=self.env, capture_output=True, timeout=900)
        if done.returncode != 0:
            # The Python traceback of a task, if any, says more than the JVM's stack.
            text = done.stderr.decode(errors="replace")
            start = text.find("Traceback (most recent call last)")
            raise AssertionError(text[start:start + 5000] if start >= 0 else text[-5000:])
        return done

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


