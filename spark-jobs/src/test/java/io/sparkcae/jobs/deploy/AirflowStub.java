package io.sparkcae.jobs.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in Airflow for {@link AirflowDagTest} (Airflow is not packaged here): the few classes the DAG module
 * imports, written as a Python package, plus a stand-in {@code spark-submit} on the PATH.
 * <ul>
 *   <li>{@code SparkSubmitOperator}/{@code SparkSubmitHook} take the provider's arguments (an unknown one is a
 *   TypeError, as the real BaseOperator refuses it), build the provider's spark-submit command line and fail
 *   with the provider's messages ({@code Error code is: N}; on Kubernetes in cluster mode also
 *   {@code Kubernetes spark exit code is: N}, read from spark-submit's {@code Exit code:} line).</li>
 *   <li>{@code run_task.py STAGE DS} runs one task as a scheduler would: templated fields rendered with Jinja2
 *   for the date, tries until success, until an {@code AirflowFailException}, or until retries run out;
 *   it prints {@code RESULT <json>} with the final state and the number of tries.</li>
 *   <li>{@code bin/spark-submit} records each call's arguments (one per line) in {@code $STUB_SPARK_CALLS}
 *   and exits with {@code $STUB_SPARK_EXIT}; with {@code STUB_SPARK_MASTER=k8s://...} and cluster mode it
 *   exits 0 and prints the driver's exit code, as spark-submit on Kubernetes does.</li>
 * </ul>
 */
final class AirflowStub {
    private AirflowStub() {
    }

    /** Writes the stub package under {@code dir} and the stand-in spark-submit under {@code dir/bin}. */
    static void write(Path dir) throws IOException {
        write(dir.resolve("airflow/__init__.py"), """
                class DAG:
                    current = None
                    def __init__(self, dag_id, **kwargs):
                        self.dag_id, self.kwargs, self.tasks = dag_id, kwargs, []
                    def __enter__(self):
                        DAG.current = self
                        return self
                    def __exit__(self, *exc):
                        DAG.current = None
                """);
        write(dir.resolve("airflow/exceptions.py"), """
                class AirflowException(Exception):
                    pass
                class AirflowFailException(AirflowException):
                    pass
                """);
        for (String pkg : new String[]{"providers", "providers/apache", "providers/apache/spark",
                "providers/apache/spark/operators", "providers/apache/spark/hooks"}) {
            write(dir.resolve("airflow/" + pkg + "/__init__.py"), "");
        }
        write(dir.resolve("airflow/providers/apache/spark/hooks/spark_submit.py"), """
                import os, re, subprocess
                from airflow.exceptions import AirflowException

                class SparkSubmitHook:
                    def __init__(self, conf=None, conn_id="spark_default", files=None, java_class=None,
                                 name="default-name", application_args=None, properties_file=None,
                                 deploy_mode=None, verbose=False):
                        self._conf, self._files, self._java_class, self._name = conf or {}, files, java_class, name
                        self._application_args, self._properties_file = application_args, properties_file
                        # the connection: its master, and its deploy-mode extra unless the operator sets one
                        master = os.environ.get("STUB_SPARK_MASTER", "yarn")
                        self._connection = {"master": master,
                                            "deploy_mode": deploy_mode or os.environ.get("STUB_CONN_DEPLOY_MODE")}
                        self._is_kubernetes = "k8s" in master
                        self._spark_exit_code = None

                    def submit(self, application=""):
                        cmd = ["spark-submit", "--master", self._connection["master"]]
                        for key in self._conf:
                            cmd += ["--conf", f"{key}={self._conf[key]}"]
                        if self._properties_file:
                            cmd += ["--properties-file", self._properties_file]
                        if self._files:
                            cmd += ["--files", self._files]
                        if self._name:
                            cmd += ["--name", self._name]
                        if self._java_class:
                            cmd += ["--class", self._java_class]
                        if self._connection["deploy_mode"]:
                            cmd += ["--deploy-mode", self._connection["deploy_mode"]]
                        cmd += [application] + list(self._application_args or [])
                        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                        for line in proc.stdout:
                            if self._is_kubernetes:
                                if self._connection["deploy_mode"] == "cluster":
                                    match = re.search(r"\\s*[eE]xit code: (\\d+)", line)
                                    if match:
                                        self._spark_exit_code = int(match.group(1))
                                else:
                                    self._spark_exit_code = 0
                        returncode = proc.wait()
                        if returncode or (self._is_kubernetes and self._spark_exit_code != 0):
                            if self._is_kubernetes:
                                raise AirflowException(f"Cannot execute: {' '.join(cmd)}. Error code is: {returncode}. "
                                                       f"Kubernetes spark exit code is: {self._spark_exit_code}")
                            raise AirflowException(f"Cannot execute: {' '.join(cmd)}. Error code is: {returncode}.")
                """);
        write(dir.resolve("airflow/providers/apache/spark/operators/spark_submit.py"), """
                import copy, logging
                import jinja2
                from airflow import DAG
                from airflow.providers.apache.spark.hooks.spark_submit import SparkSubmitHook

                def _render(value, context):
                    if isinstance(value, str):
                        return jinja2.Template(value).render(**context)
                    if isinstance(value, list):
                        return [_render(v, context) for v in value]
                    if isinstance(value, dict):
                        return {k: _render(v, context) for k, v in value.items()}
                    return value

                class SparkSubmitOperator:
                    template_fields = ("application", "conf", "files", "name", "application_args", "properties_file")

                    def __init__(self, *, task_id, application="", conf=None, conn_id="spark_default", files=None,
                                 java_class=None, name="arrow-spark", application_args=None, properties_file=None,
                                 deploy_mode=None, verbose=False, retries=None, execution_timeout=None):
                        self.task_id, self.application, self.conf, self.files = task_id, application, conf, files
                        self.name, self.application_args, self.properties_file = name, application_args, properties_file
                        self._conn_id, self._java_class, self._deploy_mode = conn_id, java_class, deploy_mode
                        self.retries = retries if retries is not None else DAG.current.kwargs["default_args"]["retries"]
                        self.downstream = []
                        self.log = logging.getLogger("airflow.task")
                        DAG.current.tasks.append(self)

                    def __rshift__(self, other):
                        self.downstream.append(other.task_id)
                        return other

                    def execute(self, context):
                        self._hook = SparkSubmitHook(conf=self.conf, conn_id=self._conn_id, files=self.files,
                                                     java_class=self._java_class, name=self.name,
                                                     application_args=self.application_args,
                                                     properties_file=self.properties_file, deploy_mode=self._deploy_mode)
                        self._hook.submit(self.application)

                    def run_attempt(self, context):
                        # one try as a worker runs it: a copy of the task, its templated fields rendered
                        task = copy.copy(self)
                        for field in self.template_fields:
                            setattr(task, field, _render(getattr(self, field), context))
                        task.execute(context)
                """);
        write(dir.resolve("run_task.py"), """
                import json, sys
                from airflow.exceptions import AirflowFailException
                import sparkcae_dag

                stage, ds = sys.argv[1], sys.argv[2]
                task = next(t for t in sparkcae_dag.dag.tasks if t.task_id == stage)
                tries, state, errors = 0, None, []
                while state is None:
                    tries += 1
                    try:
                        task.run_attempt({"ds": ds})
                        state = "success"
                    except AirflowFailException as e:
                        state, errors = "failed", errors + ["no retry: " + str(e)]
                    except Exception as e:
                        errors.append("retryable: " + str(e))
                        if tries > task.retries:
                            state = "failed"
                print("RESULT " + json.dumps({"state": state, "tries": tries, "retries": task.retries, "errors": errors}))
                """);
        Path submit = dir.resolve("bin/spark-submit");
        write(submit, """
                #!/usr/bin/env bash
                n=$(find "$STUB_SPARK_CALLS" -type f | wc -l)
                printf '%s\\n' "$@" > "$STUB_SPARK_CALLS/call-$n"
                code=${STUB_SPARK_EXIT:-0}
                if [[ "$code" != 0 ]]; then echo "sparkcae: error: stand-in failure, exit $code" >&2; fi
                if [[ "${STUB_SPARK_MASTER:-}" == k8s* && " $* " == *" --deploy-mode cluster "* ]]; then
                  # cluster mode on Kubernetes: spark-submit ends 0 and reports the driver container's exit code
                  echo "Container name: spark-kubernetes-driver"
                  echo "Exit code: $code"
                  exit 0
                fi
                exit "$code"
                """);
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
