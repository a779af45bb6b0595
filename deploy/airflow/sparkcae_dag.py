"""Airflow DAG: sparkcae prep -> train -> encode -> score, one Spark application per stage, once a day.

Each task is a ``SparkSubmitOperator`` (``apache-airflow-providers-apache-spark`` 4.8 or newer) running the
application jar (``mvn -B -DskipTests -Papp-jar package`` -> ``spark-jobs/target/sparkcae-app.jar``).

Keyed by the logical date. The run directory is ``<SPARKCAE_RUN_ROOT>/{{ ds }}`` and prep's input is
``SPARKCAE_DATA`` (which may hold Airflow templates, e.g. ``hdfs:///landing/{{ ds }}``) or, by the default
layout, ``<SPARKCAE_DATA_ROOT>/{{ ds }}``. Every stage runs with ``--if-exists skip``: a retried task, or a
cleared and re-run DAG run, finds the output its stage already committed and does nothing; a failed attempt
leaves no partial output (stages commit atomically), so a retry starts clean. train runs with ``--resume``.

Retries follow sparkcae's exit codes (docs/errors.md): 2 (usage or configuration) and 3 (bad data) fail the
task at once, since another attempt would fail the same way; 4 (training diverged), 5 (environment or
internal) and any other failure (spark-submit's own, a lost executor, a killed JVM) are retried. The code is
what spark-submit reports, so this holds where spark-submit carries the driver's exit code: client mode on
any cluster manager (the driver is the spark-submit JVM and sparkcae ends it with System.exit(code)), and
Kubernetes cluster mode (the provider reads the driver container's exit code). In YARN and standalone
cluster mode spark-submit reports only failed/succeeded, so every failure is retried there; see the
"Airflow" section of deploy/README-deploy.md.

Nothing is read while the scheduler parses this file: the JVM flags of ``conf/jvm.properties`` (through
``deploy/jvm-options.sh``, the launchers' own reader), the settings' checks and the Spark security settings
are resolved when a task runs, and a wrong setting (e.g. ``SPARKCAE_HOME``) fails that task, without retry,
with one line naming it.

Settings (environment variables of the scheduler and workers):

- ``SPARKCAE_HOME``: a sparkcae checkout or install, for ``conf/jvm.properties``, ``conf/log4j2*.properties``
  and ``deploy/jvm-options.sh`` (default: the directory two levels above this file)
- ``SPARKCAE_APP_JAR``: the application jar (default ``$SPARKCAE_HOME/spark-jobs/target/sparkcae-app.jar``)
- ``SPARKCAE_RUN_ROOT``: parent of the per-day run directories (default ``hdfs:///sparkcae/runs``)
- ``SPARKCAE_DATA``: prep's input (``--data``); may hold templates such as ``{{ ds }}``
- ``SPARKCAE_DATA_ROOT``: with no ``SPARKCAE_DATA``, prep reads ``<SPARKCAE_DATA_ROOT>/{{ ds }}``. With
  neither, prep reads the configuration's ``data.input``, the same every day (the task logs a warning)
- ``SPARKCAE_MODEL``: apply this model instead of training one: the DAG is prep -> encode -> score and
  encode and score get ``--model``. A model directory or an earlier run's train stage directory
  (``<run dir>/train``); may hold templates, e.g. ``hdfs:///sparkcae/runs/{{ macros.ds_add(ds, -1) }}/train``
- ``SPARKCAE_CONFIG``: run configuration file (HOCON), passed as ``--config``, shipped with ``--files``
  (default: none, built-in defaults)
- ``SPARKCAE_DEPLOY_MODE``: ``client`` (default) or ``cluster``: the one place the deploy mode is set; it
  overrides the Airflow connection's ``deploy-mode`` extra
- ``SPARKCAE_SPARK_CONN_ID``: the Airflow connection naming the master (default ``spark_default``): host
  ``yarn``, ``spark://host:7077`` or ``k8s://https://...``
- ``SPARKCAE_LOG_FORMAT``: ``json`` (default) or ``text``
- ``SPARKCAE_EXECUTOR_THREADS`` / ``SPARKCAE_DRIVER_THREADS``: ``OMP_NUM_THREADS`` of executors and of a
  cluster-mode driver (default 1)
- ``SPARKCAE_SPARK_SECURITY``: ``on`` (default: Spark authentication, RPC and I/O encryption, UI ACLs) or
  ``off``. The secret is the cluster manager's: YARN generates one; on Kubernetes set
  ``SPARKCAE_K8S_AUTH_SECRET`` to a Secret (key ``secret``) to mount; a standalone cluster needs
  ``spark.authenticate.secret`` in the Airflow workers' ``spark-defaults.conf`` (see docs/security.md)

This module imports without Airflow: ``stage_commands(run_date)`` gives the sparkcae arguments of each
task (what the operators pass, with ``{{ ds }}`` rendered), ``spark_conf()`` the Spark configuration a task
resolves when it runs, and ``exit_code_of``/``retryable`` the retry decision;
``spark-jobs/src/test/java/io/sparkcae/jobs/deploy/AirflowDagTest.java`` dry-runs the commands through the
real CLI and runs the tasks against a stub Airflow and a stand-in spark-submit.
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

TRAINING_STAGES = ("prep", "train", "encode", "score")
MODEL_REUSE_STAGES = ("prep", "encode", "score")
MAIN_CLASS = "io.sparkcae.jobs.cli.SparkCaeCli"
RUN_DATE_TEMPLATE = "{{ ds }}"
_RUN_DATE_PATTERN = re.compile(r"\{\{\s*ds\s*\}\}")

# sparkcae's exit codes that another attempt cannot fix (docs/errors.md); every other failure is retried.
NO_RETRY_EXIT_CODES = {2: "usage or configuration error", 3: "bad data"}


class SettingError(ValueError):
    """A DAG setting (environment variable) that cannot work; the task fails with it, without retry."""


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value if value else default


def _on_date(text: str, run_date: str) -> str:
    """text with {{ ds }} replaced by run_date (Airflow renders the template itself when run_date is one)."""
    return text if run_date == RUN_DATE_TEMPLATE else _RUN_DATE_PATTERN.sub(run_date, text)


# ---- what the DAG's shape and its tasks' arguments need: environment strings only, no files read ----

def sparkcae_home() -> Path:
    """The sparkcae checkout or install that holds conf/ and deploy/ (not checked here: see check_settings)."""
    return Path(_env("SPARKCAE_HOME") or Path(__file__).resolve().parents[2])


def app_jar() -> str:
    return _env("SPARKCAE_APP_JAR") or str(sparkcae_home() / "spark-jobs" / "target" / "sparkcae-app.jar")


def deploy_mode() -> str:
    """SPARKCAE_DEPLOY_MODE: the one setting of the deploy mode (operators pass it; the connection's is ignored)."""
    return _env("SPARKCAE_DEPLOY_MODE", "client")


def cluster_mode() -> bool:
    return deploy_mode() == "cluster"


def run_dir(run_date: str) -> str:
    root = _env("SPARKCAE_RUN_ROOT", "hdfs:///sparkcae/runs").rstrip("/")
    return f"{root}/{run_date}"


def input_data(run_date: str) -> str | None:
    """prep's --data: SPARKCAE_DATA (templates allowed), else <SPARKCAE_DATA_ROOT>/<run date>, else None."""
    data = _env("SPARKCAE_DATA")
    if data:
        return _on_date(data, run_date)
    root = _env("SPARKCAE_DATA_ROOT")
    return f"{root.rstrip('/')}/{run_date}" if root else None


def model() -> str | None:
    """SPARKCAE_MODEL: a model to apply instead of training one (None: the DAG trains)."""
    return _env("SPARKCAE_MODEL")


def stages() -> tuple[str, ...]:
    return MODEL_REUSE_STAGES if model() else TRAINING_STAGES


def log_format() -> str:
    # Checked when the task runs (check_settings); the CLI refuses any other value with exit 2 as well.
    return _env("SPARKCAE_LOG_FORMAT", "json").lower()


def stage_args(stage: str, run_date: str) -> list[str]:
    """The sparkcae CLI arguments of one stage (run_date may be the Airflow template "{{ ds }}")."""
    if stage not in TRAINING_STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {TRAINING_STAGES}")
    args = [stage, "--run-dir", run_dir(run_date), "--if-exists", "skip", "--log-format", log_format()]
    config = _env("SPARKCAE_CONFIG")
    if config:
        # Shipped with --files: in cluster mode the driver finds it in its working directory.
        args += ["--config", os.path.basename(config) if cluster_mode() else config]
    data = input_data(run_date)
    if data and stage == "prep":
        args += ["--data", data]
    if stage == "train":
        # A retried train task continues from its last epoch checkpoint instead of starting over.
        args += ["--resume"]
    reused = model()
    if reused and stage in ("encode", "score"):
        args += ["--model", _on_date(reused, run_date)]
    return args


def stage_commands(run_date: str) -> list[list[str]]:
    """Per task, in order (see stages()): the CLI arguments the operator passes."""
    return [stage_args(stage, run_date) for stage in stages()]


def log4j_config_name() -> str:
    return "log4j2-json.properties" if log_format() == "json" else "log4j2.properties"


def spark_files() -> list[str]:
    home = sparkcae_home()
    files = [str(home / "conf" / "log4j2.properties"), str(home / "conf" / "log4j2-json.properties")]
    config = _env("SPARKCAE_CONFIG")
    if config:
        files.append(config)
    return files


# ---- resolved when a task runs ----

def _is_local_path(path: str) -> bool:
    return "://" not in path and not path.startswith("local:")


def check_settings() -> None:
    """Every setting a task needs, checked before spark-submit starts; SettingError names the one at fault."""
    choices = {"SPARKCAE_DEPLOY_MODE": (deploy_mode(), ("client", "cluster")),
               "SPARKCAE_LOG_FORMAT": (log_format(), ("json", "text")),
               "SPARKCAE_SPARK_SECURITY": (_env("SPARKCAE_SPARK_SECURITY", "on"), ("on", "off"))}
    for name, (value, allowed) in choices.items():
        if value not in allowed:
            raise SettingError(f"{name}={value}: expected {' or '.join(allowed)}")
    for name in ("SPARKCAE_EXECUTOR_THREADS", "SPARKCAE_DRIVER_THREADS"):
        value = _env(name, "1")
        if not re.fullmatch(r"[1-9][0-9]{0,3}", value):
            raise SettingError(f"{name}={value}: expected a thread count such as 1")
    home = sparkcae_home()
    needed = [home / "conf" / "jvm.properties", home / "deploy" / "jvm-options.sh"] + [Path(f) for f in spark_files()[:2]]
    for path in needed:
        if not path.is_file():
            raise SettingError(f"SPARKCAE_HOME={home}: {path} not found (SPARKCAE_HOME must be a sparkcae checkout"
                               " or install, with conf/ and deploy/)")
    jar = app_jar()
    if _is_local_path(jar) and not Path(jar).is_file():
        raise SettingError(f"SPARKCAE_APP_JAR={jar}: not found; build it with: mvn -B -DskipTests -Papp-jar package")
    config = _env("SPARKCAE_CONFIG")
    if config and _is_local_path(config) and not Path(config).is_file():
        raise SettingError(f"SPARKCAE_CONFIG={config}: not found")


def jvm_options(home: Path | None = None) -> str:
    """The JVM flags of conf/jvm.properties, read by deploy/jvm-options.sh as every launcher reads them."""
    home = home or sparkcae_home()
    result = subprocess.run(
        ["bash", "-c", 'source "$1/deploy/jvm-options.sh" && sparkcae_jvm_options "$1"', "jvm-options", str(home)],
        capture_output=True, text=True, timeout=60, check=False)
    options = result.stdout.strip()
    if result.returncode != 0 or not options:
        raise SettingError(f"SPARKCAE_HOME={home}: no JVM flags from conf/jvm.properties"
                           f" ({result.stderr.strip() or 'no sparkcae.jvm.options line'})")
    return options


def security_conf() -> dict[str, str]:
    """Spark's own security, on unless SPARKCAE_SPARK_SECURITY=off (stated explicitly either way, so that a
    spark-defaults.conf saying otherwise does not apply)."""
    enabled = "true" if _env("SPARKCAE_SPARK_SECURITY", "on") == "on" else "false"
    conf = {
        "spark.authenticate": enabled,
        "spark.network.crypto.enabled": enabled,
        "spark.io.encryption.enabled": enabled,
        "spark.acls.enable": enabled,
    }
    k8s_secret = _env("SPARKCAE_K8S_AUTH_SECRET")
    if enabled == "true" and k8s_secret:
        conf[f"spark.kubernetes.driver.secrets.{k8s_secret}"] = "/etc/sparkcae-auth"
        conf[f"spark.kubernetes.executor.secrets.{k8s_secret}"] = "/etc/sparkcae-auth"
        conf["spark.authenticate.secret.file"] = "/etc/sparkcae-auth/secret"
    return conf


def spark_conf() -> dict[str, str]:
    """Spark configuration of every task, resolved when it runs: the JVM flags for driver and executors, one
    OpenMP thread per executor task. Executors (and a cluster-mode driver) read the Log4j2 file shipped with
    --files; a client-mode driver gets its JSON logging from --log-format json. Raises SettingError."""
    check_settings()
    opts = jvm_options()
    log = f"-Dlog4j2.configurationFile={log4j_config_name()}"
    driver_log = log if cluster_mode() else f"-Dlog4j2.configurationFile={sparkcae_home() / 'conf' / 'log4j2.properties'}"
    conf = {
        "spark.driver.defaultJavaOptions": f"{opts} {driver_log}",
        "spark.executor.defaultJavaOptions": f"{opts} {log}",
        "spark.executorEnv.OMP_NUM_THREADS": _env("SPARKCAE_EXECUTOR_THREADS", "1"),
        "spark.yarn.appMasterEnv.OMP_NUM_THREADS": _env("SPARKCAE_DRIVER_THREADS", "1"),
        # OpenBLAS's idle threads spin beside the OpenMP ones: its small GEMMs run on the calling thread
        "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
        "spark.yarn.appMasterEnv.OPENBLAS_NUM_THREADS": "1",
        "spark.ui.showConsoleProgress": "false",
        **security_conf(),
    }
    if cluster_mode():
        # Airflow owns the retries: YARN would otherwise run a failed driver a second time on its own.
        conf["spark.yarn.maxAppAttempts"] = "1"
    return conf


_K8S_EXIT_CODE = re.compile(r"Kubernetes spark exit code is: (\d+)")
_SUBMIT_EXIT_CODE = re.compile(r"Error code is: (\d+)")


def exit_code_of(message: str) -> int | None:
    """sparkcae's exit code in the provider's failure message: the Kubernetes driver container's exit code when
    it reports one (cluster mode on Kubernetes), else spark-submit's own exit code; None when neither is there."""
    for pattern in (_K8S_EXIT_CODE, _SUBMIT_EXIT_CODE):
        match = pattern.search(message)
        if match and int(match.group(1)) != 0:
            return int(match.group(1))
    return None


def retryable(code: int | None) -> bool:
    return code not in NO_RETRY_EXIT_CODES


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
    from airflow.exceptions import AirflowFailException
    from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
except ImportError:
    DAG = None
    SparkSubmitOperator = None

if DAG is not None and SparkSubmitOperator is not None:

    class SparkCaeSubmitOperator(SparkSubmitOperator):
        """A sparkcae stage: resolves the Spark settings when it runs, and turns exit codes 2 and 3 into a
        failure without retry (AirflowFailException); any other failure stays retryable."""

        def execute(self, context):
            try:
                resolved = spark_conf()
            except SettingError as e:
                raise AirflowFailException(f"sparkcae: error: {e}") from None
            # settings given to the operator itself win over the resolved ones
            self.conf = {**resolved, **(self.conf or {})}
            args = self.application_args or []
            if args and args[0] == "prep" and "--data" not in args:
                self.log.warning("prep reads the configuration's data.input, the same every day: set SPARKCAE_DATA"
                                 " (it may hold {{ ds }}) or SPARKCAE_DATA_ROOT to read each day's data")
            try:
                return super().execute(context)
            except AirflowFailException:
                raise
            except Exception as e:
                code = exit_code_of(str(e))
                if not retryable(code):
                    raise AirflowFailException(
                        f"sparkcae exited with {code} ({NO_RETRY_EXIT_CODES[code]}): not retried, another attempt"
                        " would fail the same way; the 'sparkcae: error:' line above says what to fix") from e
                raise

    def build_dag():
        with DAG(
            dag_id="sparkcae",
            description="Convolutional autoencoder on Spark: " + " -> ".join(stages()),
            schedule="@daily",
            start_date=datetime(2026, 11, 1),
            catchup=False,
            max_active_runs=1,
            default_args=DEFAULT_ARGS,
            tags=["sparkcae", "spark"],
        ) as built:
            previous = None
            for stage, args in zip(stages(), stage_commands(RUN_DATE_TEMPLATE)):
                task = SparkCaeSubmitOperator(
                    task_id=stage,
                    conn_id=_env("SPARKCAE_SPARK_CONN_ID", "spark_default"),
                    deploy_mode=deploy_mode(),
                    application=app_jar(),
                    java_class=MAIN_CLASS,
                    name=f"sparkcae-{stage}-{RUN_DATE_TEMPLATE}",
                    application_args=args,
                    files=",".join(spark_files()),
                    verbose=False,
                    execution_timeout=timedelta(hours=6),
                )
                if previous is not None:
                    previous >> task
                previous = task
        return built

    dag = build_dag()
