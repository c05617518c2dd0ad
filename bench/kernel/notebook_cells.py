"""The 20 cells of the nbclient benchmark notebook: the same TypeScript for statarb and tslab, the
same work in Python for ipykernel (declarations, a class, a loop, await, stdout, values)."""

TYPESCRIPT_CELLS = [
    "const n = 1000;",
    "function fib(k: number): number { return k < 2 ? k : fib(k - 1) + fib(k - 2); }",
    "fib(20)",
    "const xs = Array.from({ length: n }, (_, i) => Math.sin(i));",
    "const mean = xs.reduce((a, b) => a + b, 0) / xs.length;\nmean",
    'console.log("mean", mean.toFixed(6));',
    "interface Quote { sym: string; px: number }",
    'const quotes: Quote[] = [{ sym: "KO", px: 60.1 }, { sym: "PEP", px: 170.2 }];',
    'quotes.map((q) => q.sym).join(",")',
    "class Ewma {\n  value = 0;\n  constructor(readonly alpha: number) {}\n  push(x: number): number { this.value = this.alpha * x + (1 - this.alpha) * this.value; return this.value; }\n}",
    "const e = new Ewma(0.1);\nfor (const x of xs) e.push(x);\ne.value",
    "const m = new Map<string, number>(quotes.map((q) => [q.sym, q.px]));",
    'm.get("KO")',
    "const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));",
    'await sleep(1);\n"slept"',
    "let total = 0;\nfor (let i = 0; i < 100000; i++) total += i;\ntotal",
    "const typed = new Float64Array(xs);",
    "typed.length",
    # no `{ n }` shorthand: tslab loses shorthand properties across cells (a bug the issue names)
    "JSON.stringify({ n: n, mean: Number(mean.toFixed(3)) })",
    'console.log("done");',
]

PYTHON_CELLS = [
    "n = 1000",
    "def fib(k):\n    return k if k < 2 else fib(k - 1) + fib(k - 2)",
    "fib(20)",
    "import math\nxs = [math.sin(i) for i in range(n)]",
    "mean = sum(xs) / len(xs)\nmean",
    'print("mean", f"{mean:.6f}")',
    "from dataclasses import dataclass\n@dataclass\nclass Quote:\n    sym: str\n    px: float",
    'quotes = [Quote("KO", 60.1), Quote("PEP", 170.2)]',
    '",".join(q.sym for q in quotes)',
    "class Ewma:\n    def __init__(self, alpha):\n        self.alpha, self.value = alpha, 0.0\n    def push(self, x):\n        self.value = self.alpha * x + (1 - self.alpha) * self.value\n        return self.value",
    "e = Ewma(0.1)\nfor x in xs:\n    e.push(x)\ne.value",
    "m = {q.sym: q.px for q in quotes}",
    'm.get("KO")',
    "import asyncio\nsleep = asyncio.sleep",
    'await sleep(0.001)\n"slept"',
    "total = 0\nfor i in range(100000):\n    total += i\ntotal",
    "from array import array\ntyped = array('d', xs)",
    "len(typed)",
    "import json\njson.dumps({'n': n, 'mean': round(mean, 3)})",
    'print("done")',
]

assert len(TYPESCRIPT_CELLS) == 20 and len(PYTHON_CELLS) == 20
