"""The web pages: server-rendered Jinja2 with HTMX, Vietnamese first, over the same services as the API."""
