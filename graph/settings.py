"""One settings object for the whole service, read from ``ROLEGRAPH_*`` environment variables.

>>> s = Settings(data_dir="/tmp/rg-example")
>>> s.store_path.name
'store'
>>> s.base_iri
'https://rolegraph.example/'
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The repository root: ontology/ and data/ sit beside the packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_data_dir() -> Path:
    return PROJECT_ROOT / "var"


class Settings(BaseSettings):
    """Configuration, validated once at start-up."""

    model_config = SettingsConfigDict(env_prefix="ROLEGRAPH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Where the persistent store lives.")
    base_iri: str = Field(
        default="https://rolegraph.example/",
        description="Every instance IRI (roles, tools, skills, ...) is minted under this base.",
    )
    ontology_dir: Path = Field(default=PROJECT_ROOT / "ontology", description="rolegraph.ttl and shapes.ttl.")
    vocabulary_dir: Path = Field(default=PROJECT_ROOT / "data" / "vocabulary", description="Curated YAML.")
    roles_dir: Path = Field(default=PROJECT_ROOT / "data" / "roles", description="Seed role documents.")
    store_url: str | None = Field(
        default=None, description="A SPARQL 1.1 query endpoint to use instead of the embedded store."
    )
    store_update_url: str | None = Field(default=None, description="Its update endpoint (default: .../update).")
    store_user: str | None = None
    store_password: SecretStr | None = None
    store_token: SecretStr | None = Field(default=None, description="Bearer token for the remote store.")
    store_timeout: float = Field(default=30.0, gt=0, description="Seconds to wait for the remote store.")
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(default=10.0, gt=0, description="Seconds a SPARQL query may run.")
    max_rows: int = Field(default=10_000, gt=0, description="Rows a SPARQL SELECT may return.")
    allow_service: bool = Field(default=False, description="Allow SPARQL SERVICE to remote endpoints.")
    api_token: SecretStr | None = Field(
        default=None, description="Bearer token that writes need; with none set, writes are off."
    )
    max_document_bytes: int = Field(default=1_000_000, gt=0, description="Largest role document accepted.")
    max_update_bytes: int = Field(default=10_000_000, gt=0, description="Largest update or graph upload.")
    sparql_workers: int = Field(
        default=2, ge=1, le=32, description="Worker processes answering /sparql: the concurrent query slots."
    )
    queue_timeout: float = Field(default=2.0, gt=0, description="Seconds a query may wait for a free slot.")
    max_query_length: int = Field(default=100_000, gt=0, description="Longest SPARQL query text accepted.")
    worker_load_timeout: float = Field(default=120.0, gt=0, description="Seconds a worker may take to load.")

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_iri must be an http(s) IRI")
        return value if value.endswith("/") else value + "/"

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store"
