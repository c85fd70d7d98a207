"""Read side of the verification page: a version by its code, its siblings, the
document's identity and whether the stored record still matches the sealed hash."""

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from app.records import services
from app.records.models import DocumentKind, DocumentVersion


@dataclass
class Verification:
    version: DocumentVersion
    versions: list[DocumentVersion]
    cell: OrgUnit
    current: DocumentVersion | None
    superseded_by: DocumentVersion | None
    intact: bool | None  # the stored record still hashes to the current version's seal


def _stored_content(version: DocumentVersion) -> dict | None:
    if version.kind == DocumentKind.minutes:
        return services.minutes_contents([version.document_id]).get(version.document_id)
    from app.resolutions.models import Resolution

    resolution = db.session.get(Resolution, version.document_id)
    return services.resolution_content(resolution) if resolution is not None else None


def verification(code: str) -> Verification | None:
    version = db.session.scalars(select(DocumentVersion).where(DocumentVersion.code == code)).first()
    if version is None:
        return None
    versions = services.versions_of(DocumentKind(version.kind), version.document_id)
    current = next((v for v in reversed(versions) if v.is_current), None)
    later = [v for v in versions if v.version > version.version]
    intact = None
    if version.is_current:
        content = _stored_content(version)
        intact = content is not None and services.digest(content, version.version) == version.content_hash
    return Verification(
        version=version,
        versions=versions,
        cell=db.session.get(OrgUnit, version.cell_id),
        current=current,
        superseded_by=later[0] if later else None,
        intact=intact,
    )
