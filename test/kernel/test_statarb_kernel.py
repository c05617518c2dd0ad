"""jupyter_kernel_test (0.7.0) conformance suite for the statarb TypeScript kernel, every test the
package offers enabled. Run by test/kernel/jupyter-kernel-test.test.ts:

    .venv/bin/python -m unittest discover -s test/kernel -p test_statarb_kernel.py -v

The kernelspec `statarb` must be installed where this Python's Jupyter finds it (scripts/setup:
`node bin/statarb.js kernel install --prefix .venv`).
"""
from __future__ import annotations

import functools
import unittest

import jupyter_kernel_test as jkt


class StatarbKernelTests(jkt.KernelTests):
    kernel_name = "statarb"

    # kernel_info_reply.language_info
    language_name = "typescript"
    file_extension = ".ts"

    # stream output
    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("statarb: to stderr")'

    # complete_request at the end of each text; matches compared as sets
    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "[0.1, 0.2].inclu", "matches": {"includes"}},
        {"text": "const zetaFactor = 1.5;\nzetaFa", "matches": {"zetaFactor"}},
        {"text": 'const s = "📈"; s.toUpperC', "matches": {"toUpperCase"}},
        {"text": 'import { sharpeRatio } from "statarb";\nsharpeRa', "matches": {"sharpeRatio"}},
        {"text": 'import { Panel } from "statarb";\nPanel.fromCol', "matches": {"fromColumns"}},
    ]

    # is_complete_request
    complete_code_samples = [
        "1 + 1",
        "const lookback = 60;",
        "function f(x: number): number {\n  return x * 2;\n}",
        "const p = await Promise.resolve(1);",
        "%time 1 + 1",
        "%%sh\necho hello",
    ]
    incomplete_code_samples = [
        "function f(x: number) {",
        "const weights = [0.5,",
        "if (true) {\n  console.log(1);",
        "const s = `unterminated",
        "interface Quote {",
    ]
    invalid_code_samples = [
        "}",
        "const a = (1];",
        "[1, 2)",
    ]

    # `?name` pages the inspection of `name` (execute_reply payload with source "page")
    code_page_something = "?Math.max"

    # an error: status error and exactly one iopub output, the error message
    code_generate_error = 'throw new Error("statarb: boom")'

    # execute_result of the last expression, text/plain unless given
    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "const total = 1 + 2;\ntotal", "result": "3"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": '"stat" + "arb"', "result": "'statarb'"},
        {"code": "await Promise.resolve(true)", "result": "true"},
        {
            "code": 'import { Panel } from "statarb";\nPanel.fromColumns(["2024-01-02", "2024-01-03"], { KO: [60.1, 60.4] })',
            "mime": "text/html",
        },
    ]

    # display_data from the `display` global
    code_display_data = [
        {"code": 'display.html("<b>statarb</b>")', "mime": "text/html"},
        {"code": 'display.svg(\'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\')', "mime": "image/svg+xml"},
        {"code": 'display.markdown("**statarb**")', "mime": "text/markdown"},
        {"code": "display.json({ lookback: 60 })", "mime": "application/json"},
    ]

    # history_request; the pattern is a glob (as in IPython) matching a code_execute_result sample
    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6*7"

    # inspect_request at the end of the sample
    code_inspect_sample = 'import { sharpeRatio } from "statarb";\nsharpeRatio'

    # clear_output
    code_clear_output = 'console.log("soon gone");\ndisplay.clear()'


class StatarbIopubWelcomeTests(jkt.IopubWelcomeTests):
    """JEP 65: an XPUB iopub socket greets each new subscriber with iopub_welcome."""

    kernel_name = "statarb"
    support_iopub_welcome = True

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # The package's test waits on iopub with no timeout: a kernel that never sends the welcome
        # would hang the whole suite instead of failing this test.
        wait = cls.kc.get_iopub_msg
        cls.kc.get_iopub_msg = functools.partial(wait, timeout=jkt.TIMEOUT)  # type: ignore[method-assign]


if __name__ == "__main__":
    unittest.main(verbosity=2)
