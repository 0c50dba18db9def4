"""The WSGI layers around the Flask app; `sandbox.pipeline` composes them."""
