# The part of django-treebeard's materialised-path API that LAPOR uses (see models.pyi).
from typing import ClassVar, Self, TypeVar

from django.db import models
from treebeard.models import Node, NodeManager

_N = TypeVar("_N", bound=MP_Node)

class MP_NodeQuerySet(models.QuerySet[_N]): ...

class MP_NodeManager(NodeManager[_N]):
    def get_queryset(self) -> MP_NodeQuerySet[_N]: ...

class MP_Node(Node):
    steplen: ClassVar[int]
    alphabet: ClassVar[str]
    node_order_by: ClassVar[list[str]]
    path = models.CharField(max_length=255, unique=True)
    depth = models.PositiveIntegerField()
    numchild = models.PositiveIntegerField(default=0)
    objects: ClassVar[MP_NodeManager[Self]]

    @classmethod
    def _int2str(cls, num: int) -> str: ...
    @classmethod
    def _str2int(cls, num: str) -> int: ...
    @classmethod
    def _get_basepath(cls, path: str, depth: int) -> str: ...
    @classmethod
    def _get_path(cls, path: str | None, depth: int, newstep: int) -> str: ...
    @classmethod
    def _get_parent_path_from_path(cls, path: str) -> str: ...
    @classmethod
    def _get_children_path_interval(cls, path: str) -> tuple[str, str]: ...
    def _inc_path(self) -> str: ...
    class Meta:
        abstract = True
