from typing import Any

from alembic.config import Config
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

class Migrate:
    def __init__(
        self, app: Flask | None = ..., db: SQLAlchemy | None = ..., directory: str = ..., **kwargs: Any
    ) -> None: ...
    def init_app(self, app: Flask, db: SQLAlchemy | None = ..., directory: str | None = ..., **kwargs: Any) -> None: ...
    def get_config(self, directory: str | None = ..., x_arg: Any = ..., opts: Any = ...) -> Config: ...
