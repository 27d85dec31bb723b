"""The Gradio UI: presentation only. It calls `qa` and formats what comes back; no answering logic here."""
