"""Checks Peppol BIS Billing 3.0 files (UBL Invoice or CreditNote) the way an access point would.

A test harness, not product code. For each file:
  1. XML Schema: the OASIS UBL 2.1 schema of the document's root (Invoice or CreditNote), with lxml;
  2. the official rule sets, compiled Schematron, with Saxon-HE: CEN-EN16931-UBL.xsl (EN 16931) and
     PEPPOL-EN16931-UBL.xsl (Peppol BIS 3, with the Swedish national rules SE-R-*);
  3. one check of our own that the rule sets leave out: every identifier with scheme 0007 (Swedish
     organisation number) has a valid Luhn check digit (FINSAM-0007-LUHN).

Usage: peppol_validate.py TOOLS_DIR [--json] FILE...
Prints one line per finding (or a JSON object per file with --json) and exits 1 when any file has a schema
error or a fatal rule failure.
"""
import json
import os
import sys

from lxml import etree
from saxonche import PySaxonProcessor

UBL = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice": "UBL-Invoice-2.1.xsd",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote": "UBL-CreditNote-2.1.xsd",
}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


def luhn_valid(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def check_file(path, schemas, stylesheets):
    result = {"file": path, "schemaErrors": [], "fatal": [], "warnings": []}
    try:
        document = etree.parse(path)
    except etree.XMLSyntaxError as error:
        result["schemaErrors"].append(f"not well-formed XML: {error}")
        return result
    root = document.getroot().tag
    if root not in UBL:
        result["schemaErrors"].append(f"root element {root} is neither a UBL Invoice nor a UBL CreditNote")
        return result
    schema = schemas[root]
    if not schema.validate(document):
        for error in schema.error_log:
            result["schemaErrors"].append(f"line {error.line}: {error.message}")
    for name, executable in stylesheets:
        svrl = etree.fromstring(executable.transform_to_string(source_file=os.path.abspath(path)).encode("utf-8"))
        for failed in svrl.iter(SVRL + "failed-assert"):
            text = " ".join("".join(failed.find(SVRL + "text").itertext()).split())
            finding = {"ruleSet": name, "id": failed.get("id"), "location": failed.get("location"), "text": text}
            (result["fatal"] if failed.get("flag") == "fatal" else result["warnings"]).append(finding)
    for identifier in document.iter():
        if identifier.get("schemeID") == "0007" and identifier.tag.startswith("{" + CBC + "}"):
            value = (identifier.text or "").strip()
            if not (value.isdigit() and len(value) == 10 and luhn_valid(value)):
                result["fatal"].append({
                    "ruleSet": "finsam", "id": "FINSAM-0007-LUHN", "location": document.getpath(identifier),
                    "text": f"Swedish organisation number {value!r} (scheme 0007) fails its Luhn check digit"})
    return result


def main():
    arguments = sys.argv[1:]
    if len(arguments) < 2:
        sys.exit(__doc__)
    tools = arguments.pop(0)
    as_json = "--json" in arguments
    files = [a for a in arguments if a != "--json"]
    schemas = {
        root: etree.XMLSchema(etree.parse(os.path.join(tools, "xsd", "maindoc", xsd))) for root, xsd in UBL.items()
    }
    results = []
    with PySaxonProcessor(license=False) as processor:
        compiler = processor.new_xslt30_processor()
        stylesheets = [
            (name, compiler.compile_stylesheet(stylesheet_file=os.path.join(tools, "rules", name + ".xsl")))
            for name in ("CEN-EN16931-UBL", "PEPPOL-EN16931-UBL")
        ]
        for path in files:
            results.append(check_file(path, schemas, stylesheets))
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
    else:
        for r in results:
            for e in r["schemaErrors"]:
                print(f"{r['file']}: schema: {e}")
            for kind in ("fatal", "warnings"):
                for f in r[kind]:
                    print(f"{r['file']}: {kind} {f['id']} ({f['ruleSet']}) at {f['location']}: {f['text']}")
            if not (r["schemaErrors"] or r["fatal"] or r["warnings"]):
                print(f"{r['file']}: valid (UBL 2.1 schema, EN 16931, Peppol BIS 3)")
    sys.exit(1 if any(r["schemaErrors"] or r["fatal"] for r in results) else 0)


if __name__ == "__main__":
    main()
