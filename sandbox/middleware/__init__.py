"""The WSGI layers around the Flask app; `sandbox.pipeline` composes them.

They sit above the app: they use the store and the API's request helpers (the caller's token,
the real clock), never a view, and share code only through `wsgi`. Each keeps the app it
wraps as `app`, as Werkzeug's own middleware does, so the onion can be looked at.
"""
