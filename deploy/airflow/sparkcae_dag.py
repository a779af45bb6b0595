"""Airflow DAG: sparkcae prep -> train -> encode -> score, one Spark application per stage, once a day.

Each task is a ``SparkSubmitOperator`` (``apache-airflow-providers-apache-spark``) running the
application jar (``mvn -B -DskipTests -Papp-jar package`` -> ``spark-jobs/target/sparkcae-app.jar``)
with the JVM flags of ``conf/jvm.properties``. The run directory is templated on the logical date
(``<SPARKCAE_RUN_ROOT>/{{ ds }}``) and every stage runs with ``--if-exists skip``: a retried task, or a
cleared and re-run DAG run, finds the output its stage already committed (same inputs, same config) and
does nothing; a failed attempt leaves no partial output (stages commit atomically), so a retry starts
clean.

Where Spark runs comes from the Airflow connection ``SPARKCAE_SPARK_CONN_ID`` (default
``spark_default``): host ``yarn`` (extra ``{"deploy-mode": "cluster"}``), ``spark://host:7077`` or
``k8s://https://...``. Settings (environment variables of the scheduler and workers):

- ``SPARKCAE_HOME``: a sparkcae checkout or install, for ``conf/jvm.properties`` and ``conf/log4j2*.properties``
  (default: the directory two levels above this file, i.e. the repository when the DAG is used in place)
- ``SPARKCAE_APP_JAR``: the application jar (default ``$SPARKCAE_HOME/spark-jobs/target/sparkcae-app.jar``)
- ``SPARKCAE_RUN_ROOT``: parent of the per-day run directories (default ``hdfs:///sparkcae/runs``)
- ``SPARKCAE_CONFIG``: run configuration file (HOCON), passed as ``--config``, shipped with ``--files``
  (default: none, built-in defaults)
- ``SPARKCAE_DATA``: input data (``--data``; default: the configuration's ``data.input``)
- ``SPARKCAE_LOG_FORMAT``: ``json`` (default) or ``text``
- ``SPARKCAE_SPARK_SECURITY``: ``on`` (default: Spark authentication, RPC and I/O encryption, UI ACLs) or
  ``off``. The secret is the cluster manager's: YARN generates one; on Kubernetes set
  ``SPARKCAE_K8S_AUTH_SECRET`` to a Secret (key ``secret``) to mount; a standalone cluster needs
  ``spark.authenticate.secret`` in the Airflow workers' ``spark-defaults.conf`` (see docs/security.md)

This module imports without Airflow: ``stage_commands(run_date)`` gives the sparkcae arguments of each
task (what the operators pass, with ``{{ ds }}`` rendered), and ``spark_conf()`` the Spark
configuration; ``spark-jobs/src/test/java/io/sparkcae/jobs/deploy/AirflowDagTest.java`` dry-runs them
through the real CLI.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

STAGES = ("prep", "train", "encode", "score")
MAIN_CLASS = "io.sparkcae.jobs.cli.SparkCaeCli"
RUN_DATE_TEMPLATE = "{{ ds }}"


def sparkcae_home() -> Path:
    """The sparkcae checkout or install that holds conf/."""
    return Path(os.environ.get("SPARKCAE_HOME", Path(__file__).resolve().parents[2]))


def app_jar() -> str:
    return os.environ.get("SPARKCAE_APP_JAR", str(sparkcae_home() / "spark-jobs" / "target" / "sparkcae-app.jar"))


def run_dir(run_date: str) -> str:
    root = os.environ.get("SPARKCAE_RUN_ROOT", "hdfs:///sparkcae/runs").rstrip("/")
    return f"{root}/{run_date}"


def log_format() -> str:
    value = os.environ.get("SPARKCAE_LOG_FORMAT", "json").lower()
    if value not in ("json", "text"):
        raise ValueError(f"SPARKCAE_LOG_FORMAT must be json or text, got {value!r}")
    return value


def stage_args(stage: str, run_date: str) -> list[str]:
    """The sparkcae CLI arguments of one stage (run_date may be the Airflow template "{{ ds }}")."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {STAGES}")
    args = [stage, "--run-dir", run_dir(run_date), "--if-exists", "skip", "--log-format", log_format()]
    config = os.environ.get("SPARKCAE_CONFIG")
    if config:
        # Shipped with --files: in YARN cluster mode the driver finds it in its working directory.
        args += ["--config", config if not _cluster_mode() else os.path.basename(config)]
    data = os.environ.get("SPARKCAE_DATA")
    if data and stage == "prep":
        args += ["--data", data]
    if stage == "train":
        # A retried train task continues from its last epoch checkpoint instead of starting over.
        args += ["--resume"]
    return args


def stage_commands(run_date: str) -> list[list[str]]:
    """Per task, in order (prep, train, encode, score): the CLI arguments the SparkSubmitOperator passes."""
    return [stage_args(stage, run_date) for stage in STAGES]


def _cluster_mode() -> bool:
    return os.environ.get("SPARKCAE_DEPLOY_MODE", "client") == "cluster"


def jvm_options(home: Path | None = None) -> str:
    """sparkcae.jvm.options from conf/jvm.properties, continuation lines joined (as deploy/jvm-options.sh)."""
    path = (home or sparkcae_home()) / "conf" / "jvm.properties"
    text = path.read_text(encoding="utf-8")
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.endswith("\\"):
            current += line[:-1]
            continue
        logical.append(current + line)
        current = ""
    if current:
        logical.append(current)
    for line in logical:
        if line.startswith("sparkcae.jvm.options="):
            return " ".join(line[len("sparkcae.jvm.options="):].split())
    raise ValueError(f"{path}: no sparkcae.jvm.options")


def log4j_config_name() -> str:
    return "log4j2-json.properties" if log_format() == "json" else "log4j2.properties"


def spark_files() -> list[str]:
    home = sparkcae_home()
    files = [str(home / "conf" / "log4j2.properties"), str(home / "conf" / "log4j2-json.properties")]
    config = os.environ.get("SPARKCAE_CONFIG")
    if config:
        files.append(config)
    return files


def security_conf() -> dict[str, str]:
    """Spark's own security, on unless SPARKCAE_SPARK_SECURITY=off (stated explicitly either way, so that a
    spark-defaults.conf saying otherwise does not apply)."""
    setting = os.environ.get("SPARKCAE_SPARK_SECURITY", "on")
    if setting not in ("on", "off"):
        raise ValueError(f"SPARKCAE_SPARK_SECURITY={setting}: expected on or off")
    enabled = "true" if setting == "on" else "false"
    conf = {
        "spark.authenticate": enabled,
        "spark.network.crypto.enabled": enabled,
        "spark.io.encryption.enabled": enabled,
        "spark.acls.enable": enabled,
    }
    k8s_secret = os.environ.get("SPARKCAE_K8S_AUTH_SECRET")
    if setting == "on" and k8s_secret:
        conf[f"spark.kubernetes.driver.secrets.{k8s_secret}"] = "/etc/sparkcae-auth"
        conf[f"spark.kubernetes.executor.secrets.{k8s_secret}"] = "/etc/sparkcae-auth"
        conf["spark.authenticate.secret.file"] = "/etc/sparkcae-auth/secret"
    return conf


def spark_conf() -> dict[str, str]:
    """Spark configuration of every task: the JVM flags for driver and executors, one OpenMP thread per
    executor task. Executors (and a cluster-mode driver) read the Log4j2 file shipped with --files; a
    client-mode driver gets its JSON logging from --log-format json."""
    opts = jvm_options()
    log = f"-Dlog4j2.configurationFile={log4j_config_name()}"
    driver_log = log if _cluster_mode() else f"-Dlog4j2.configurationFile={sparkcae_home() / 'conf' / 'log4j2.properties'}"
    return {
        "spark.driver.defaultJavaOptions": f"{opts} {driver_log}",
        "spark.executor.defaultJavaOptions": f"{opts} {log}",
        "spark.executorEnv.OMP_NUM_THREADS": os.environ.get("SPARKCAE_EXECUTOR_THREADS", "1"),
        "spark.yarn.appMasterEnv.OMP_NUM_THREADS": os.environ.get("SPARKCAE_DRIVER_THREADS", "1"),
        "spark.ui.showConsoleProgress": "false",
        **security_conf(),
    }


DEFAULT_ARGS = {
    "owner": "sparkcae",
    "depends_on_past": False,
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=1),
}

try:  # Airflow is optional: without it this module only offers the functions above.
    try:
        from airflow.sdk import DAG  # Airflow 3
    except ImportError:
        from airflow import DAG  # Airflow 2
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
except ImportError:
    DAG = None
    SparkSubmitOperator = None

if DAG is not None and SparkSubmitOperator is not None:
    with DAG(
        dag_id="sparkcae",
        description="Convolutional autoencoder: prep -> train -> encode -> score on Spark",
        schedule="@daily",
        start_date=datetime(2026, 11, 1),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["sparkcae", "spark"],
    ) as dag:
        previous = None
        for stage, args in zip(STAGES, stage_commands(RUN_DATE_TEMPLATE)):
            task = SparkSubmitOperator(
                task_id=stage,
                conn_id=os.environ.get("SPARKCAE_SPARK_CONN_ID", "spark_default"),
                application=app_jar(),
                java_class=MAIN_CLASS,
                name=f"sparkcae-{stage}-{RUN_DATE_TEMPLATE}",
                application_args=args,
                conf=spark_conf(),
                files=",".join(spark_files()),
                verbose=False,
                execution_timeout=timedelta(hours=6),
            )
            if previous is not None:
                previous >> task
            previous = task
