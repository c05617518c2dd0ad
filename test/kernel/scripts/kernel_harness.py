"""The one jupyter_client harness of the kernel checks (test/kernel/scripts/*_checks.py): starts the
statarb kernel with its stderr in a temporary log, waits for it, and collects what a request produces
on iopub and shell. Each check script drives it and prints its observations as JSON for its test."""
import json
import os
import sys
import tempfile
import time

from jupyter_client.manager import KernelManager

OUTPUT_TYPES = ("stream", "execute_result", "error", "display_data")


class Kernel:
    """A started statarb kernel and a client with its channels open."""

    def __init__(self, ready_timeout=60, env=None, log_stdout=False, stderr=None):
        """`stderr` replaces the temporary log (e.g. subprocess.DEVNULL); `log_stdout` logs stdout too."""
        self.log = None if stderr is not None else tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.km = KernelManager(kernel_name="statarb")
        kw = {"stderr": stderr if stderr is not None else self.log}
        if log_stdout:
            kw["stdout"] = self.log
        if env is not None:
            kw["env"] = env
        self.km.start_kernel(**kw)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=ready_timeout)

    def reply_to(self, msg_id, timeout, get=None):
        """The reply to msg_id on shell (or from `get`, e.g. kc.get_control_msg). Replies to other requests
        are skipped: wait_for_ready sends a kernel_info_request every second until one is answered, so a
        kernel that starts slowly on a loaded machine leaves extra kernel_info_replies queued."""
        get = get or self.kc.get_shell_msg
        deadline = time.time() + timeout
        while True:
            m = get(timeout=max(0.01, deadline - time.time()))
            if m["parent_header"].get("msg_id") == msg_id:
                return m

    def iopub(self, msg_id, timeout=60, poll=0.1, stdin_value=None):
        """The iopub messages whose parent is msg_id, up to and including its idle status (or until
        `timeout`). With `stdin_value`, input requests on stdin are answered with it meanwhile; their
        contents are returned as the second value."""
        msgs, prompts = [], []
        deadline = time.time() + timeout
        while time.time() < deadline:
            if stdin_value is not None:
                try:
                    m = self.kc.get_stdin_msg(timeout=0.02)
                    prompts.append(m["content"])
                    self.kc.input(stdin_value)
                except Exception:
                    pass
            try:
                m = self.kc.get_iopub_msg(timeout=poll)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            msgs.append(m)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        return (msgs, prompts) if stdin_value is not None else msgs

    def outputs(self, msg_id, timeout=60, types=OUTPUT_TYPES, poll=0.1):
        """The outputs of msg_id (iopub messages of `types`) as {"type": msg_type, **content}."""
        return [{"type": m["msg_type"], **m["content"]} for m in self.iopub(msg_id, timeout, poll) if m["msg_type"] in types]

    def messages(self, msg_id, timeout=60):
        """Every iopub message of msg_id but its status messages, as {"type", "content", "metadata"}."""
        return [{"type": m["msg_type"], "content": m["content"], "metadata": m["metadata"]} for m in self.iopub(msg_id, timeout) if m["msg_type"] != "status"]

    def send(self, msg_type, content, channel="shell"):
        """Sends a message built by the client's session; returns its msg_id."""
        msg = self.kc.session.msg(msg_type, content)
        (self.kc.control_channel if channel == "control" else self.kc.shell_channel).send(msg)
        return msg["header"]["msg_id"]

    def log_text(self, last=None):
        if self.log is None:
            return ""
        self.log.flush()
        self.log.seek(0)
        text = self.log.read()
        return text if last is None else text[-last:]

    def close(self, now=True):
        """Stops the channels and the kernel (at once, or with a shutdown_request when `now` is false)."""
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=now)

    def remove_log(self):
        if self.log is not None:
            os.unlink(self.log.name)


def result_text(outputs):
    """The text/plain of the execute_result among `outputs` (None when there is none)."""
    for o in outputs:
        if o["type"] == "execute_result":
            return o["data"]["text/plain"]
    return None


def emit(out):
    """Prints the observations as JSON on stdout (what pythonJson in test/kernel/helpers.ts reads).
    The kernel (Node) shares this stdout pipe and makes it non-blocking; a large write could then stop
    short with EAGAIN (seen: the JSON cut at a few kB under vitest), so it is made blocking again first."""
    os.set_blocking(sys.stdout.fileno(), True)
    sys.stdout.write(json.dumps(out))
    sys.stdout.flush()
