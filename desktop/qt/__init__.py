"""The Qt views of the desktop app: they render `desktop.state` and forward user intent.

`desktop.qt.worker` is the only module that knows about threads.
"""
