"""The web face: the ASGI app, the JSON API, the edge middleware and the Gradio UI."""
