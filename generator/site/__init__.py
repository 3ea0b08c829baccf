"""`clausebook site`: the library as a static catalogue — home, a page per clause and per deal,
the definitions index and client-side search — written with autoescaped Jinja templates.

Everything printed on the site comes from pull requests, so it reaches the pages only through
Jinja's autoescaping (no `|safe`, no raw HTML from Markdown); see docs/site.md.
"""
