"""Stage 5b — document model -> WordprocessingML (.docx)."""

from .writer import DocxOptions, render_docx

__all__ = ["DocxOptions", "render_docx"]
