"""``cramp-coach serve``: the same app in a phone's browser, paired once and private.

``server`` holds the web server (pairing, sessions, headers, the websocket that runs the app);
``templates/`` and ``static/`` the page a phone opens. Nothing here is imported by the terminal
app or the data commands, so they never pay for aiohttp.
"""
