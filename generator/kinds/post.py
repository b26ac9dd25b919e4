"""Approved posts: ``content/posts/<id>.yml``, shown on the share page (no pages of their own)."""

from __future__ import annotations

from typing import Any

from generator import schema
from generator.kinds.base import ContentKind
from generator.model import Item
from generator.phrases import Msg
from generator.posts import check_posts


def summary(post: Item[Any]) -> Any:
    return Msg.of("diff_post_dates", publish=str(post.data.publish), expires=str(post.data.expires))


KIND = ContentKind(
    folder="posts", suffix=".yml", singular="post", model=schema.Post, order=50, schema_title="Approved post",
    translatable=False, checks=check_posts, needs_settings=True, diff_subject="diff_subject_post", summary=summary,
)
