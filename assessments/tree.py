"""The shape of a criteria set: its checks, and the tree built from one read of its nodes.

The parent of a node is read from its code ("1.2" is the parent of "1.2.3"), so a set is typed, imported or
copied as a flat list of nodes; ``tree_errors`` checks such a list before anything is saved.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.lib.numbers import format_score

from .models import CriteriaSet, Criterion, GradeBand, Method, ScoreBand, parent_code, sort_key


@dataclass(frozen=True)
class TreeError:
    code: str | None  # the node the error is about
    field: str | None  # "code", "max_points", "method", "source"
    message: str


def tree_errors(nodes):
    """What is wrong with a set given as nodes (anything with ``code``, ``max_points``, ``method``, ``source``).

    A code twice, a code whose parent is missing, a parent whose maximum is not the sum of its children's, a
    computed leaf that does not say what it is computed from. Empty when the set is sound.
    """
    errors = []
    by_code = {}
    for node in nodes:
        if node.code in by_code:
            errors.append(TreeError(node.code, "code", _("The code %(code)s appears twice.") % {"code": node.code}))
        by_code[node.code] = node
    children = {}
    for node in nodes:
        parent = parent_code(node.code)
        if parent is None:
            continue
        if parent not in by_code:
            errors.append(
                TreeError(
                    node.code,
                    "code",
                    _("%(code)s sits under %(parent)s, which is not in the set.")
                    % {"code": node.code, "parent": parent},
                )
            )
        children.setdefault(parent, []).append(node)
    for code, node in by_code.items():
        below = children.get(code)
        if below:
            total = sum((child.max_points or Decimal(0)) for child in below)
            if node.max_points != total:
                errors.append(
                    TreeError(
                        code,
                        "max_points",
                        _("The maximum of %(code)s (%(max)s) is not the sum of its sub-criteria's maxima (%(sum)s).")
                        % {"code": code, "max": _shown(node.max_points), "sum": _shown(total)},
                    )
                )
        elif node.method == Method.COMPUTED and not node.source:
            errors.append(
                TreeError(
                    code,
                    "source",
                    _("The computed criterion %(code)s does not say which figures it is computed from.")
                    % {"code": code},
                )
            )
    return errors


def _shown(value):
    return format_score(value)


@dataclass
class Node:
    """A criterion with its children, as pages show the tree."""

    criterion: Criterion
    depth: int
    children: list = field(default_factory=list)

    @property
    def is_leaf(self):
        return not self.children

    def leaves(self):
        if self.is_leaf:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


class Tree:
    """A criteria set's nodes read once (ordered as printed), with their parents and leaves."""

    def __init__(self, criteria):
        criteria = sorted(criteria, key=lambda criterion: criterion.sort_key)
        self.nodes = {}
        self.roots = []
        for criterion in criteria:
            parent = self.nodes.get(parent_code(criterion.code))
            node = Node(criterion, parent.depth + 1 if parent else 0)
            self.nodes[criterion.code] = node
            (parent.children if parent else self.roots).append(node)

    @classmethod
    def of(cls, criteria_set):
        return cls(criteria_set.criteria.all())

    def in_order(self):
        """Every node, depth first, as the decision prints them."""
        result = []

        def walk(nodes):
            for node in nodes:
                result.append(node)
                walk(node.children)

        walk(self.roots)
        return result

    def leaves(self):
        return [node for node in self.in_order() if node.is_leaf]

    def area_of(self, node):
        """The top-level node (area) a node belongs to."""
        code = node.criterion.code.split(".")[0]
        return self.nodes[code]

    @property
    def max_points(self):
        return sum((node.criterion.max_points for node in self.roots), Decimal(0))

    def max_by_method(self, method):
        return sum((leaf.criterion.max_points for leaf in self.leaves() if leaf.criterion.method == method), Decimal(0))


def link_parents(criteria_set):
    """Point each node of the set at the node its code names as parent (after a save, an import, a copy)."""
    criteria = list(criteria_set.criteria.all())
    by_code = {criterion.code: criterion for criterion in criteria}
    changed = []
    for criterion in criteria:
        parent = by_code.get(parent_code(criterion.code))
        parent_id = parent.pk if parent else None
        if criterion.parent_id != parent_id:
            criterion.parent_id = parent_id
            changed.append(criterion)
    Criterion.objects.bulk_update(changed, ["parent"])


def create_criteria(criteria_set, nodes, bands):
    """Save ``nodes`` as the criteria of the new set ``criteria_set``: each node's criterion (anything with ``code``,
    ``text``, ``max_points``, ``method``, ``halves_allowed``, ``source``), its score bands (``bands(node)``:
    ``(min_rate, points)`` pairs) and its parent. Returns how many criteria it created."""
    created = Criterion.objects.bulk_create(
        [
            Criterion(
                criteria_set=criteria_set,
                code=node.code,
                sort_key=sort_key(node.code),
                text=node.text,
                max_points=node.max_points,
                method=node.method,
                halves_allowed=node.halves_allowed,
                source=node.source,
            )
            for node in nodes
        ]
    )
    # bulk_create returns primary keys on PostgreSQL and SQLite; read them back anyway to be portable.
    by_code = {criterion.code: criterion for criterion in criteria_set.criteria.all()}
    ScoreBand.objects.bulk_create(
        [
            ScoreBand(criterion=by_code[node.code], min_rate=rate, points=points)
            for node in nodes
            for rate, points in bands(node)
        ]
    )
    link_parents(criteria_set)
    return len(created)


@transaction.atomic
def copy_set(source, *, year, title=None):
    """A new set for ``year`` with the same tree, bands and grades as ``source``, to be edited from there."""
    new = CriteriaSet.objects.create(
        province=source.province,
        year=year,
        scored_units=source.scored_units,
        title=title or source.title,
        is_example=source.is_example,
        note=_("Copied from the set of %(year)s.") % {"year": source.year},
    )
    criteria = list(source.criteria.prefetch_related("bands"))
    create_criteria(new, criteria, lambda criterion: [(band.min_rate, band.points) for band in criterion.bands.all()])
    GradeBand.objects.bulk_create(
        [GradeBand(criteria_set=new, label=band.label, min_points=band.min_points) for band in source.grade_bands.all()]
    )
    return new
