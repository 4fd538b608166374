from __future__ import annotations

from ninja import Field

from renrentong.core.schemas import Schema


class StoredFileOut(Schema):
    id: int
    name: str = Field(description="The cleaned name; its extension follows the type found in the content")
    kind: str = Field(description="image | document")
    size: int = Field(description="Bytes kept (an image over 4 MB was re-encoded smaller)")
    content_type: str
    width: int | None = None
    height: int | None = None
    url: str = Field(description="A signed link only this account can open, valid 15 minutes")
    thumbnail_url: str | None = Field(None, description="For images: a 320 px JPEG, signed like url")
