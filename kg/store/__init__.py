"""The project file: one SQLite database per project (see `kg.store.project`)."""

from kg.store.file import ProjectError
from kg.store.project import Project

__all__ = ["Project", "ProjectError"]
