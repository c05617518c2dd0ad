"""Python parameter values → TypeScript declarations for the statarb kernel.

The statarb kernel lets a later cell declare a name again, so the injected cell simply redeclares
the defaults of the cell tagged ``parameters`` with ``let``; values become TypeScript literals
(JSON with ``NaN``/``Infinity`` and ``null``).
"""
import json
import math
import re

from papermill.translators import Translator, papermill_translators

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_DECLARATION = re.compile(r"^\s*(?:export\s+)?(?:let|const|var)\s+([A-Za-z_$][A-Za-z0-9_$]*)\s*(?::\s*([^=]+?))?\s*=\s*(.+?);?\s*(?://\s*(.*))?$")


class TypeScriptTranslator(Translator):
    @classmethod
    def translate_raw_str(cls, val):
        return val

    @classmethod
    def translate_escaped_str(cls, str_val):
        return json.dumps(str(str_val))

    @classmethod
    def translate_str(cls, val):
        # `papermill -p universe '["KO","PEP"]'` hands over a string: JSON lists and objects become
        # TypeScript arrays and objects (other strings stay strings; use -r for a raw string).
        text = str(val).strip()
        if text[:1] in ("[", "{"):
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if isinstance(parsed, (list, dict)):
                return cls.translate(parsed)
        return cls.translate_escaped_str(val)

    @classmethod
    def translate_none(cls, val):
        return "null"

    @classmethod
    def translate_int(cls, val):
        return str(val)

    @classmethod
    def translate_float(cls, val):
        if math.isnan(val):
            return "NaN"
        if math.isinf(val):
            return "Infinity" if val > 0 else "-Infinity"
        return repr(val)

    @classmethod
    def translate_bool(cls, val):
        return "true" if val else "false"

    @classmethod
    def translate_dict(cls, val):
        items = ", ".join(f"{cls._key(k)}: {cls.translate(v)}" for k, v in val.items())
        return "{" + items + "}"

    @classmethod
    def translate_list(cls, val):
        return "[" + ", ".join(cls.translate(v) for v in val) + "]"

    @classmethod
    def _key(cls, key):
        key = str(key)
        return key if _IDENTIFIER.match(key) else json.dumps(key)

    @classmethod
    def comment(cls, cmt_str):
        return f"// {cmt_str}".strip()

    @classmethod
    def assign(cls, name, str_val):
        if not _IDENTIFIER.match(str(name)):
            raise ValueError(f"parameter name {name!r} is not a TypeScript identifier")
        return f"let {name} = {str_val};"

    @classmethod
    def inspect(cls, parameters_cell):
        """The parameters declared in a ``parameters`` cell (for ``papermill --help-notebook``)."""
        from papermill.models import Parameter

        params = []
        for line in parameters_cell.source.splitlines():
            m = _DECLARATION.match(line)
            if m:
                name, typing, default, help_text = m.groups()
                default = default.strip()
                params.append(Parameter(name=name, inferred_type_name=(typing or _literal_type(default)).strip(), default=default, help=(help_text or "").strip()))
        return params


def _literal_type(text):
    """The TypeScript type of a literal default (``None`` when it is not a plain literal)."""
    if re.match(r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^(NaN|-?Infinity)$", text):
        return "number"
    if text[:1] in ("'", '"', "`"):
        return "string"
    if text in ("true", "false"):
        return "boolean"
    if text == "null":
        return "null"
    if text.startswith("["):
        return "array"
    if text.startswith("{"):
        return "object"
    return "None"


def register():
    """Registers the translator for the statarb kernel and for any TypeScript kernel."""
    papermill_translators.register("statarb", TypeScriptTranslator)
    papermill_translators.register("typescript", TypeScriptTranslator)


register()
