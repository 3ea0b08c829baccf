"""Stage 5b — document model -> WordprocessingML (.docx)."""

from .writer import render_docx

__all__ = ["render_docx"]
